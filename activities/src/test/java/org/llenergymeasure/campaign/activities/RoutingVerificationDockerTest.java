package org.llenergymeasure.campaign.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.container.DockerEngine;
import org.llenergymeasure.campaign.activities.container.DockerRunBackend;
import org.llenergymeasure.campaign.activities.gpu.inventory.FileInventorySource;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLeaseStore;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.BusyPolicy;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.RouteRequest;
import org.llenergymeasure.campaign.workflows.host.RunRef;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;
import org.llenergymeasure.campaign.workflows.host.VerifyResult;

/**
 * The bug this project exists to fix, end to end through a real engine: the real router's routing
 * passes verification inside the container; the same routing with host indices copied into
 * CUDA_VISIBLE_DEVICES fails as GpuRoutingMismatch and the container is gone before anything is
 * measured. The simulated runtime in the image never sees the router's answer, only the two
 * variables, so it cannot agree with a wrong routing by accident.
 */
@Tag("docker")
@ExtendWith(DockerExtension.class)
class RoutingVerificationDockerTest {

  private static final String CAMPAIGN = "verify-drill";

  @TempDir Path tmp;

  private final Path inventory =
      DockerExtension.repoRoot().resolve("examples/inventories/sim-4gpu-idle");

  @AfterEach
  void noContainerLeft(DockerClient docker) {
    assertEquals(
        0,
        DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + CAMPAIGN),
        "containers left");
  }

  @Test
  void theRoutedGpusAreProvenInsideTheContainer() {
    try (Host host = new Host()) {
      RunRef run = new RunRef(CAMPAIGN, "pair.c1", "pair", 1, 1);
      GpuRouting routing =
          host.activities.route(new RouteRequest(run, experiment(), AttachMode.DEVICE_REQUEST));
      assertEquals(AttachMode.ENV, routing.attach(), "a simulated host routes by env");
      assertEquals("0,1", routing.env().get("CUDA_VISIBLE_DEVICES"));
      String handle =
          host.activities.launch(new LaunchRequest(run, experiment(), routing)).handle();
      VerifyResult verified =
          host.activities.verify(new VerifyRequest(run, experiment(), routing, handle));
      assertEquals(routing.expectedUuids(), verified.cudaViewUuids());
      assertEquals(routing.expectedUuids(), verified.deviceViewUuids());
      host.activities.cleanup(new CleanupRequest(run, handle, routing));
    }
  }

  @Test
  void hostIndicesCopiedIntoCudaVisibleDevicesFailVerificationAndNothingRuns() throws Exception {
    try (Host host = new Host()) {
      RunRef run = new RunRef(CAMPAIGN, "pair.c2", "pair", 2, 1);
      GpuRouting good =
          host.activities.route(new RouteRequest(run, experiment(), AttachMode.DEVICE_REQUEST));
      Map<String, String> env = new TreeMap<>(good.env());
      env.put("CUDA_VISIBLE_DEVICES", "1,2"); // host indices, as the upstream tool did
      GpuRouting buggy =
          new GpuRouting(
              good.hostId(),
              good.attach(),
              good.devices(),
              env,
              good.deviceRequest(),
              good.expectedDeviceCount(),
              good.expectedUuids(),
              good.mapping(),
              good.simulated());
      String handle = host.activities.launch(new LaunchRequest(run, experiment(), buggy)).handle();
      ApplicationFailure failure =
          assertThrows(
              ApplicationFailure.class,
              () -> host.activities.verify(new VerifyRequest(run, experiment(), buggy, handle)));
      assertEquals("GpuRoutingMismatch", failure.getType());
      assertTrue(failure.isNonRetryable());
      assertTrue(
          failure.getOriginalMessage().contains(good.expectedUuids().get(0).substring(0, 12)),
          failure.getOriginalMessage());
      assertTrue(
          failure.getOriginalMessage().contains("host indices"), failure.getOriginalMessage());
      Path attempt = tmp.resolve("results").resolve(run.resultPath());
      assertTrue(
          Files.readString(attempt.resolve("probe.txt")).contains("count: 1"),
          "CUDA saw one GPU only");
      assertTrue(!Files.exists(attempt.resolve("result.json")), "the experiment never ran");
    }
  }

  private static Experiment experiment() {
    return new Experiment(
        "pair",
        DockerExtension.PROBE_IMAGE,
        List.of("sh", "-c", "echo measured > /results/result.json"),
        GpuRequest.of(List.of("1", "2")),
        null,
        Map.of(),
        List.of(),
        List.of(),
        "/results",
        "result.json",
        null,
        "private",
        Duration.ofMinutes(1),
        Duration.ofMinutes(1),
        0,
        null,
        "bridge",
        BusyPolicy.WAIT,
        null,
        null,
        Map.of(),
        0,
        null,
        false,
        null,
        null,
        null);
  }

  /** The real host activities on the simulated 4-GPU inventory and the real engine. */
  private final class Host implements AutoCloseable {
    final DockerEngine engine = DockerEngine.fromEnvironment();
    final HostRunActivities activities;

    Host() {
      HostSettings settings =
          new HostSettings("verify-host", tmp.resolve("results"), inventory, Map.of(), null);
      DockerRunBackend containers = new DockerRunBackend(engine);
      activities =
          TestHostRunActivities.of(
              settings,
              new FileInventorySource(inventory, "verify-host"),
              GpuLeaseStore.forHost(tmp.resolve("home"), "verify-host"),
              RunBackendByAttach.only(containers),
              new ResultCollector(containers, new NoGpuTelemetry("no GPU telemetry here")));
    }

    @Override
    public void close() {
      try {
        engine.close();
      } catch (java.io.IOException ignored) {
        // test cleanup
      }
    }
  }
}
