package org.llenergymeasure.campaign.activities.gpu.quarantine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A host process's command name from {@code /proc/<pid>/comm}; null when it cannot be read. */
public final class ProcessNames {

  private ProcessNames() {}

  public static String of(long pid) {
    try {
      String name =
          Files.readString(Path.of("/proc", Long.toString(pid), "comm"), StandardCharsets.UTF_8)
              .strip();
      return name.isEmpty() ? null : name;
    } catch (IOException | SecurityException e) {
      return null;
    }
  }
}
