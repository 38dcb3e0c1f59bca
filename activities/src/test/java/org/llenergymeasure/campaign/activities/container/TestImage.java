package org.llenergymeasure.campaign.activities.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tiny local image for the docker tests, made without a registry: a rootfs holding busybox-static
 * and its applet links, imported with {@code docker import} once per test JVM.
 */
final class TestImage {

  static final String NAME = "llem-test-busybox:dev";
  static final String WITH_ENTRYPOINT = "llem-test-entrypoint:dev";
  private static boolean ready;

  private TestImage() {}

  static synchronized String ensure() {
    if (ready) {
      return NAME;
    }
    try {
      Path root = Files.createTempDirectory("llem-test-rootfs");
      try {
        Path bin = Files.createDirectories(root.resolve("bin"));
        for (String d : List.of("tmp", "dev", "proc", "sys", "etc", "usr/local/bin")) {
          Files.createDirectories(root.resolve(d));
        }
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        String applets = run(List.of("/bin/busybox", "--list"));
        for (String applet : applets.split("\n")) {
          if (!applet.isBlank() && !applet.equals("busybox")) {
            Files.createSymbolicLink(bin.resolve(applet.strip()), Path.of("busybox"));
          }
        }
        run(
            List.of(
                "/bin/sh",
                "-c",
                "tar -C '" + root + "' -c . | docker import -c 'CMD [\"/bin/sh\"]' - " + NAME));
        // The same rootfs with an Entrypoint and Cmd, to check that a held run keeps them.
        run(
            List.of(
                "/bin/sh",
                "-c",
                "tar -C '"
                    + root
                    + "' -c . | docker import -c 'ENTRYPOINT [\"/bin/sh\", \"-c\"]'"
                    + " -c 'CMD [\"echo from-image-cmd > /results/out.txt\"]' - "
                    + WITH_ENTRYPOINT));
      } finally {
        try (var walk = Files.walk(root)) {
          for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
      ready = true;
      return NAME;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("cannot build the test image " + NAME, e);
    }
  }

  static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }
}
