package org.llenergymeasure.campaign.activities.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.llenergymeasure.campaign.activities.RunFolder;

/**
 * The GPU probes run by the held container itself, before it waits for its release: {@code hold.sh}
 * runs {@code /.llem/probe.sh}, which runs the device view (and the CUDA view alongside) with the
 * container's own environment, user and device nodes — what an exec would see — and writes each
 * answer (stdout, stderr, exit code) into {@code .llem-probe/} in the run folder ({@code out/}, the
 * one folder the run can write). The worker reads them there instead of two execs (~100 ms a run,
 * BENCHMARKS.md), through directory handles ({@link RunFolder}): the image's probe may have left
 * links or anything else there, and may still be running. Nothing of the experiment's command has
 * run yet when they are written: the hold only {@code exec}s it after the worker, having read and
 * judged them, creates {@code go}.
 *
 * <p>{@code started} is written first: a container whose probe folder stays without it (a results
 * mount the image's user cannot write) is probed by exec instead. The worker deletes the raw
 * answers once read (a custom probe may print anything; the attempt keeps only the redacted {@code
 * probe.txt}) and leaves {@code probe-read} in its own control folder, so a verify tried again asks
 * by exec.
 */
final class SelfProbe {

  static final String SCRIPT = "probe.sh";

  /** The answers' folder, in the run folder. */
  static final String OUT = ".llem-probe";

  static final String STARTED = "started";
  static final String DONE = "done";

  /** In the control folder: the answers were read once. */
  static final String CONSUMED = "probe-read";

  static final String DEVICE = "device";
  static final String CUDA = "cuda";
  static final String NODES = "nodes";

  /** An answer larger than this is refused (a view prints a few lines). */
  static final long MAX_ANSWER_BYTES = 1L << 20;

  private SelfProbe() {}

  /**
   * The script for one attempt.
   *
   * @param deviceCommand the device view (the experiment's {@code probe}, else {@code nvidia-smi
   *     -L}); null for {@code gpus: none}, which lists {@code /dev/nvidia<N>} nodes instead
   * @param outInContainer where the attempt's probe folder appears inside the container
   */
  static String script(List<String> deviceCommand, String outInContainer) {
    StringBuilder s = new StringBuilder();
    s.append("#!/bin/sh\n")
        .append(
            "# llem-campaign: this run's GPU probes, run by hold.sh before the run can be released.\n")
        .append("o=")
        .append(quote(outInContainer))
        .append('\n')
        // `true`, not `:`: a failed redirection of a special built-in would end the shell.
        .append("true 2>/dev/null >\"$o/")
        .append(STARTED)
        .append("\" || exit 0\n");
    if (deviceCommand == null) {
      s.append("( ")
          .append(join(ContainerProbe.DEV_NODES))
          .append(" ) ")
          .append(redirect(NODES))
          .append('\n');
    } else {
      s.append("( /bin/sh ")
          .append(HoldFiles.CUDA_VIEW)
          .append(' ')
          .append(redirect(CUDA))
          .append(" ) &\n");
      s.append(join(deviceCommand)).append(' ').append(redirect(DEVICE)).append('\n');
      s.append("wait\n");
    }
    s.append("true >\"$o/").append(DONE).append("\"\n");
    return s.toString();
  }

