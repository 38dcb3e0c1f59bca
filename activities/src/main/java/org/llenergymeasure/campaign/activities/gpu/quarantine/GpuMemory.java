package org.llenergymeasure.campaign.activities.gpu.quarantine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.llenergymeasure.campaign.activities.gpu.inventory.CommandRunner;

/**
 * The used memory of each GPU (MiB by UUID), whoever uses it: memory that no listed process
 * accounts for after a run is memory the run did not give back. Empty when it cannot be read (then
 * only processes are checked).
 */
@FunctionalInterface
public interface GpuMemory {

  String FILE = "memory-used.csv";

  Optional<Map<String, Long>> usedMiB();

  static GpuMemory none() {
    return Optional::empty;
  }

  /** {@code nvidia-smi --query-gpu=uuid,memory.used --format=csv,noheader,nounits}. */
  static GpuMemory nvidiaSmi() {
    List<String> query =
        List.of("nvidia-smi", "--query-gpu=uuid,memory.used", "--format=csv,noheader,nounits");
    return () -> {
      try {
        CommandRunner.Result r = CommandRunner.run(query, Duration.ofSeconds(20));
        return r.exitCode() == 0 ? Optional.of(parse(r.stdout())) : Optional.empty();
      } catch (IOException | CommandRunner.TimedOut e) {
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    };
  }

  /**
   * A simulated host: {@code memory-used.csv} ({@code <uuid>, <MiB>}) in the inventory folder, if
   * any.
   */
  static GpuMemory file(Path inventoryDir) {
    Path file = inventoryDir.resolve(FILE);
    return () -> {
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      try {
        return Optional.of(parse(Files.readString(file, StandardCharsets.UTF_8)));
      } catch (IOException e) {
        return Optional.empty();
      }
    };
  }

  /** Lines {@code <uuid>, <MiB>}; lines it cannot read ([N/A], a header) are left out. */
  static Map<String, Long> parse(String csv) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String line : csv.split("\\R", -1)) {
      // A trailing comma is tolerated ("<uuid>, 500," reads as "<uuid>, 500"): split's dropping
      // of trailing empty strings is the reading wanted here.
      @SuppressWarnings("StringSplitter")
      String[] f = line.split(",");
      if (f.length == 2 && f[1].strip().matches("\\d{1,9}")) {
        out.put(f[0].strip(), Long.parseLong(f[1].strip()));
      }
    }
    return out;
  }
}
