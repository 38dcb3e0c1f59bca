package org.llenergymeasure.campaign.activities.gpu.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.llenergymeasure.campaign.activities.gpu.routing.GpuRoutingVectorsTest.A0;
import static org.llenergymeasure.campaign.activities.gpu.routing.GpuRoutingVectorsTest.G0;
import static org.llenergymeasure.campaign.activities.gpu.routing.GpuRoutingVectorsTest.G1;
import static org.llenergymeasure.campaign.activities.gpu.routing.GpuRoutingVectorsTest.G2;
import static org.llenergymeasure.campaign.activities.gpu.routing.GpuRoutingVectorsTest.G3;
import static org.llenergymeasure.campaign.activities.gpu.routing.GpuRoutingVectorsTest.H100P;
import static org.llenergymeasure.campaign.activities.gpu.routing.GpuRoutingVectorsTest.M0;
import static org.llenergymeasure.campaign.activities.gpu.routing.GpuRoutingVectorsTest.T4;
import static org.llenergymeasure.campaign.activities.gpu.routing.GpuRoutingVectorsTest.list;
import static org.llenergymeasure.campaign.activities.gpu.routing.GpuRoutingVectorsTest.req;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.gpu.Fixtures;
import org.llenergymeasure.campaign.activities.gpu.inventory.GpuProcess;
import org.llenergymeasure.campaign.activities.gpu.inventory.HostInventory;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.BusyPolicy;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.config.Parallelism;
import org.llenergymeasure.campaign.workflows.host.DeviceMapping;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;

/** Behaviour beyond the spec's table. */
class GpuRouterTest {

  private final HostInventory h1 = Fixtures.host("h100x4");
  private final HostInventory h2 = Fixtures.host("a100-mig");
  private final HostInventory h3 = Fixtures.host("mixed-t4-h100");

  private static RunFailureException refused(HostInventory host, RoutingRequest request) {
    return assertThrows(RunFailureException.class, () -> GpuRouter.route(host, request));
  }

  @Test
  void allWaitsWhileAGpuIsBusy() {
    RunFailureException e = refused(h1, req(GpuRequest.all(), AttachMode.DEVICE_REQUEST));
    assertEquals("GpuBusy", e.type());
    assertTrue(e.retryable());
    assertTrue(e.getMessage().contains("GPU 0 busy (pid 48211, 2566 MiB)"), e.getMessage());
  }

  @Test
  void allOnAHostWithAMigGpuIsRefused() {
    RunFailureException e = refused(h2, req(GpuRequest.all(), AttachMode.DEVICE_REQUEST));
    assertEquals("MigSelection", e.type());
    assertTrue(e.getMessage().contains("GPU 0 is in MIG mode"), e.getMessage());
  }

  @Test
  void theSameGpuNamedTwoWaysIsADuplicate() {
    RunFailureException e = refused(h1, req(list("1", "gpu-1B2C"), AttachMode.DEVICE_REQUEST));
    assertEquals("InvalidGpuSelection", e.type());
    assertTrue(e.getMessage().contains(G1), e.getMessage());
    assertTrue(e.getMessage().contains("\"1\" and \"gpu-1B2C\""), e.getMessage());
  }

  @Test
  void theSameMigInstanceNamedTwoWaysIsADuplicate() {
    RunFailureException e = refused(h2, req(list("0:0", M0), AttachMode.DEVICE_REQUEST));
    assertEquals("InvalidGpuSelection", e.type());
    assertTrue(e.getMessage().contains("duplicate"), e.getMessage());
  }

  @Test
  void countSkipsBusyAndLeasedGpus() {
    GpuRouting r = GpuRouter.route(h1, req(GpuRequest.count(2), AttachMode.PROCESS), Set.of(G1));
    assertEquals(List.of(G2, G3), r.expectedUuids());
    assertEquals(G2 + "," + G3, r.env().get("CUDA_VISIBLE_DEVICES"));
  }

  @Test
  void countWithTooFewIdleGpusIsBusyRetryableOnlyUnderWait() {
    RunFailureException wait =
        refused(h1, req(GpuRequest.count(4), AttachMode.DEVICE_REQUEST, BusyPolicy.WAIT));
    assertEquals("GpuBusy", wait.type());
    assertTrue(wait.retryable());
    assertTrue(wait.getMessage().contains("has 3"), wait.getMessage());
    assertTrue(wait.getMessage().contains("GPU 0 busy: pid 48211"), wait.getMessage());

    RunFailureException fail =
        refused(h1, req(GpuRequest.count(4), AttachMode.DEVICE_REQUEST, BusyPolicy.FAIL));
    assertEquals("GpuBusy", fail.type());
    assertEquals(false, fail.retryable());
  }

