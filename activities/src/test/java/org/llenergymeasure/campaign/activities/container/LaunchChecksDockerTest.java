package org.llenergymeasure.campaign.activities.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.Bind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.config.Mount;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;

/**
 * What launch refuses before a container exists (mounts of the worker's own folders, commands the
 * kernel cannot start, what the engine refuses), and the folders' modes for an image that runs as a
 * user other than root.
 */
class LaunchChecksDockerTest {

  /** The test image with a non-root user, built here (its own name: other tests are untouched). */
  private static final String USER_IMAGE = "llem-layout-nobody:dev";

  @TempDir Path tmp;
  private DockerRunFixture fx;
  private ContainerLauncher launcher;

  @BeforeEach
  void setUp() {
    fx = new DockerRunFixture(tmp);
    launcher = new ContainerLauncher(fx.engine, ContainerLauncher.DEFAULT_HOLD_LIMIT);
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  private RunFailureException refused(DockerRunFixture.Exp exp, HostSettings settings) {
    RunFailureException e =
        assertThrows(
            RunFailureException.class,
            () -> launcher.launch(fx.launchRequest("exp.c1", 1, exp), settings));
    assertEquals(FailureTypes.LAUNCH_FAILED, e.type(), e.getMessage());
    assertFalse(e.retryable());
    assertTrue(fx.containers().isEmpty(), "no container was made");
    return e;
  }

  @Test
  void mountsOfTheResultsRootInsideOrAboveItAndOfLlemHomeAreRefused() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("llem-home"));
    HostSettings settings = new HostSettings(DockerRunFixture.HOST, fx.root, null, Map.of(), home);
    Files.createDirectories(fx.root.resolve("other-campaign"));
    Path linkToRoot = Files.createSymbolicLink(tmp.resolve("link"), fx.root);
    List<String> sources =
        List.of(
            fx.root.toString(),
            fx.root.resolve("other-campaign").toString(),
            tmp.toString(),
            linkToRoot.toString(),
            home.toString());
    for (String source : sources) {
      DockerRunFixture.Exp exp = new DockerRunFixture.Exp();
      exp.mounts = List.of(new Mount(source, "/data", false));
      RunFailureException e = refused(exp, settings);
      assertTrue(e.getMessage().contains("the experiment mounts " + source), e.getMessage());
    }
    // Read-only does not make it safe to show (other runs' folders), and is refused the same.
    DockerRunFixture.Exp readOnly = new DockerRunFixture.Exp();
    readOnly.mounts = List.of(new Mount(fx.root.toString(), "/data", true));
    refused(readOnly, settings);
  }

  @Test
  void aCommandTheKernelCannotStartIsLaunchFailedNotAProbeOrExitFailure() {
    DockerRunFixture.Exp big = new DockerRunFixture.Exp();
    List<String> argv = new ArrayList<>(List.of("sh", "-c", "true"));
    for (int i = 0; i < 30; i++) {
      argv.add("x".repeat(100_000));
    }
    big.command = argv;
    assertTrue(refused(big, fx.settings).getMessage().contains("argument list too long"));

    DockerRunFixture.Exp nul = new DockerRunFixture.Exp();
    nul.command = List.of("sh", "-c", "echo a\0b");
    assertTrue(refused(nul, fx.settings).getMessage().contains("NUL byte"));
  }

  @Test
  void aContainerTheEngineRefusesToCreateIsLaunchFailedWithTheEnginesMessage() throws Exception {
    DockerRunFixture.Exp exp = new DockerRunFixture.Exp();
    Path data = Files.createDirectories(tmp.resolve("data"));
    exp.mounts = List.of(new Mount(data.toString(), "relative/target", true));
    RunFailureException e = refused(exp, fx.settings);
    assertTrue(e.getMessage().startsWith("Docker refused to create container"), e.getMessage());
  }

  @Test
  void aNonRootImageUserGetsOnlyTheRunFolderOpenedAndTheRunFolderMountedTwice() throws Exception {
    buildUserImage();
    DockerRunFixture.Exp exp = new DockerRunFixture.Exp();
    exp.image = USER_IMAGE;
    exp.command("id -u > /results/uid.txt; echo x > /run/llem/exchange.txt");
    LaunchResult r = launcher.launch(fx.launchRequest("exp.c1", 1, exp), fx.settings);
    Path attempt = Path.of(r.resultDir());

    assertEquals(
        "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(attempt)));
    assertEquals(
        "rwxrwxrwx",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(attempt.resolve("out"))));
    List<String> binds =
        Arrays.stream(fx.inspect(r.handle()).orElseThrow().getHostConfig().getBinds())
            .map(Bind::toString)
            .toList();
    assertTrue(binds.contains(attempt.resolve("out") + ":/results:rw"), binds.toString());
    assertTrue(binds.contains(attempt.resolve("out") + ":/run/llem:rw"), binds.toString());
    assertTrue(binds.contains(attempt.resolve(".llem") + ":/.llem:ro"), binds.toString());

    launcher.release(r.handle());
    fx.waitExited(r.handle(), Duration.ofSeconds(20));
    assertEquals(0, fx.inspect(r.handle()).orElseThrow().getState().getExitCodeLong());
    assertEquals("65534\n", Files.readString(attempt.resolve("out").resolve("uid.txt")));
    assertEquals("x\n", Files.readString(attempt.resolve("out").resolve("exchange.txt")));
  }

  private static void buildUserImage() throws Exception {
    Process p =
        new ProcessBuilder("docker", "build", "-q", "-t", USER_IMAGE, "-")
            .redirectErrorStream(true)
            .start();
    p.getOutputStream()
        .write(
            ("FROM " + TestImage.NAME + "\nUSER 65534:65534\n").getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "docker build finished");
    assertEquals(0, p.exitValue(), out);
  }
}
