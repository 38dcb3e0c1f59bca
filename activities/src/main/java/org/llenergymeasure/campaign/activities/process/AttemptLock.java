package org.llenergymeasure.campaign.activities.process;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.workflows.FailureTypes;

/**
 * Serialises launches of one attempt: two tries of launch (a retry while the first try still runs,
 * in this worker or another process) must not both start the run. A file lock is held per JVM, so
 * threads first queue on a JVM-wide lock per folder.
 */
final class AttemptLock {

  private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();
  static final String FILE = ".launch.lock";

  private AttemptLock() {}

  static <T> T with(Path attemptDir, Supplier<T> action) {
    Path file = attemptDir.resolve(FILE).toAbsolutePath().normalize();
    ReentrantLock jvm = IN_JVM.computeIfAbsent(file, p -> new ReentrantLock());
    jvm.lock();
    try (FileChannel channel =
            FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = channel.lock()) {
      return action.get();
    } catch (IOException e) {
      throw new RunFailureException(
          FailureTypes.RESULTS_UNWRITABLE, "cannot lock " + file + ": " + e.getMessage(), false, e);
    } finally {
      jvm.unlock();
    }
  }
}