  @Test
  void countBeyondTheHostIsAnInvalidSelection() {
    RunFailureException e = refused(h1, req(GpuRequest.count(5), AttachMode.DEVICE_REQUEST));
    assertEquals("InvalidGpuSelection", e.type());
    assertTrue(e.getMessage().contains("4 full (non-MIG) GPUs"), e.getMessage());
    // On the MIG host only GPU 1 is a full GPU.
    assertEquals(
        List.of(GpuRoutingVectorsTest.A1),
        GpuRouter.route(h2, req(GpuRequest.count(1), AttachMode.DEVICE_REQUEST)).expectedUuids());
    assertEquals(
        "InvalidGpuSelection", refused(h2, req(GpuRequest.count(2), AttachMode.ENV)).type());
  }

  @Test
  void countWithAModelPicksOnlyMatchingIdleGpus() {
    // mixed-t4-h100: GPU 0 is a Tesla T4, GPU 1 an H100; both idle.
    GpuRouting r =
        GpuRouter.route(h3, req(GpuRequest.count(1, "*H100*"), AttachMode.DEVICE_REQUEST));
    assertEquals(List.of("GPU-adbecfd0-ffff-4081-d3e4-999999999999"), r.expectedUuids());
    assertEquals(
        List.of("GPU-9cadbecf-eeee-4f70-c2d3-888888888888"),
        GpuRouter.route(h3, req(GpuRequest.count(1, "tesla*"), AttachMode.DEVICE_REQUEST))
            .expectedUuids());
  }

  @Test
  void countWithAModelTheHostLacksIsRefusedForTheNextHost() {
    RunFailureException e =
        refused(h3, req(GpuRequest.count(2, "*H100*"), AttachMode.DEVICE_REQUEST));
    assertEquals("InvalidGpuSelection", e.type());
    assertEquals(false, e.retryable());
    assertTrue(
        e.getMessage().contains("has: 1 full GPU matching *H100* (its GPUs: Tesla T4, NVIDIA H100"),
        e.getMessage());
    assertEquals(
        "InvalidGpuSelection",
        refused(h3, req(GpuRequest.count(1, "*A100*"), AttachMode.DEVICE_REQUEST)).type());
  }

  @Test
  void countWithAModelWhoseMatchingGpusAreLeasedWaits() {
    RunFailureException e =
        assertThrows(
            RunFailureException.class,
            () ->
                GpuRouter.route(
                    h3,
                    req(GpuRequest.count(1, "*H100*"), AttachMode.DEVICE_REQUEST),
                    Set.of("GPU-adbecfd0-ffff-4081-d3e4-999999999999")));
    assertEquals("GpuBusy", e.type());
    assertTrue(e.retryable());
    assertTrue(e.getMessage().contains("1 idle GPUs matching *H100* but host"), e.getMessage());
  }

  @Test
  void countMatchingParallelismPasses() {
    GpuRouting r =
        GpuRouter.route(
            h1,
            new RoutingRequest(
                GpuRequest.count(2),
                new Parallelism(1, 2),
                AttachMode.ENV,
                Map.of(),
                BusyPolicy.WAIT,
                false));
    assertEquals(2, r.expectedDeviceCount());
  }

  @Test
  void processModeOnAMixedHostKeepsPciOrder() {
    GpuRouting r = GpuRouter.route(h3, req(list("1", "0"), AttachMode.PROCESS));
    assertEquals(T4 + "," + H100P, r.env().get("CUDA_VISIBLE_DEVICES"));
    assertEquals(List.of(new DeviceMapping(0, T4, 0), new DeviceMapping(1, H100P, 1)), r.mapping());
  }

  @Test
  void noneInProcessModeHidesEveryGpuFromCuda() {
    GpuRouting r = GpuRouter.route(h1, req(GpuRequest.none(), AttachMode.PROCESS));
    assertEquals(Map.of("CUDA_VISIBLE_DEVICES", "", "CUDA_DEVICE_ORDER", "PCI_BUS_ID"), r.env());
    assertNull(r.deviceRequest());
    assertEquals(0, r.expectedDeviceCount());
  }

  @Test
  void noneWithEnvOrCdiHasNoDeviceRequest() {
    for (AttachMode mode : List.of(AttachMode.ENV, AttachMode.CDI)) {
      GpuRouting r = GpuRouter.route(h1, req(GpuRequest.none(), mode));
      assertNull(r.deviceRequest());
      assertEquals("void", r.env().get("NVIDIA_VISIBLE_DEVICES"));
    }
  }

