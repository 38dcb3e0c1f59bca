package org.llenergymeasure.campaign.activities.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What process mode reads from Linux's {@code /proc}: a process's identity (start time, boot id),
 * whether it still runs, and which processes belong to a run. Nothing here starts or signals.
 */
final class ProcFs {

  private static final Path PROC = Path.of("/proc");

  private ProcFs() {}

  /**
   * This boot's random id; a process recorded under another boot id is gone (the host rebooted).
   */
  static String bootId() {
    try {
      return Files.readString(PROC.resolve("sys/kernel/random/boot_id"), StandardCharsets.US_ASCII)
          .strip();
    } catch (IOException e) {
      // Not Linux, or /proc hidden: start times alone then tell processes apart.
      return "";
    }
  }

  static Optional<ProcStat> stat(long pid) {
    try {
      return Optional.ofNullable(
          ProcStat.parse(
              Files.readString(
                  PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** True while the recorded process runs (same pid, same start, same boot, not a zombie). */
  static boolean alive(ProcessRecord record) {
    if (!record.bootId().equals(bootId())) {
      return false;
    }
    return stat(record.pid())
        .filter(s -> s.startTicks() == record.startTicks() && !s.exited())
        .isPresent();
  }

  /** Every process visible in /proc that has not exited. */
  static List<ProcStat> all() {
    List<ProcStat> out = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path dir : dirs) {
        try {
          ProcStat s =
              ProcStat.parse(Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8));
          if (s != null && !s.exited()) {
            out.add(s);
          }
        } catch (IOException e) {
          // It ended while we listed.
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot list /proc", e);
    }
    return out;
  }

  /**
   * Whether the process's initial environment holds {@code entry} ({@code NAME=value}). Readable
   * for processes of the worker's own user; others answer false.
   */
  static boolean environHas(long pid, String entry) {
    int eq = entry.indexOf('=');
    return eq > 0 && entry.substring(eq + 1).equals(environValue(pid, entry.substring(0, eq)));
  }

  /**
   * The value of {@code name} in the process's initial environment; null when it has none or its
   * environment is not readable (another user's process).
   */
  static String environValue(long pid, String name) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
    } catch (IOException | SecurityException e) {
      return null;
    }
    byte[] prefix = (name + "=").getBytes(StandardCharsets.UTF_8);
    int start = 0;
    for (int i = 0; i <= raw.length; i++) {
      if (i == raw.length || raw[i] == 0) {
        if (i - start >= prefix.length
            && java.util.Arrays.equals(
                raw, start, start + prefix.length, prefix, 0, prefix.length)) {
          return new String(
              raw, start + prefix.length, i - start - prefix.length, StandardCharsets.UTF_8);
        }
        start = i + 1;
      }
    }
    return null;
  }
}
