package org.llenergymeasure.campaign.activities.gpu.lease;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The lease file's content on disk. Written to a temporary file in the same folder, synced, then
 * renamed over the old one, so a reader (or a crash) never sees half a file.
 */
final class LeaseFile {

  /** The JSON document: a version for future changes and the leases. */
  record Content(int version, List<GpuLease> leases) {
    Content {
      leases = leases == null ? List.of() : List.copyOf(leases);
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path file;

  LeaseFile(Path file) {
    this.file = file;
  }

  /** The leases; none when the file does not exist yet. */
  List<GpuLease> read() {
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (bytes.length == 0) {
        return List.of();
      }
      return JSON.readValue(bytes, Content.class).leases();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new LeaseStoreException(
          "cannot read the GPU lease file "
              + file.toAbsolutePath()
              + " ("
              + e.getMessage()
              + "); if no run is active on this host, delete it and restart the worker",
          e);
    }
  }

  void write(List<GpuLease> leases) {
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      try {
        byte[] bytes = JSON.writeValueAsBytes(new Content(1, leases));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          ByteBuffer buffer = ByteBuffer.wrap(bytes);
          while (buffer.hasRemaining()) {
            ch.write(buffer);
          }
          ch.force(true);
        }
        move(tmp);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new LeaseStoreException(
          "cannot write the GPU lease file " + file.toAbsolutePath() + ": " + e, e);
    }
  }

  private void move(Path tmp) throws IOException {
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new LeaseStoreException(
          "the file system of "
              + file.toAbsolutePath()
              + " cannot rename atomically; put LLEM_HOME on a local disk",
          e);
    }
  }
}
