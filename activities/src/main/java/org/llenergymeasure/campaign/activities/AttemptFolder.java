package org.llenergymeasure.campaign.activities;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.RunRef;

/**
 * The folder of one run attempt, {@code <resultsRoot>/<campaign>/<runId>/a<attempt>/}, and the
 * files the worker writes into it. Every write goes to a temporary file first and is moved into
 * place, so a crash never leaves a half-written {@code routing.json} or {@code probe.txt}.
 *
 * <p>The folder is the worker's own (mode 0700): its records ({@code log.txt}, {@code probe.txt},
 * {@code routing.json}, {@code gpu-samples.jsonl}, ...) and the run's control folder. The run
 * writes only into its run folder {@link #RUN_DIR} inside it, the one folder mounted into a
 * container (or a process's working directory); whatever is in there is read through {@link
 * RunFolder}. Attempts made before the run folder existed have no {@code out/}: their run wrote
 * into the attempt folder itself.
 */
public final class AttemptFolder {

  /** The run's own folder inside the attempt folder: the only one a run can write. */
  public static final String RUN_DIR = "out";

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
      boolean fresh = !Files.isDirectory(folder.dir);
      Files.createDirectories(folder.dir);
      if (!Files.isWritable(folder.dir)) {
        throw new IOException("not writable");
      }
      if (fresh) {
        // Only the worker: other local users may read nothing of a run (its log, its probe). Only
        // when made here: an attempt folder of an earlier version may still be a running
        // container's results mount, opened to its user.
        Files.setPosixFilePermissions(folder.dir, PosixFilePermissions.fromString("rwx------"));
      }
    } catch (IOException | SecurityException | UnsupportedOperationException e) {
      throw unwritable(folder.dir, e);
    }
    return folder;
  }

  /** The run's folder ({@code out/}), without touching the disk. */
  public Path runDir() {
    return dir.resolve(RUN_DIR);
  }

  /**
   * The folder the run's files are in: {@code out/}, or the attempt folder itself for an attempt
   * made before run folders existed (no {@code out/}).
   */
  public Path runFilesDir() {
    return Files.isDirectory(runDir(), LinkOption.NOFOLLOW_LINKS) || !Files.isDirectory(dir)
        ? runDir()
        : dir;
  }

  /** Creates the run folder ({@code out/}) if needed. */
  public Path createRunDir() {
    Path out = runDir();
    try {
      if (!Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(out);
      }
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // Made by another try at the same moment.
    } catch (IOException | SecurityException e) {
      throw unwritable(out, e);
    }
    return out;
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

  /** Writes {@code relative} (may name sub-folders, created as needed) with these bytes. */
  public void write(String relative, byte[] content) {
    Path target = dir.resolve(relative).normalize();
    if (!target.startsWith(dir) || target.equals(dir)) {
      throw new IllegalArgumentException(relative + " is not inside " + dir);
    }
    try {
      Path parent = target.getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, "." + target.getFileName(), ".tmp");
      try {
        Files.write(tmp, content);
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
   * Lets a container that runs as another user write its results into the run folder. Only called
   * for images with a non-root user: the run folder is fresh per attempt and holds nothing but that
   * run's files; the attempt folder around it stays the worker's alone (0700), so no other local
   * user can reach it (a bind mount does not need its parents to be open to the container's user).
   */
  public void openRunDirToContainerUser() {
    Path out = runDir();
    try {
      Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
    } catch (IOException | UnsupportedOperationException e) {
      throw unwritable(out, e);
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
