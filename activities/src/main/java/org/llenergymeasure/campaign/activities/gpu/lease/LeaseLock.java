package org.llenergymeasure.campaign.activities.gpu.lease;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Mutual exclusion on one lease file, across threads and processes. A file lock alone is not
 * enough: it is held per JVM (a second thread trying it gets OverlappingFileLockException, not a
 * wait), so threads first queue on a JVM-wide lock per path, and only the winner takes the file
 * lock that keeps other processes out.
 */
public final class LeaseLock {

  private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

  private final Path lockFile;
  private final ReentrantLock jvmLock;

  public LeaseLock(Path lockFile) {
    this.lockFile = lockFile.toAbsolutePath().normalize();
    this.jvmLock = IN_JVM.computeIfAbsent(this.lockFile, p -> new ReentrantLock());
  }

  public <T> T withLock(Supplier<T> action) {
    jvmLock.lock();
    try {
      Files.createDirectories(lockFile.getParent());
      try (FileChannel channel =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        return action.get();
      }
    } catch (IOException e) {
      throw new LeaseStoreException("cannot lock " + lockFile + ": " + e.getMessage(), e);
    } finally {
      jvmLock.unlock();
    }
  }
}
