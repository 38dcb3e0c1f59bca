package org.llenergymeasure.campaign.activities;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.RunRef;

/**
 * The folder of one run attempt, {@code <resultsRoot>/<campaign>/<runId>/a<attempt>/}, and the
 * files the worker writes into it. Every write goes to a temporary file first and is moved into
 * place, so a crash never leaves a half-written {@code routing.json} or {@code probe.txt}.
 */
public final class AttemptFolder {

  private final Path dir;

  private AttemptFolder(Path dir) {
    this.dir = dir;
  }

  /** The folder, without touching the disk. */
  public static AttemptFolder of(HostSettings settings, RunRef run) {
    return new AttemptFolder(settings.attemptDir(run).toAbsolutePath().normalize());
  }

  /** The folder at {@code dir} (e.g. found from a process handle), without touching the disk. */
  public static AttemptFolder at(Path dir) {
    return new AttemptFolder(dir.toAbsolutePath().normalize());
  }

  /**
   * The folder, created if needed; a folder we cannot create or write is {@code ResultsUnwritable}.
   */
  public static AttemptFolder create(HostSettings settings, RunRef run) {
    AttemptFolder folder = of(settings, run);
    try {
      Files.createDirectories(folder.dir);
      if (!Files.isWritable(folder.dir)) {
        throw new IOException("not writable");
      }
    } catch (IOException | SecurityException e) {
      throw unwritable(folder.dir, e);
    }
    return folder;
  }

  public Path dir() {
    return dir;
  }

  public Path resolve(String name) {
    return dir.resolve(name);
  }

  /** Writes {@code name} in the folder (replacing it) through a temporary file. */
  public void write(String name, String content) {
    Path target = dir.resolve(name);
    try {
      Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
      try {
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException | SecurityException e) {
      throw unwritable(target, e);
    }
  }

  /**
   * Lets a container that runs as another user write its results here. Only called for images with
   * a non-root user: the folder is fresh per attempt and holds nothing but that run's files.
   */
  public void openToContainerUser() {
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    } catch (IOException | UnsupportedOperationException e) {
      throw unwritable(dir, e);
    }
  }

  private static RunFailureException unwritable(Path path, Exception e) {
    return new RunFailureException(
        FailureTypes.RESULTS_UNWRITABLE,
        "cannot write the run's results at "
            + path
            + " ("
            + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage())
            + "). Check that the results folder (--results) exists, is a folder and is writable"
            + " by the worker.",
        false,
        e);
  }
}
