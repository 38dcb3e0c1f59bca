package org.llenergymeasure.campaign.activities.container;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The files copied into {@code /.llem/} of every run container before it starts (see
 * {@link ContainerLauncher} for why): {@code hold.sh}, {@code cuda-view.sh} and, when the
 * classpath has {@code llem/cuda_view.py}, that script. Built as an in-memory tar for Docker's
 * copy-to-container call.
 */
final class HoldFiles {

  static final String DIR = "/.llem";
  static final String HOLD = DIR + "/hold.sh";
  static final String GO = DIR + "/go";
  static final String CUDA_VIEW = DIR + "/cuda-view.sh";
  static final String CUDA_VIEW_RESOURCE = "llem/cuda_view.py";
  static final int HOLD_EXPIRED_EXIT = 125;

  private HoldFiles() {}

  /**
   * Waits for {@code /.llem/go}, then becomes the run's real command. Counted in tenths of a
   * second; where {@code sleep 0.1} is not supported it sleeps whole seconds and counts ten.
   */
  static String holdScript(Duration limit) {
    long ticks = Math.max(1, limit.toMillis() / 100);
    return "#!/bin/sh\n"
        + "# llem-campaign: hold the run until the worker has verified its GPUs.\n"
        + "i=0\n"
        + "while [ ! -e "
        + GO
        + " ]; do\n"
        + "  if sleep 0.1 2>/dev/null; then i=$((i+1)); else sleep 1; i=$((i+10)); fi\n"
        + "  if [ \"$i\" -ge "
        + ticks
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

  /** A tar holding {@code .llem/} and its files, to be extracted at {@code /}. */
  static byte[] tar(Duration holdLimit) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      TarArchiveEntry dir = new TarArchiveEntry(".llem/");
      dir.setMode(040755);
      tar.putArchiveEntry(dir);
      tar.closeArchiveEntry();
      add(tar, "hold.sh", holdScript(holdLimit).getBytes(StandardCharsets.UTF_8));
      add(tar, "cuda-view.sh", cudaViewScript().getBytes(StandardCharsets.UTF_8));
      byte[] py = cudaViewPython();
      if (py != null) {
        add(tar, "cuda_view.py", py);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("building the /.llem archive in memory", e);
    }
    return bytes.toByteArray();
  }

  private static void add(TarArchiveOutputStream tar, String name, byte[] content)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(".llem/" + name);
    entry.setMode(0100755);
    entry.setSize(content.length);
    tar.putArchiveEntry(entry);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  private static byte[] cudaViewPython() throws IOException {
    ClassLoader loader = HoldFiles.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(CUDA_VIEW_RESOURCE)) {
      return in == null ? null : in.readAllBytes();
    }
  }
}