  /**
   * Writes {@code probe.sh} into the control folder and makes the (empty) answer folder in the run
   * folder; {@code openToAll} when the image runs as a user other than root, which must be able to
   * write there. Called before the container exists: nothing of the run races it.
   */
  static void prepare(Path control, Path runDir, String script, boolean openToAll) {
    try {
      // Answers left by an earlier container of this attempt (it no longer exists: the launcher
      // found no container of this name) must not pass for the new one's. The folder is kept: a
      // launch tried again at the same moment may be preparing it too.
      RunFolder.clear(runDir, OUT);
      Files.deleteIfExists(control.resolve(CONSUMED));
      Path out = runDir.resolve(OUT);
      try {
        Files.createDirectory(out);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // A launch tried again at the same moment made it.
      }
      // Only the worker lists it (a probe may print anything; root in the container writes anyway),
      // unless the image's user is not root and must be let in.
      Files.setPosixFilePermissions(
          out, PosixFilePermissions.fromString(openToAll ? "rwxrwxrwx" : "rwx------"));
      Path target = control.resolve(SCRIPT);
      Files.writeString(target, script, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException("writing the run's GPU probe script into " + control, e);
    }
  }

  /** Whether the held run wrote {@code marker} ({@link #STARTED}, {@link #DONE}) as a file. */
  static boolean wrote(Path runDir, String marker) {
    return RunFolder.isRegularFile(runDir, OUT + "/" + marker);
  }

  /** Whether the answers were read once already ({@link #consume}). */
  static boolean consumed(Path control) {
    return Files.exists(control.resolve(CONSUMED), LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Whether every answer the script writes is there as a regular file (the node list for {@code
   * gpus: none}, else the device and CUDA views).
   */
  static boolean complete(Path runDir, boolean noGpu) {
    for (String probe : noGpu ? List.of(NODES) : List.of(DEVICE, CUDA)) {
      for (String suffix : List.of(".exit", ".out", ".err")) {
        if (!RunFolder.isRegularFile(runDir, OUT + "/" + probe + suffix)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * One probe's answer, read from the run folder through handles; empty when its exit file was
   * never written. An answer that is a link or not a regular file is refused: a failed answer whose
   * message says so, never what the entry points to.
   */
  static Optional<ExecResult> answer(Path runDir, String probe) {
    RunFolder.Read exit = RunFolder.read(runDir, OUT + "/" + probe + ".exit", 64);
    if (exit instanceof RunFolder.Missing) {
      return Optional.empty();
    }
    List<String> refused = new ArrayList<>();
    String code = text(exit, probe + ".exit", refused);
    String out = text(read(runDir, probe + ".out"), probe + ".out", refused);
    String err = text(read(runDir, probe + ".err"), probe + ".err", refused);
    if (!refused.isEmpty()) {
      return Optional.of(
          new ExecResult(
              -1,
              "",
              "the probe's answer "
                  + String.join("; ", refused)
                  + "; the held run's answers must be regular files in "
                  + OUT
                  + "/"));
    }
    try {
      return Optional.of(new ExecResult(Integer.parseInt(code.strip()), out, err));
    } catch (NumberFormatException e) {
      return Optional.of(new ExecResult(-1, "", "the probe wrote no exit code"));
    }
  }

  private static RunFolder.Read read(Path runDir, String name) {
    return RunFolder.read(runDir, OUT + "/" + name, MAX_ANSWER_BYTES);
  }

  /** The file's text; a refused or oversized file is noted in {@code refused} (never quoted). */
  private static String text(RunFolder.Read read, String name, List<String> refused) {
    if (read instanceof RunFolder.Refused r) {
      refused.add(name + " " + r.why());
      return "";
    }
    if (read instanceof RunFolder.Bytes b) {
      if (b.bytes().length > MAX_ANSWER_BYTES) {
        refused.add(name + " is larger than " + (MAX_ANSWER_BYTES >> 20) + " MiB");
        return "";
      }
      return new String(b.bytes(), StandardCharsets.UTF_8);
    }
    return "";
  }

  /** Deletes the raw answers and notes, in the worker's control folder, that they were read. */
  static void consume(Path control, Path runDir) {
    try {
      Files.writeString(control.resolve(CONSUMED), "");
    } catch (IOException e) {
      throw new UncheckedIOException("noting that the GPU probe's answers were read", e);
    }
    deleteAnswers(runDir);
  }

  /** Removes the answer folder from the run folder, through handles (links are not followed). */
  static void deleteAnswers(Path runDir) {
    if (Files.isDirectory(runDir, LinkOption.NOFOLLOW_LINKS)) {
      RunFolder.deleteTree(runDir, OUT);
    }
  }

  private static String redirect(String probe) {
    return ">\"$o/"
        + probe
        + ".out\" 2>\"$o/"
        + probe
        + ".err\" </dev/null; echo $? >\"$o/"
        + probe
        + ".exit\"";
  }

  private static String join(List<String> argv) {
    StringBuilder s = new StringBuilder();
    for (String a : argv) {
      if (s.length() > 0) {
        s.append(' ');
      }
      s.append(quote(a));
    }
    return s.toString();
  }

  /** A POSIX shell single-quoted word: nothing inside is expanded. */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
