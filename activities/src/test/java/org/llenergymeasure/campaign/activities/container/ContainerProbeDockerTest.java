package org.llenergymeasure.campaign.activities.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.config.Mount;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;

@Tag("docker")
class ContainerProbeDockerTest {

  @TempDir Path tmp;
  DockerRunFixture fx;
  ContainerLauncher launcher;
  ContainerProbe probe;

  @BeforeEach
  void setUp() {
    fx = new DockerRunFixture(tmp);
    launcher = new ContainerLauncher(fx.engine, ContainerLauncher.DEFAULT_HOLD_LIMIT);
    probe = new ContainerProbe(fx.engine);
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  private VerifyRequest launchHeld(DockerRunFixture.Exp exp, GpuRouting routing) {
    LaunchRequest request = new LaunchRequest(fx.run("exp.c1", 1), exp.build(), routing);
    LaunchResult r = launcher.launch(request, fx.settings);
    return new VerifyRequest(request.run(), request.experiment(), routing, r.handle());
  }

  @Test
  void gathersDeviceAndCudaViewsInsideTheHeldRunAndKeepsThemInProbeTxt() throws Exception {
    // A stand-in CUDA view on PATH, mounted read-only: it reports what the run's env says.
    Path tools = Files.createDirectories(tmp.resolve("tools"));
    Path view = tools.resolve("llem-cuda-view");
    Files.writeString(
        view, "#!/bin/sh\necho \"cuda sees $CUDA_VISIBLE_DEVICES of $NVIDIA_VISIBLE_DEVICES\"\n");
    Files.setPosixFilePermissions(view, PosixFilePermissions.fromString("rwxr-xr-x"));
    var exp = new DockerRunFixture.Exp();
    exp.mounts = List.of(new Mount(tools.toString(), "/usr/local/bin", true));
    exp.probe = List.of("sh", "-c", "echo \"GPU 0: fake (UUID: $NVIDIA_VISIBLE_DEVICES)\"");
    VerifyRequest request = launchHeld(exp, DockerRunFixture.envRouting());

    ProbeOutputs out = probe.run(request, fx.settings);

    assertEquals("GPU 0: fake (UUID: " + DockerRunFixture.UUID + ")\n", out.deviceView());
    assertEquals(0, out.deviceViewExit());
    assertEquals("cuda sees 0 of " + DockerRunFixture.UUID + "\n", out.cudaView());
    assertEquals(0, out.cudaViewExit());
    String saved = Files.readString(fx.settings.attemptDir(request.run()).resolve("probe.txt"));
    assertTrue(saved.contains("$ /bin/sh /.llem/cuda-view.sh\ncuda sees 0 of"), saved);
    assertTrue(saved.contains("(UUID: " + DockerRunFixture.UUID + ")\n[exit 0]"), saved);
    // Still held: probing must not start the measurement.
    assertTrue(fx.inspect(request.handle()).orElseThrow().getState().getRunning());
  }

  @Test
  void theHeldRunAnswersItsOwnProbesOnceAndAVerifyTriedAgainAsksByExec() throws Exception {
    // A process started by exec has no parent inside the container (PPID 0); the held run's own
    // probe is a child of its hold script.
    var exp = new DockerRunFixture.Exp();
    exp.probe = List.of("sh", "-c", "echo \"ppid=$PPID\"");
    VerifyRequest request = launchHeld(exp, DockerRunFixture.envRouting());

    ProbeOutputs own = probe.run(request, fx.settings);
    assertTrue(own.deviceView().startsWith("ppid="), own.deviceView());
    assertFalse(
        own.deviceView().equals("ppid=0\n"),
        "answered by the held run itself: " + own.deviceView());
    Path attempt = fx.settings.attemptDir(request.run());
    assertFalse(
        Files.exists(attempt.resolve("out").resolve(SelfProbe.OUT)),
        "the raw answers are deleted once read; probe.txt keeps the redacted record");
    assertTrue(SelfProbe.consumed(attempt.resolve(ContainerLauncher.CONTROL_DIR)));

    ProbeOutputs again = probe.run(request, fx.settings);
    assertEquals("ppid=0\n", again.deviceView(), "asked by exec the second time");
    assertTrue(fx.inspect(request.handle()).orElseThrow().getState().getRunning(), "still held");
  }

  @Test
  void aRelaunchedAttemptIsJudgedOnItsOwnAnswersNotOnThoseOfItsRemovedContainer() throws Exception {
    // Each container's hostname is its own id: the answer says which container gave it.
    var exp = new DockerRunFixture.Exp();
    exp.probe = List.of("cat", "/etc/hostname");
    LaunchRequest request =
        new LaunchRequest(fx.run("exp.c1", 1), exp.build(), DockerRunFixture.envRouting());
    LaunchResult first = launcher.launch(request, fx.settings);
    Path answers = fx.settings.attemptDir(request.run()).resolve("out").resolve(SelfProbe.OUT);
    for (int i = 0; i < 200 && !Files.exists(answers.resolve(SelfProbe.DONE)); i++) {
      Thread.sleep(50);
    }
    assertTrue(Files.exists(answers.resolve(SelfProbe.DONE)), "the first container answered");
    launcher.discard(first.handle());

    LaunchResult again = launcher.launch(request, fx.settings);
    ProbeOutputs out =
        probe.run(
            new VerifyRequest(
                request.run(), request.experiment(), DockerRunFixture.envRouting(), again.handle()),
            fx.settings);

    String id = fx.inspect(again.handle()).orElseThrow().getId();
    assertEquals(id.substring(0, 12) + "\n", out.deviceView());
  }

  @Test
  void imageWithoutCudaViewSaysSoWithExit127() {
    var exp = new DockerRunFixture.Exp();
    exp.probe = List.of("echo", DockerRunFixture.UUID);
    ProbeOutputs out = probe.run(launchHeld(exp, DockerRunFixture.envRouting()), fx.settings);
    assertEquals(DockerRunFixture.UUID + "\n", out.deviceView());
    assertEquals(127, out.cudaViewExit());
    assertEquals("no CUDA view available\n", out.cudaView());
  }

  @Test
  void missingNvidiaSmiIsProbeFailedNamingImageAndProbeKey() throws Exception {
    VerifyRequest request = launchHeld(new DockerRunFixture.Exp(), DockerRunFixture.envRouting());
    RunFailureException e =
        assertThrows(RunFailureException.class, () -> probe.run(request, fx.settings));
    assertEquals(FailureTypes.PROBE_FAILED, e.type());
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains(TestImage.NAME), e.getMessage());
    assertTrue(e.getMessage().contains("`probe:`"), e.getMessage());
    assertTrue(e.getMessage().contains("nvidia-smi -L"), e.getMessage());
    String saved = Files.readString(fx.settings.attemptDir(request.run()).resolve("probe.txt"));
    assertTrue(saved.contains("$ nvidia-smi -L"), saved);
  }

