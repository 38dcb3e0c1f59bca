package org.llenergymeasure.campaign.activities.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Bind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.config.Mount;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;

@Tag("docker")
class ContainerLauncherDockerTest {

  @TempDir Path tmp;
  DockerRunFixture fx;
  ContainerLauncher launcher;

  @BeforeEach
  void setUp() {
    fx = new DockerRunFixture(tmp);
    launcher = new ContainerLauncher(fx.engine, ContainerLauncher.DEFAULT_HOLD_LIMIT);
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  @Test
  void startsHeldAndRunsTheCommandOnlyAfterRelease() throws Exception {
    var exp =
        new DockerRunFixture.Exp()
            .command(
                "echo ran > /results/ran.txt; echo \"$CUDA_VISIBLE_DEVICES\" > /results/cvd.txt");
    LaunchRequest request = fx.launchRequest("exp.c1", 1, exp);

    LaunchResult result = launcher.launch(request, fx.settings);

    assertEquals("started", result.state());
    Path dir = fx.root.resolve(fx.campaign).resolve("exp.c1").resolve("a1");
    assertEquals(dir.toString(), result.resultDir());
    Thread.sleep(700);
    assertFalse(Files.exists(dir.resolve("out/ran.txt")), "the run must wait for release");
    InspectContainerResponse c = fx.inspect(result.handle()).orElseThrow();
    assertTrue(c.getState().getRunning());
    assertEquals(
        Map.of(
            "llem.campaign",
            fx.campaign,
            "llem.run",
            "exp.c1",
            "llem.attempt",
            "1",
            "llem.host",
            DockerRunFixture.HOST),
        c.getConfig().getLabels());
    assertFalse(Boolean.TRUE.equals(c.getHostConfig().getPrivileged()));
    assertEquals("none", c.getHostConfig().getNetworkMode());

    launcher.release(result.handle());
    launcher.release(result.handle()); // idempotent
    fx.waitExited(result.handle(), Duration.ofSeconds(10));

    assertEquals("ran\n", Files.readString(dir.resolve("out/ran.txt")));
    assertEquals("0\n", Files.readString(dir.resolve("out/cvd.txt")));
    JsonNode routing = new ObjectMapper().readTree(dir.resolve("routing.json").toFile());
    assertEquals(DockerRunFixture.UUID, routing.get("devices").get(0).get("uuid").asText());
    assertEquals("env", routing.get("attach").asText());
    assertEquals(0, c.getState().getExitCodeLong());
  }

  @Test
  void releaseCreatesTheGoFileThroughTheReadOnlyControlMountWithoutAnExec() throws Exception {
    LaunchRequest request =
        fx.launchRequest(
            "exp.c1", 1, new DockerRunFixture.Exp().command("echo ran > /results/ran.txt"));
    LaunchResult result = launcher.launch(request, fx.settings);
    Path control = fx.settings.attemptDir(request.run()).resolve(ContainerLauncher.CONTROL_DIR);
    InspectContainerResponse c = fx.inspect(result.handle()).orElseThrow();
    var mount =
        c.getMounts().stream()
            .filter(m -> "/.llem".equals(m.getDestination().getPath()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no /.llem mount: " + c.getMounts()));
    assertEquals(control.toString(), mount.getSource());
    assertFalse(Boolean.TRUE.equals(mount.getRW()), "the run cannot change its hold files");
    assertTrue(Files.isRegularFile(control.resolve("hold.sh")));
    assertFalse(Files.exists(control.resolve("go")));

    launcher.release(result.handle());

    assertTrue(Files.exists(control.resolve("go")), "released on the host side");
    fx.waitExited(result.handle(), Duration.ofSeconds(10));
    assertEquals(0, fx.inspect(result.handle()).orElseThrow().getState().getExitCodeLong());
    assertEquals(
        "ran\n", Files.readString(fx.settings.attemptDir(request.run()).resolve("out/ran.txt")));
    // Release used no exec: the engine records every exec it ran for a container.
    assertTrue(
        fx.inspect(result.handle()).orElseThrow().getExecIds() == null
            || fx.inspect(result.handle()).orElseThrow().getExecIds().isEmpty(),
        "release ran an exec");
  }

  @Test
  void aRelaunchedAttemptDoesNotInheritTheGoFileOfItsRemovedContainer() throws Exception {
    LaunchRequest request =
        fx.launchRequest(
            "exp.c1", 1, new DockerRunFixture.Exp().command("echo ran > /results/ran.txt"));
    LaunchResult first = launcher.launch(request, fx.settings);
    launcher.release(first.handle());
    fx.waitExited(first.handle(), Duration.ofSeconds(10));
    Files.delete(fx.settings.attemptDir(request.run()).resolve("out/ran.txt"));
    launcher.discard(first.handle());

    LaunchResult again = launcher.launch(request, fx.settings);

    Thread.sleep(500);
    assertFalse(
        Files.exists(fx.settings.attemptDir(request.run()).resolve("out/ran.txt")),
        "a new container of the attempt must wait for its own release");
    launcher.discard(again.handle());
  }

  @Test
  void secondLaunchAfterACrashAttachesToTheRunningContainer() {
    LaunchRequest request =
        fx.launchRequest("exp.c1", 2, new DockerRunFixture.Exp().command("sleep 30"));

    LaunchResult first = launcher.launch(request, fx.settings);
    LaunchResult second = launcher.launch(request, fx.settings);

    assertEquals("started", first.state());
    assertEquals("attached", second.state());
    assertEquals(first.handle(), second.handle());
    assertTrue(first.handle().endsWith("-A2"), first.handle());
    assertEquals(1, fx.containers().size());
  }

  @Test
  void containerThatExitedWhileTheWorkerWasDownIsReportedExited() throws Exception {
    LaunchRequest request =
        fx.launchRequest("exp.c1", 1, new DockerRunFixture.Exp().command("exit 0"));
    LaunchResult first = launcher.launch(request, fx.settings);
    launcher.release(first.handle());
    fx.waitExited(first.handle(), Duration.ofSeconds(10));

    LaunchResult again = launcher.launch(request, fx.settings);

    assertEquals("exited", again.state());
    assertEquals(first.handle(), again.handle());
    // await takes its exit at once
    var result =
        ContainerAwaiter.realTime(fx.engine)
            .await(
                new AwaitRequest(request.run(), request.experiment(), again.handle()),
                fx.settings,
                null,
                Heartbeater.none());
    assertEquals(0, result.exitCode());
  }

  @Test
  void containerLeftInCreatedStateIsStartedHeld() throws Exception {
    LaunchRequest request =
        fx.launchRequest(
            "exp.c1", 1, new DockerRunFixture.Exp().command("echo ran > /results/ran.txt"));
    String name = ContainerNames.forRun(request.run());
    // What a crash between create and start leaves behind: the /.llem files written, a created
    // container mounting them, never started.
    Path attemptDir = Files.createDirectories(fx.settings.attemptDir(request.run()));
    Path control = attemptDir.resolve(ContainerLauncher.CONTROL_DIR);
    HoldFiles.writeTo(control, ContainerLauncher.DEFAULT_HOLD_LIMIT);
    fx.engine
        .client()
        .createContainerCmd(TestImage.NAME)
        .withName(name)
        .withLabels(
            new ContainerLabels(fx.campaign, "exp.c1", 1, DockerRunFixture.HOST).toMap(List.of()))
        .withEntrypoint("/bin/sh")
        .withCmd(RunContainerSpec.heldCommand(request.experiment().command()))
        .withHostConfig(
            RunContainerSpec.hostConfig(
                request.experiment(),
                request.routing(),
                Files.createDirectories(attemptDir.resolve("out")),
                null,
                control))
        .exec();

    LaunchResult result = launcher.launch(request, fx.settings);

    assertEquals("started", result.state());
    launcher.release(name);
    fx.waitExited(name, Duration.ofSeconds(10));
    assertEquals(0, fx.inspect(name).orElseThrow().getState().getExitCodeLong());
    assertTrue(Files.exists(fx.settings.attemptDir(request.run()).resolve("out/ran.txt")));
  }

  @Test
  void staleContainerInAnotherStateIsReplaced() throws Exception {
    LaunchRequest request =
        fx.launchRequest("exp.c1", 1, new DockerRunFixture.Exp().command("sleep 30"));
    LaunchResult first = launcher.launch(request, fx.settings);
    String oldId = fx.inspect(first.handle()).orElseThrow().getId();
    fx.engine.client().pauseContainerCmd(first.handle()).exec();

    LaunchResult second = launcher.launch(request, fx.settings);

    assertEquals("started", second.state());
    assertFalse(oldId.equals(fx.inspect(second.handle()).orElseThrow().getId()));
    assertEquals(1, fx.containers().size());
  }

  @Test
  void concurrentLaunchesOfOneAttemptShareOneContainer() throws Exception {
    LaunchRequest request =
        fx.launchRequest("exp.c1", 1, new DockerRunFixture.Exp().command("sleep 30"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<LaunchResult>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        futures.add(
            pool.submit((Callable<LaunchResult>) () -> launcher.launch(request, fx.settings)));
      }
      Set<String> handles = new java.util.HashSet<>();
      for (Future<LaunchResult> f : futures) {
        LaunchResult r = f.get();
        handles.add(r.handle());
        assertTrue(Set.of("started", "attached").contains(r.state()), r.state());
      }
      assertEquals(1, handles.size());
      assertEquals(1, fx.containers().size());
      assertTrue(fx.inspect(handles.iterator().next()).orElseThrow().getState().getRunning());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void imageEntrypointAndCmdAreKeptWhenTheExperimentHasNoCommand() throws Exception {
    var exp = new DockerRunFixture.Exp();
    exp.image = TestImage.WITH_ENTRYPOINT;
    exp.command = null;
    LaunchRequest request = fx.launchRequest("exp.c1", 1, exp);

    LaunchResult result = launcher.launch(request, fx.settings);
    launcher.release(result.handle());
    fx.waitExited(result.handle(), Duration.ofSeconds(10));

    assertEquals(
        "from-image-cmd\n", Files.readString(Path.of(result.resultDir(), "out", "out.txt")));
    assertEquals(
        List.of("/.llem/hold.sh", "/bin/sh", "-c", "echo from-image-cmd > /results/out.txt"),
        Arrays.asList(fx.inspect(result.handle()).orElseThrow().getConfig().getCmd()));
  }

  @Test
  void mountsInventoryAndLimitsAreApplied() throws Exception {
    Path inventory = Files.createDirectories(tmp.resolve("inventory"));
    Files.writeString(inventory.resolve("query-gpu.csv"), "0, GPU-x\n");
    Path data = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(data.resolve("in.txt"), "input\n");
    DockerRunFixture withInventory = new DockerRunFixture(tmp.resolve("w"), Map.of(), inventory);
    try {
      var exp = new DockerRunFixture.Exp();
      exp.mounts = List.of(new Mount(data.toString(), "/data", true));
      exp.memory = 64L << 20;
      exp.command(
          "cat /llem-sim/inventory/query-gpu.csv /data/in.txt > /results/seen.txt;"
              + " (touch /llem-sim/inventory/x || echo inv-ro) >> /results/seen.txt;"
              + " (touch /data/x || echo data-ro) >> /results/seen.txt");
      ContainerLauncher l =
          new ContainerLauncher(withInventory.engine, ContainerLauncher.DEFAULT_HOLD_LIMIT);
      LaunchResult r =
          l.launch(withInventory.launchRequest("exp.c1", 1, exp), withInventory.settings);
      InspectContainerResponse c = withInventory.inspect(r.handle()).orElseThrow();
      assertEquals(64L << 20, c.getHostConfig().getMemory());
      List<String> binds =
          Arrays.stream(c.getHostConfig().getBinds())
              .map(Bind::toString)
              .collect(Collectors.toList());
      assertTrue(binds.contains(inventory + ":/llem-sim/inventory:ro"), binds.toString());
      l.release(r.handle());
      withInventory.waitExited(r.handle(), Duration.ofSeconds(10));
      assertEquals(
          "0, GPU-x\ninput\ninv-ro\ndata-ro\n",
          Files.readString(Path.of(r.resultDir(), "out", "seen.txt")));
    } finally {
      withInventory.close();
    }
  }

  @Test
  void holdGivesUpWhenNeverReleased() throws Exception {
    ContainerLauncher impatient = new ContainerLauncher(fx.engine, Duration.ofMillis(500));
    LaunchResult r =
        impatient.launch(fx.launchRequest("exp.c1", 1, new DockerRunFixture.Exp()), fx.settings);
    fx.waitExited(r.handle(), Duration.ofSeconds(10));
    assertEquals(125, fx.inspect(r.handle()).orElseThrow().getState().getExitCodeLong());
  }

  @Test
  void discardRemovesTheContainerAndIsIdempotent() {
    LaunchResult r =
        launcher.launch(fx.launchRequest("exp.c1", 1, new DockerRunFixture.Exp()), fx.settings);
    launcher.discard(r.handle());
    launcher.discard(r.handle());
    assertTrue(fx.inspect(r.handle()).isEmpty());
  }

  @Test
  void missingImageIsImageNotFoundWithHowToGetIt() {
    var exp = new DockerRunFixture.Exp();
    exp.image = "llem-probe:does-not-exist";
    RunFailureException e =
        assertThrows(
            RunFailureException.class,
            () -> launcher.launch(fx.launchRequest("exp.c1", 1, exp), fx.settings));
    assertEquals(FailureTypes.IMAGE_NOT_FOUND, e.type());
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("llem-probe:does-not-exist"), e.getMessage());
    assertTrue(e.getMessage().contains("scripts/build-test-images"), e.getMessage());

    exp.image = "example.invalid/team/model:1.0";
    RunFailureException other =
        assertThrows(
            RunFailureException.class,
            () -> launcher.launch(fx.launchRequest("exp.c1", 1, exp), fx.settings));
    assertEquals(FailureTypes.IMAGE_NOT_FOUND, other.type());
    assertTrue(
        other.getMessage().contains("docker pull example.invalid/team/model:1.0"),
        other.getMessage());
    assertEquals(List.of(), fx.containers());
  }

  @Test
  void gpuRequestWithoutNvidiaRuntimeIsGpuRuntimeMissingAndLeavesNoContainer() {
    LaunchRequest request =
        new LaunchRequest(
            fx.run("exp.c1", 1),
            new DockerRunFixture.Exp().build(),
            DockerRunFixture.deviceRequestRouting());
    RunFailureException e =
        assertThrows(RunFailureException.class, () -> launcher.launch(request, fx.settings));
    assertEquals(FailureTypes.GPU_RUNTIME_MISSING, e.type());
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("NVIDIA container toolkit"), e.getMessage());
    assertTrue(e.getMessage().contains("could not select device driver"), e.getMessage());
    assertEquals(List.of(), fx.containers());
  }

  @Test
  void missingSecretIsSecretMissingNamingIt() {
    var exp = new DockerRunFixture.Exp();
    exp.secrets = List.of("LLEM_TEST_ABSENT_TOKEN");
    RunFailureException e =
        assertThrows(
            RunFailureException.class,
            () -> launcher.launch(fx.launchRequest("exp.c1", 1, exp), fx.settings));
    assertEquals(FailureTypes.SECRET_MISSING, e.type());
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("LLEM_TEST_ABSENT_TOKEN"), e.getMessage());
    assertEquals(List.of(), fx.containers());
  }

  @Test
  void unwritableResultsRootIsResultsUnwritable() throws Exception {
    Path notAFolder = Files.writeString(tmp.resolve("file"), "x");
    HostSettings bad = new HostSettings(DockerRunFixture.HOST, notAFolder, null, Map.of(), null);
    RunFailureException e =
        assertThrows(
            RunFailureException.class,
            () -> launcher.launch(fx.launchRequest("exp.c1", 1, new DockerRunFixture.Exp()), bad));
    assertEquals(FailureTypes.RESULTS_UNWRITABLE, e.type());
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains(notAFolder.toString()), e.getMessage());
    assertEquals(List.of(), fx.containers());
  }

  @Test
  void unreachableEngineIsRetryableEngineUnavailableNamingDockerHost() throws Exception {
    String host = "unix://" + tmp.resolve("no-docker.sock");
    try (DockerEngine down = DockerEngine.connect(host)) {
      RunFailureException e =
          assertThrows(
              RunFailureException.class,
              () ->
                  new ContainerLauncher(down, ContainerLauncher.DEFAULT_HOLD_LIMIT)
                      .launch(
                          fx.launchRequest("exp.c1", 1, new DockerRunFixture.Exp()), fx.settings));
      assertEquals(FailureTypes.ENGINE_UNAVAILABLE, e.type());
      assertTrue(e.retryable());
      assertTrue(e.getMessage().contains(host), e.getMessage());
    }
  }
}
