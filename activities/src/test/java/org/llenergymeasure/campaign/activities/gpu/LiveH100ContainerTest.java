package org.llenergymeasure.campaign.activities.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.activities.gpu.verify.DeviceViewParser;
import org.llenergymeasure.campaign.activities.gpu.verify.RoutingVerifier;
import org.llenergymeasure.campaign.activities.gpu.verify.Verification;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.workflows.host.DeviceMapping;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.RoutedDevice;

/**
 * What containers saw on an H100 host without Docker, run with crun by
 * scripts/hardware-check-container.sh (fixtures/gpu/h100-container, docs/hardware-checks.md): the
 * one given /dev/nvidia0 sees exactly that GPU, the one without it sees none, and the verifier
 * judges both outputs as it judges a container run's device view routed to that GPU.
 */
class LiveH100ContainerTest {

  static final String DIR = "h100-container/";
  static final Pattern SMI_GPU = Pattern.compile("GPU \\d+: .+ \\(UUID: (GPU-[0-9a-f-]+)\\)");

  /** The host's GPU, from its own nvidia-smi -L before any container ran. */
  static String hostUuid() {
    List<String> uuids =
        Fixtures.read(DIR + "host.txt")
            .lines()
            .map(SMI_GPU::matcher)
            .filter(Matcher::matches)
            .map(m -> m.group(1))
            .toList();
    assertEquals(1, uuids.size(), "one GPU on the host: " + uuids);
    return uuids.get(0);
  }

  /** The nvidia-smi -L part of a container's output (the rest is its exit line and PyTorch's). */
  static String deviceView(String file) {
    return Fixtures.read(DIR + file)
        .lines()
        .filter(l -> l.startsWith("GPU ") || l.startsWith("No devices"))
        .collect(Collectors.joining("\n", "", "\n"));
  }

  static GpuRouting routedTo(String uuid) {
    return new GpuRouting(
        "h100-container",
        AttachMode.ENV,
        List.of(new RoutedDevice(uuid, 0, "NVIDIA H100 80GB HBM3", null, null)),
        Map.of("NVIDIA_VISIBLE_DEVICES", uuid, "CUDA_DEVICE_ORDER", "PCI_BUS_ID"),
        null,
        1,
        List.of(uuid),
        List.of(new DeviceMapping(0, uuid, 0)),
        false);
  }

  @Test
  void theContainerGivenTheGpuSeesExactlyItAndPassesVerification() {
    String uuid = hostUuid();
    String out = Fixtures.read(DIR + "given.txt");
    assertTrue(out.startsWith("exit 0"), out);
    assertEquals(List.of(uuid), DeviceViewParser.parse(deviceView("given.txt")));
    assertTrue(out.contains("torch devices: 1\n"), out);
    assertTrue(out.contains("torch device 0 uuid " + uuid), out);

    Verification v = RoutingVerifier.verify(routedTo(uuid), deviceView("given.txt"), null);
    assertTrue(v.passed(), v.explanation());
  }

  @Test
  void theContainerWithoutTheDeviceNodeSeesNoGpuAndFailsVerification() {
    String uuid = hostUuid();
    String out = Fixtures.read(DIR + "withheld.txt");
    assertTrue(out.contains("No devices found."), out);
    assertTrue(out.contains("torch devices: 0\n"), out);
    assertEquals(List.of(), DeviceViewParser.parse(deviceView("withheld.txt")));

    Verification v = RoutingVerifier.verify(routedTo(uuid), deviceView("withheld.txt"), null);
    assertFalse(v.passed(), v.explanation());
    // The explanation names the GPU by the start of its UUID and says what the view showed.
    assertTrue(v.explanation().contains(uuid.substring(0, 12)), v.explanation());
    assertTrue(v.explanation().contains("showed nothing"), v.explanation());
  }

  @Test
  void theWorkloadInTheContainerMeasuredTheGivenGpuByUuid() throws Exception {
    String uuid = hostUuid();
    assertTrue(Fixtures.read(DIR + "workload.txt").startsWith("exit 0"));
    JsonNode r = new ObjectMapper().readTree(Fixtures.read(DIR + "workload.json"));
    assertEquals(uuid, r.path("gpu_uuids").path(0).asText());
    assertEquals(1, r.path("gpu_uuids").size());
    assertEquals(uuid, r.path("cuda_visible_devices").asText());
    assertTrue(r.path("energy_measured").asBoolean(), r.toString());
    assertEquals(1, r.path("energy_per_device_j").size());
    double energy = r.path("total_energy_j").asDouble();
    assertTrue(energy > 0, r.toString());
    assertEquals(energy, r.path("energy_per_device_j").path(0).asDouble(), 1e-9);
    assertTrue(r.path("windowEndMs").asLong() > r.path("windowStartMs").asLong(), r.toString());
  }
}
