package org.llenergymeasure.campaign.activities.gpu.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No GPU is ever granted to two holders at once: threads, store instances, processes. */
class GpuLeaseStoreConcurrencyTest {

  @TempDir Path dir;

  @Test
  void manyThreadsOnSeparateStoreInstancesOfOneFile() throws Exception {
    Path file = dir.resolve("leases/h.json");
    Path markers = Files.createDirectories(dir.resolve("markers"));
    ExecutorService pool = Executors.newFixedThreadPool(12);
    List<Future<LeaseHammer.Outcome>> outcomes = new ArrayList<>();
    for (int t = 0; t < 12; t++) {
      String who = "thread-" + t;
      long seed = t;
      outcomes.add(pool.submit(() -> LeaseHammer.hammer(file, markers, who, 60, seed)));
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(2, TimeUnit.MINUTES));
    int grants = 0;
    int refusals = 0;
    for (Future<LeaseHammer.Outcome> f : outcomes) {
      LeaseHammer.Outcome o = f.get();
      assertEquals(0, o.violations(), "a GPU was granted twice: " + o);
      grants += o.grants();
      refusals += o.refusals();
    }
    assertEquals(12 * 60, grants + refusals);
    assertTrue(
        grants > 0 && refusals > 0,
        "grants " + grants + ", refusals " + refusals + ": no contention");
    assertEquals(List.of(), new GpuLeaseStore(file, "h", Clock.systemUTC()).holders());
  }

  /** Real processes: two more JVMs hammer the same file while this one does too. */
  @Test
  void separateProcesses() throws Exception {
    Path file = dir.resolve("leases/h.json");
    Path markers = Files.createDirectories(dir.resolve("markers"));
    String java = ProcessHandle.current().info().command().orElse("java");
    List<Process> children = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      children.add(
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  LeaseHammer.class.getName(),
                  file.toString(),
                  markers.toString(),
                  "process-" + p,
                  "150")
              .redirectErrorStream(true)
              .start());
    }
    LeaseHammer.Outcome mine = LeaseHammer.hammer(file, markers, "parent", 150, 42);
    assertEquals(0, mine.violations());
    for (Process child : children) {
      assertTrue(child.waitFor(2, TimeUnit.MINUTES), "child hung");
      String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, child.exitValue(), out);
      assertTrue(out.contains("violations=0"), out);
    }
    assertEquals(List.of(), new GpuLeaseStore(file, "h", Clock.systemUTC()).holders());
  }
}