  @Test
  void brokenCustomProbeIsProbeFailed() {
    var exp = new DockerRunFixture.Exp();
    exp.probe = List.of("/opt/no-such-probe", "--list");
    VerifyRequest request = launchHeld(exp, DockerRunFixture.envRouting());
    RunFailureException e =
        assertThrows(RunFailureException.class, () -> probe.run(request, fx.settings));
    assertEquals(FailureTypes.PROBE_FAILED, e.type());
    assertTrue(e.getMessage().contains("/opt/no-such-probe --list"), e.getMessage());
    assertTrue(e.getMessage().contains("Fix the experiment's `probe:`"), e.getMessage());
  }

  @Test
  void probeOfAContainerThatIsNotRunningIsProbeFailed() throws Exception {
    var exp = new DockerRunFixture.Exp();
    exp.probe = List.of("echo", "x");
    VerifyRequest request = launchHeld(exp, DockerRunFixture.envRouting());
    fx.engine.client().stopContainerCmd(request.handle()).withTimeout(0).exec();
    RunFailureException e =
        assertThrows(RunFailureException.class, () -> probe.run(request, fx.settings));
    assertEquals(FailureTypes.PROBE_FAILED, e.type());
  }

  @Test
  void gpusNoneChecksThatNoDeviceNodesExist() throws Exception {
    VerifyRequest request = launchHeld(new DockerRunFixture.Exp(), DockerRunFixture.noGpuRouting());
    ProbeOutputs out = probe.run(request, fx.settings);
    assertFalse(out.devNodesPresent());
    assertNull(out.deviceView());
    assertNull(out.cudaView());

    // The same check sees a device node when there is one (a stand-in file, as root).
    var exec =
        new ContainerExec(fx.engine)
            .run(
                request.handle(),
                List.of("/bin/sh", "-c", ": > /dev/nvidia0"),
                "0:0",
                java.time.Duration.ofSeconds(10));
    assertEquals(0, exec.exitCode(), exec.combined());
    assertTrue(probe.run(request, fx.settings).devNodesPresent());
  }
}
