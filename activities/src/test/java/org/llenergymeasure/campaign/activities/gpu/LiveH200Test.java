package org.llenergymeasure.campaign.activities.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.gpu.inventory.GpuDevice;
import org.llenergymeasure.campaign.activities.gpu.inventory.HostInventory;
import org.llenergymeasure.campaign.activities.gpu.routing.GpuRouter;
import org.llenergymeasure.campaign.activities.gpu.routing.RoutingRequest;
import org.llenergymeasure.campaign.activities.gpu.verify.CudaView;
import org.llenergymeasure.campaign.activities.gpu.verify.CudaViewParser;
import org.llenergymeasure.campaign.activities.gpu.verify.RoutingVerifier;
import org.llenergymeasure.campaign.activities.gpu.verify.Verification;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.BusyPolicy;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;

/**
 * The outputs captured on a live H200 (fixtures/gpu/h200-1gpu-live, docs/hardware-checks.md): its
 * inventory, and what the CUDA-view probe and PyTorch saw in processes started with the routed
 * environment and with a wrong one.
 */
class LiveH200Test {

  static final String LIVE = "h200-1gpu-live";
  // From the capture's nvidia-smi table (nvidia-smi.txt) and nvidia-smi -L.
  static final String UUID = "GPU-65942243-5615-1aa4-38d1-113995aed5eb";
  static final String BUS = "00000000:00:06.0";

  static HostInventory host() {
    return Fixtures.host(LIVE);
  }

  static GpuRouting processRouting(String selector) {
    return GpuRouter.route(
        host(),
        new RoutingRequest(
            GpuRequest.of(List.of(selector)),
            null,
            AttachMode.PROCESS,
            null,
            BusyPolicy.FAIL,
            false));
  }

  @Test
  void theCaptureIsSelfConsistent() {
    // The human table and the query output name the same GPU: guards the constants above.
    String table = Fixtures.read(LIVE + "/nvidia-smi.txt");
    assertTrue(table.contains("NVIDIA H200") && table.contains(BUS), table);
    assertTrue(table.contains("143771MiB"), table);
    assertTrue(Fixtures.read(LIVE + "/nvidia-smi-L.txt").contains(UUID));
  }

  @Test
  void inventoryParsersReadTheLiveHost() {
    HostInventory host = host();
    assertEquals(1, host.gpus().size());
    GpuDevice gpu = host.gpus().get(0);
    assertEquals(0, gpu.index());
    assertEquals(UUID, gpu.uuid());
    assertEquals(BUS, gpu.pciBusId());
    assertEquals("NVIDIA H200", gpu.name());
    assertEquals(143771L, gpu.memoryMiB());
    assertFalse(gpu.migEnabled());
    assertEquals(List.of(), gpu.migDevices());
    assertEquals(List.of(), host.processes(), "compute-apps.csv was empty: idle");
  }

  @Test
  void theRoutedEnvironmentPassesVerification() {
    for (String selector : List.of("0", UUID, UUID.substring(0, 12))) {
      GpuRouting routing = processRouting(selector);
      assertEquals(UUID, routing.env().get("CUDA_VISIBLE_DEVICES"));
      assertEquals("PCI_BUS_ID", routing.env().get("CUDA_DEVICE_ORDER"));
    }
    GpuRouting byIndex = processRouting("0");
    for (String probe : List.of("cuda-view-route-0.txt", "cuda-view-route-uuid.txt")) {
      Verification v = RoutingVerifier.verify(byIndex, null, Fixtures.read(LIVE + "/" + probe));
      assertTrue(v.passed(), probe + ": " + v.explanation());
      assertEquals(List.of(UUID), v.cudaView());
    }
  }

  @Test
  void aWrongEnvironmentIsReportedAsAMismatch() {
    // CUDA_VISIBLE_DEVICES=1: a host index that this one-GPU process cannot see.
    Verification v =
        RoutingVerifier.verify(
            processRouting("0"), null, Fixtures.read(LIVE + "/cuda-view-cvd-1.txt"));
    assertFalse(v.passed());
    assertEquals(List.of(), v.cudaView());
    assertTrue(v.explanation().contains("GPU-65942243"), v.explanation());
    assertTrue(v.explanation().contains("cuInit returned 100"), v.explanation());
  }

  @Test
  void pytorchAgreesWithTheProbe() {
    Pattern line = Pattern.compile("(\\d+): (.+) uuid=([0-9a-f-]+)");
    for (String[] pair :
        new String[][] {
          {"torch-route-0.txt", "cuda-view-route-0.txt"},
          {"torch-route-uuid.txt", "cuda-view-route-uuid.txt"},
          {"torch-cvd-1.txt", "cuda-view-cvd-1.txt"}
        }) {
      String torch = Fixtures.read(LIVE + "/" + pair[0]);
      CudaView cuda = CudaViewParser.parse(Fixtures.read(LIVE + "/" + pair[1]));
      List<String> torchUuids =
          torch
              .lines()
              .map(line::matcher)
              .filter(Matcher::matches)
              .map(m -> "GPU-" + m.group(3))
              .toList();
      assertTrue(torch.contains("device_count: " + cuda.uuids().size()), torch);
      assertEquals(cuda.uuids(), torchUuids, pair[0]);
    }
  }

  @Test
  void gpuOneIsOutOfRange() {
    RunFailureException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            RunFailureException.class, () -> processRouting("1"));
    assertEquals(FailureTypes.INVALID_GPU_SELECTION, e.type());
    assertTrue(e.getMessage().contains("only GPU 0"), e.getMessage());
    // The same words the CLI printed on the machine (its host id was h200-live, here the folder's).
    assertEquals(
        "error: " + e.getMessage().replace(LIVE, "h200-live"),
        Fixtures.read(LIVE + "/route-1.json.err").strip());
  }
}
