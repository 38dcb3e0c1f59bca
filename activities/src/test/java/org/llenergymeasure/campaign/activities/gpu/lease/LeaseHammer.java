package org.llenergymeasure.campaign.activities.gpu.lease;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.llenergymeasure.campaign.activities.RunFailureException;

/**
 * Acquires and releases random GPUs in a loop. While it holds a GPU it owns a marker file {@code
 * <uuid>.inuse}, created with CREATE_NEW: if a second holder (thread or process) was ever granted
 * the same GPU at the same time, creating the marker fails and counts as a violation.
 */
final class LeaseHammer {

  static final List<String> UUIDS = List.of("GPU-a", "GPU-b", "GPU-c", "GPU-d");

  record Outcome(int grants, int refusals, int violations) {}

  static Outcome hammer(Path leaseFile, Path markers, String who, int rounds, long seed)
      throws IOException {
    GpuLeaseStore store = new GpuLeaseStore(leaseFile, "hammer", Clock.systemUTC());
    LeaseOwner owner = new LeaseOwner("hammer", who, 1);
    Random random = new Random(seed);
    int grants = 0;
    int refusals = 0;
    AtomicInteger violations = new AtomicInteger();
    for (int i = 0; i < rounds; i++) {
      List<String> want =
          random.nextBoolean()
              ? List.of(UUIDS.get(random.nextInt(4)))
              : List.of(UUIDS.get(random.nextInt(2)), UUIDS.get(2 + random.nextInt(2)));
      try {
        store.acquire(owner, want);
      } catch (RunFailureException busy) {
        refusals++;
        continue;
      }
      grants++;
      for (String uuid : want) {
        try {
          Files.createFile(markers.resolve(uuid + ".inuse"));
        } catch (FileAlreadyExistsException e) {
          violations.incrementAndGet();
        }
      }
      Thread.onSpinWait();
      for (String uuid : want) {
        Files.deleteIfExists(markers.resolve(uuid + ".inuse"));
      }
      store.release(owner);
    }
    return new Outcome(grants, refusals, violations.get());
  }

  /** For a separate JVM: {@code LeaseHammer <leaseFile> <markerDir> <who> <rounds>}. */
  public static void main(String[] args) throws IOException {
    Outcome o =
        hammer(
            Path.of(args[0]),
            Path.of(args[1]),
            args[2],
            Integer.parseInt(args[3]),
            args[2].hashCode());
    System.out.println(
        "grants=" + o.grants() + " refusals=" + o.refusals() + " violations=" + o.violations());
    System.exit(o.violations() == 0 ? 0 : 1);
  }
}
