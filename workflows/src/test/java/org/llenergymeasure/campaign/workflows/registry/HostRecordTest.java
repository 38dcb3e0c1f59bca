package org.llenergymeasure.campaign.workflows.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostRecordTest {

  private static final long SEEN = 1_000_000L;

  private static RegisteredGpu gpu(int index) {
    return new RegisteredGpu("GPU-" + index, index, "NVIDIA H100 80GB HBM3", 81_559L, null);
  }

  private static HostRecord host(List<String> leased, List<String> quarantined, boolean draining) {
    return new HostRecord(
        "h1",
        List.of(gpu(0), gpu(1), gpu(2)),
        "580.1",
        "1.0",
        leased,
        quarantined,
        0L,
        SEEN,
        draining);
  }

  @Test
  void freeGpusLeaveOutLeasedAndQuarantinedOnes() {
    HostRecord h = host(List.of("GPU-0"), List.of("GPU-2"), false);
    assertEquals(List.of("GPU-1"), h.freeGpus().stream().map(RegisteredGpu::uuid).toList());
  }

  @Test
  void aHostSilentForMoreThanTwoMinutesIsStaleEvenWhenDraining() {
    long limit = HostState.STALE_AFTER.toMillis();
    assertEquals(HostState.UP, host(List.of(), List.of(), false).state(SEEN + limit));
    assertEquals(HostState.STALE, host(List.of(), List.of(), false).state(SEEN + limit + 1));
    assertEquals(HostState.STALE, host(List.of("GPU-0"), List.of(), true).state(SEEN + limit + 1));
  }

  @Test
  void drainingUntilNoGpuIsLeasedThenDrained() {
    assertEquals(HostState.DRAINING, host(List.of("GPU-0"), List.of(), true).state(SEEN));
    assertEquals(HostState.DRAINED, host(List.of(), List.of("GPU-1"), true).state(SEEN));
    assertFalse(HostState.DRAINED.placeable());
    assertTrue(HostState.UP.placeable());
  }

  @Test
  void migAndMemoryAreDerived() {
    RegisteredGpu mig = new RegisteredGpu("GPU-9", 0, "A100", 40_960L, List.of("MIG-1"));
    assertTrue(mig.mig());
    assertEquals(40.0, mig.memoryGiB());
    assertNull(new RegisteredGpu("GPU-8", 1, "T4", null, null).memoryGiB());
  }
}
