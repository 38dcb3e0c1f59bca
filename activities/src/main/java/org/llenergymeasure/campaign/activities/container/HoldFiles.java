package org.llenergymeasure.campaign.activities.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.activities.RunFolder;

/**
 * The files every run container finds in {@code /.llem/} (see {@link ContainerLauncher} for why):
 * {@code hold.sh}, {@code cuda-view.sh} and, when the classpath has {@code llem/cuda_view.py}, that
 * script. Written to the attempt's host folder that is bind-mounted read-only at {@code /.llem}.
 */
final class HoldFiles {

  static final String DIR = "/.llem";
  static final String HOLD = DIR + "/hold.sh";
  static final String GO = DIR + "/go";
  static final String CUDA_VIEW = DIR + "/cuda-view.sh";
  static final String CUDA_VIEW_RESOURCE = "llem/cuda_view.py";
  static final int HOLD_EXPIRED_EXIT = 125;
  static final int FAST_POLL_SECONDS = 5;

  private static final byte[] CUDA_VIEW_PYTHON = cudaViewPython();

  private HoldFiles() {}

  /**
   * Runs the run's own GPU probes ({@link SelfProbe}) if the launcher wrote them, waits for {@code
   * /.llem/go}, then becomes the run's real command. Time is counted in milliseconds: the first
   * second polls every 5 ms and up to {@link #FAST_POLL_SECONDS} s every 20 ms, because
   * verification usually releases a run within a fraction of a second and every tick of the hold is
   * a delay added to each run (at 0.1 s a run waited 50 ms on average after its release); after
   * that every 0.1 s. Where {@code sleep} takes no fractions it sleeps whole seconds.
   */
  static String holdScript(Duration limit) {
    long millis = Math.max(1, limit.toMillis());
    return "#!/bin/sh\n"
        + "# llem-campaign: hold the run until the worker has verified its GPUs.\n"
        + "if [ -f "
        + DIR
        + "/"
        + SelfProbe.SCRIPT
        + " ]; then /bin/sh "
        + DIR
        + "/"
        + SelfProbe.SCRIPT
        + "; fi\n"
        + "i=0\n"
        + "while [ ! -e "
        + GO
        + " ]; do\n"
        + "  if [ \"$i\" -lt 1000 ]; then d=0.005; n=5; elif [ \"$i\" -lt "
        + FAST_POLL_SECONDS * 1000
        + " ]; then d=0.02; n=20; else d=0.1; n=100; fi\n"
        + "  if sleep $d 2>/dev/null; then i=$((i+n)); else sleep 1; i=$((i+1000)); fi\n"
        + "  if [ \"$i\" -ge "
        + millis
        + " ]; then\n"
        + "    echo \"llem: the worker did not release this run within "
        + limit.toSeconds()
        + " s (GPU verification never finished); giving up\" >&2\n"
        + "    exit "
        + HOLD_EXPIRED_EXIT
        + "\n"
        + "  fi\n"
        + "done\n"
        + "if [ \"$#\" -eq 0 ]; then\n"
        + "  echo \"llem: nothing to run: the experiment has no command and the image no"
        + " Entrypoint/Cmd\" >&2\n"
        + "  exit 127\n"
        + "fi\n"
        + "exec \"$@\"\n";
  }

  static String cudaViewScript() {
    return "#!/bin/sh\n"
        + "# llem-campaign: print what CUDA enumerates inside this run, one GPU-/MIG- UUID a line.\n"
        + "if command -v python3 >/dev/null 2>&1 && [ -f "
        + DIR
        + "/cuda_view.py ]; then\n"
        + "  exec python3 "
        + DIR
        + "/cuda_view.py \"$@\"\n"
        + "fi\n"
        + "if command -v llem-cuda-view >/dev/null 2>&1; then\n"
        + "  exec llem-cuda-view \"$@\"\n"
        + "fi\n"
        + "echo \"no CUDA view available\" >&2\n"
        + "exit 127\n";
  }

  /**
   * Writes the files into {@code dir} on the host (created if needed), to be bind-mounted at {@code
   * /.llem}: no copy into the container before it starts, and the worker releases the run by
   * creating {@code go} in {@code dir}, without an exec (see {@link ContainerLauncher}).
   */
  static void writeTo(Path dir, Duration holdLimit) {
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      for (Map.Entry<String, byte[]> file : files(holdLimit).entrySet()) {
        Path target = dir.resolve(file.getKey());
        Files.write(target, file.getValue());
        // Readable and runnable by any user the image runs as.
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing the run's /.llem files to " + dir, e);
    }
  }

  /**
   * The files by name: {@code hold.sh}, {@code cuda-view.sh}, and {@code cuda_view.py} if bundled.
   */
  private static Map<String, byte[]> files(Duration holdLimit) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("hold.sh", holdScript(holdLimit).getBytes(StandardCharsets.UTF_8));
    files.put("cuda-view.sh", cudaViewScript().getBytes(StandardCharsets.UTF_8));
    if (CUDA_VIEW_PYTHON != null) {
      files.put("cuda_view.py", CUDA_VIEW_PYTHON);
    }
    return files;
  }

  /**
   * Removes what {@link #writeTo}, {@link SelfProbe#prepare} and a release left in {@code dir}, and
   * {@code dir} if then empty. Through directory handles, never following a link: in attempts made
   * before the run folder existed, the run could write (and replace) this folder.
   */
  static void deleteFrom(Path dir) {
    Path parent = dir.getParent();
    String name = dir.getFileName().toString();
    // The answer folder of attempts made before the run folder existed.
    RunFolder.deleteTree(parent, name + "/probe");
    RunFolder.deleteFiles(
        parent,
        name,
        List.of(
            "hold.sh", "cuda-view.sh", "cuda_view.py", "go", SelfProbe.SCRIPT, SelfProbe.CONSUMED));
  }

  /** Read once: every launch writes it. */
  private static byte[] cudaViewPython() {
    ClassLoader loader = HoldFiles.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(CUDA_VIEW_RESOURCE)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + CUDA_VIEW_RESOURCE + " from the classpath", e);
    }
  }
}
