package org.llenergymeasure.campaign.activities.gpu.quarantine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.workflows.host.GpuHolder;
import org.llenergymeasure.campaign.workflows.host.QuarantinedGpu;

class QuarantineStoreTest {

  @TempDir Path tmp;

  private static QuarantinedGpu gpu(String uuid, long pid, String since) {
    return new QuarantinedGpu(
        "h1",
        uuid,
        List.of(new GpuHolder(pid, "python3", 2566L)),
        2600L,
        "c/a.c1/a1",
        since,
        "left");
  }

  @Test
  void twoStoresOnOneFileSeeEachOthersChanges() {
    Path file = tmp.resolve("quarantine/h1.json");
    QuarantineStore worker = new QuarantineStore(file);
    QuarantineStore operator = new QuarantineStore(file);
    worker.quarantine(gpu("GPU-1", 4242, "2026-01-01T00:00:00Z"));
    worker.quarantine(gpu("GPU-2", 4243, "2026-01-01T00:01:00Z"));
    assertEquals(
        List.of("GPU-1", "GPU-2"), operator.list().stream().map(QuarantinedGpu::uuid).toList());
    assertEquals(1, operator.release("gpu-1").size(), "UUIDs match in any case");
    assertEquals(List.of("GPU-2"), worker.list().stream().map(QuarantinedGpu::uuid).toList());
    assertEquals(List.of(), operator.release("GPU-9"), "an unknown UUID releases nothing");
    assertEquals(1, operator.releaseAll().size());
    assertEquals(List.of(), worker.list());
  }

  @Test
  void quarantiningAgainKeepsTheFirstSinceAndTheLatestFindings() {
    QuarantineStore store = QuarantineStore.forHost(tmp, "h1");
    store.quarantine(gpu("GPU-1", 4242, "2026-01-01T00:00:00Z"));
    QuarantinedGpu again = store.quarantine(gpu("GPU-1", 5000, "2026-01-02T00:00:00Z"));
    assertEquals("2026-01-01T00:00:00Z", again.since());
    assertEquals(5000, again.holders().get(0).pid());
    assertEquals(List.of(again), store.list());
    assertEquals(tmp.resolve("quarantine/h1.json"), store.file());
  }
}
