package org.llenergymeasure.campaign.activities.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * The GPU probes run by the held container itself, before it waits for its release: {@code hold.sh}
 * runs {@code /.llem/probe.sh}, which runs the device view (and the CUDA view alongside) with the
 * container's own environment, user and device nodes — what an exec would see — and writes each
 * answer (stdout, stderr, exit code) into the attempt's {@code .llem/probe/} folder through the
 * results mount. The worker reads them there instead of two execs (~100 ms a run, BENCHMARKS.md).
 * Nothing of the experiment has run yet when they are written: the hold only {@code exec}s the real
 * command after the worker, having read and judged them, creates {@code go}.
 *
 * <p>{@code started} is written first: a container whose probe folder stays without it (a results
 * mount the image's user cannot write) is probed by exec instead. The worker deletes the raw
 * answers once read (a custom probe may print anything; the attempt keeps only the redacted {@code
 * probe.txt}) and leaves {@code consumed}, so a verify tried again asks by exec.
 */
final class SelfProbe {

  static final String SCRIPT = "probe.sh";
  static final String OUT = "probe";
  static final String STARTED = "started";
  static final String DONE = "done";
  static final String CONSUMED = "consumed";
  static final String DEVICE = "device";
  static final String CUDA = "cuda";
  static final String NODES = "nodes";

  private static final List<String> FILES =
      List.of(
          STARTED,
          DONE,
          CONSUMED,
          DEVICE + ".out",
          DEVICE + ".err",
          DEVICE + ".exit",
          CUDA + ".out",
          CUDA + ".err",
          CUDA + ".exit",
          NODES + ".out",
          NODES + ".err",
          NODES + ".exit");

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
   * Writes {@code probe.sh} into the control folder and makes the (empty) answer folder; {@code
   * openToAll} when the image runs as a user other than root, which must be able to write there.
   */
  static void prepare(Path control, String script, boolean openToAll) {
    try {
      Path out = control.resolve(OUT);
      // Answers left by an earlier container of this attempt (it no longer exists: the launcher
      // found no container of this name) must not pass for the new one's. Files only: a launch
      // tried again at the same moment may be preparing the same folder.
      clearFiles(out);
      Files.createDirectories(out);
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

  /**
   * Whether every answer the script writes is there and readable by this process (the node list for
   * {@code gpus: none}, else the device and CUDA views).
   */
  static boolean complete(Path out, boolean noGpu) {
    for (String probe : noGpu ? List.of(NODES) : List.of(DEVICE, CUDA)) {
      for (String suffix : List.of(".exit", ".out", ".err")) {
        if (!Files.isReadable(out.resolve(probe + suffix))) {
          return false;
        }
      }
    }
    return true;
  }

  /** One probe's answer, read from the folder; empty when its exit file was never written. */
  static Optional<ExecResult> answer(Path out, String probe) {
    try {
      Path exit = out.resolve(probe + ".exit");
      if (!Files.exists(exit)) {
        return Optional.empty();
      }
      int code = Integer.parseInt(Files.readString(exit).strip());
      return Optional.of(
          new ExecResult(
              code, read(out.resolve(probe + ".out")), read(out.resolve(probe + ".err"))));
    } catch (IOException e) {
      throw new UncheckedIOException("reading the GPU probe's answer in " + out, e);
    } catch (NumberFormatException e) {
      return Optional.of(
          new ExecResult(-1, "", "the probe wrote no exit code (" + e.getMessage() + ")"));
    }
  }

  /** Deletes the raw answers and leaves {@code consumed}. */
  static void consume(Path out) {
    try {
      clearFiles(out);
      Files.writeString(out.resolve(CONSUMED), "");
    } catch (IOException e) {
      throw new UncheckedIOException("removing the GPU probe's raw answers in " + out, e);
    }
  }

  /** Removes {@code probe.sh} and the answer folder (what {@link #prepare} and the run left). */
  static void deleteFrom(Path control) throws IOException {
    Files.deleteIfExists(control.resolve(SCRIPT));
    clear(control.resolve(OUT));
  }

  private static void clearFiles(Path out) throws IOException {
    for (String name : FILES) {
      Files.deleteIfExists(out.resolve(name));
    }
  }

  private static void clear(Path out) throws IOException {
    clearFiles(out);
    try {
      Files.deleteIfExists(out);
    } catch (java.nio.file.DirectoryNotEmptyException e) {
      // Something else is in there (not ours): leave it.
    }
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
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
