package org.llenergymeasure.campaign.activities.gpu.quarantine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.llenergymeasure.campaign.activities.gpu.lease.LeaseLock;
import org.llenergymeasure.campaign.activities.gpu.lease.LeaseStoreException;
import org.llenergymeasure.campaign.workflows.host.QuarantinedGpu;

/**
 * The quarantined GPUs of one host ({@code <LLEM_HOME>/quarantine/<hostId>.json}): GPUs a run's
 * cleanup found not clean, which routing keeps away from new runs. Like the lease file, every
 * change reads, changes and atomically rewrites the file under an exclusive lock, so the worker's
 * threads, a second worker and the operator's {@code quarantine release} never lose each other's
 * changes.
 */
public final class QuarantineStore {

  /** The JSON document: a version for future changes and the GPUs. */
  record Content(int version, List<QuarantinedGpu> gpus) {
    Content {
      gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path file;
  private final LeaseLock lock;

  /** A store on {@code file}; several instances (and processes) may share one file. */
  public QuarantineStore(Path file) {
    this.file = file;
    this.lock = new LeaseLock(file.resolveSibling(file.getFileName() + ".lock"));
  }

  /** The store of host {@code hostId} under the state folder {@code llemHome}. */
  public static QuarantineStore forHost(Path llemHome, String hostId) {
    return new QuarantineStore(llemHome.resolve("quarantine").resolve(hostId + ".json"));
  }

  public Path file() {
    return file;
  }

  /** Every quarantined GPU of this host, oldest first. */
  public List<QuarantinedGpu> list() {
    // No lock: writes replace the file by an atomic rename, so a read sees a whole version; and
    // a reader (`gpus`, `quarantine list`) then creates no lock file on a host never quarantined.
    return read();
  }

  /** The quarantined UUIDs, as routed (case as the inventory spells them). */
  public Set<String> uuids() {
    return list().stream().map(QuarantinedGpu::uuid).collect(Collectors.toSet());
  }

  /**
   * Quarantines {@code gpu}, or refreshes what is known of a GPU already quarantined (a retried
   * cleanup, or the same GPU found again): it keeps its first {@code since}, so the time it has
   * been out of use stays true.
   *
   * @return the entry as stored
   */
  public QuarantinedGpu quarantine(QuarantinedGpu gpu) {
    return lock.withLock(
        () -> {
          List<QuarantinedGpu> current = read();
          List<QuarantinedGpu> next = new ArrayList<>();
          QuarantinedGpu stored = gpu;
          boolean replaced = false;
          for (QuarantinedGpu q : current) {
            if (same(q.uuid(), gpu.uuid())) {
              stored =
                  new QuarantinedGpu(
                      gpu.host(),
                      q.uuid(),
                      gpu.holders(),
                      gpu.usedMemoryMiB(),
                      gpu.leftBy(),
                      q.since(),
                      gpu.reason());
              next.add(stored);
              replaced = true;
            } else {
              next.add(q);
            }
          }
          if (!replaced) {
            next.add(gpu);
          }
          if (!next.equals(current)) {
            write(next);
          }
          return stored;
        });
  }

  /** Releases the GPUs that {@code which} picks; returns them (none is not an error). */
  public List<QuarantinedGpu> releaseWhere(Predicate<QuarantinedGpu> which) {
    return lock.withLock(
        () -> {
          List<QuarantinedGpu> current = read();
          List<QuarantinedGpu> released = current.stream().filter(which).toList();
          if (!released.isEmpty()) {
            write(current.stream().filter(which.negate()).toList());
          }
          return released;
        });
  }

  /** Releases one GPU by its UUID (any case); empty list when it was not quarantined. */
  public List<QuarantinedGpu> release(String uuid) {
    return releaseWhere(q -> same(q.uuid(), uuid));
  }

  public List<QuarantinedGpu> releaseAll() {
    return releaseWhere(q -> true);
  }

  static boolean same(String a, String b) {
    return a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
  }

  private List<QuarantinedGpu> read() {
    try {
      byte[] bytes = Files.readAllBytes(file);
      return bytes.length == 0 ? List.of() : JSON.readValue(bytes, Content.class).gpus();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new LeaseStoreException(
          "cannot read the GPU quarantine file "
              + file.toAbsolutePath()
              + " ("
              + e.getMessage()
              + "); fix or delete it (deleting releases every quarantined GPU of this host)",
          e);
    }
  }

  private void write(List<QuarantinedGpu> gpus) {
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      try {
        ByteBuffer buffer = ByteBuffer.wrap(JSON.writeValueAsBytes(new Content(1, gpus)));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          while (buffer.hasRemaining()) {
            ch.write(buffer);
          }
          ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new LeaseStoreException(
          "cannot write the GPU quarantine file " + file.toAbsolutePath() + ": " + e, e);
    }
  }
}