  @Test
  void noneWithParallelismIsAMismatch() {
    RoutingRequest r =
        new RoutingRequest(
            GpuRequest.none(),
            new Parallelism(2, 1),
            AttachMode.ENV,
            Map.of(),
            BusyPolicy.WAIT,
            false);
    RunFailureException e = refused(h1, r);
    assertEquals("ParallelismMismatch", e.type());
    assertTrue(e.getMessage().contains("0 GPUs selected"), e.getMessage());
  }

  @Test
  void aUserVariableEqualToTheRoutingIsAllowed() {
    GpuRouting r =
        GpuRouter.route(
            h1,
            new RoutingRequest(
                list("2"),
                null,
                AttachMode.DEVICE_REQUEST,
                Map.of("CUDA_DEVICE_ORDER", "PCI_BUS_ID", "HF_HOME", "/cache"),
                BusyPolicy.WAIT,
                false));
    assertEquals(List.of(G2), r.expectedUuids());
    assertTrue(!r.env().containsKey("HF_HOME"), "user env is not the routing's");
  }

  @Test
  void routingVariablesThatDifferConflict() {
    Map<String, String> cases =
        Map.of(
            "CUDA_DEVICE_ORDER", "FASTEST_FIRST",
            "NVIDIA_DRIVER_CAPABILITIES", "all",
            "CUDA_VISIBLE_DEVICES", G1);
    cases.forEach(
        (k, v) -> {
          RunFailureException e =
              refused(
                  h1,
                  new RoutingRequest(
                      list("1"), null, AttachMode.ENV, Map.of(k, v), BusyPolicy.WAIT, false));
          assertEquals("RoutingConflict", e.type());
          assertTrue(e.getMessage().contains(k + "=" + v), e.getMessage());
        });
    RunFailureException process =
        refused(
            h1,
            new RoutingRequest(
                list("1"),
                null,
                AttachMode.PROCESS,
                Map.of("NVIDIA_VISIBLE_DEVICES", G1),
                BusyPolicy.WAIT,
                false));
    assertEquals("RoutingConflict", process.type());
    assertTrue(process.getMessage().contains("leaves it unset"), process.getMessage());
  }

  @Test
  void ambiguousAndUnknownMigPrefixes() {
    RunFailureException ambiguous = refused(h2, req(list("MIG-"), AttachMode.DEVICE_REQUEST));
    assertEquals("InvalidGpuSelection", ambiguous.type());
    assertTrue(ambiguous.getMessage().contains("ambiguous"), ambiguous.getMessage());
    RunFailureException unknown = refused(h2, req(list("MIG-00"), AttachMode.DEVICE_REQUEST));
    assertTrue(unknown.getMessage().contains("unknown MIG UUID MIG-00"), unknown.getMessage());
    assertEquals(
        List.of(M0),
        GpuRouter.route(h2, req(list("mig-7A8B"), AttachMode.PROCESS)).expectedUuids());
  }

  @Test
  void aGpuInMigModeByUuidIsAMigError() {
    RunFailureException e = refused(h2, req(list(A0), AttachMode.DEVICE_REQUEST));
    assertEquals("MigSelection", e.type());
  }

  @Test
  void aProcessOnTheParentGpuMakesItsMigInstanceBusy() {
    HostInventory busy =
        new HostInventory(h2.hostId(), h2.gpus(), List.of(new GpuProcess(9, A0, null)), true);
    RunFailureException e =
        refused(busy, req(list("0:1"), AttachMode.DEVICE_REQUEST, BusyPolicy.FAIL));
    assertEquals("GpuBusy", e.type());
    assertTrue(e.getMessage().contains("pid 9, memory unknown"), e.getMessage());
  }

  @Test
  void anEmptyListIsRefused() {
    RunFailureException e = refused(h1, req(GpuRequest.of(List.of()), AttachMode.DEVICE_REQUEST));
    assertEquals("InvalidGpuSelection", e.type());
    assertTrue(e.getMessage().contains("gpus: none"), e.getMessage());
  }

  @Test
  void realHostIsNotSimulated() {
    HostInventory real = new HostInventory("node", h1.gpus(), List.of(), false);
    GpuRouting r = GpuRouter.route(real, req(list("0"), AttachMode.DEVICE_REQUEST));
    assertEquals(false, r.simulated());
    assertEquals("node", r.hostId());
    assertEquals(List.of(G0), r.uuids());
  }
}
