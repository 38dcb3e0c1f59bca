package org.llenergymeasure.campaign.activities.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;

@Tag("docker")
class ContainerCleanupDockerTest {

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
  void cleanupSavesTheWholeLogOnceAndRemovesTheContainer() throws Exception {
    LaunchRequest request =
        fx.launchRequest(
            "exp.c1",
            1,
            new DockerRunFixture.Exp()
                .command("for i in 1 2 3; do echo line $i; done; echo err >&2"));
    LaunchResult r = launcher.launch(request, fx.settings);
    launcher.release(r.handle());
    fx.waitExited(r.handle(), Duration.ofSeconds(10));
    ContainerCleaner cleaner = new ContainerCleaner(fx.engine);
    CleanupRequest cleanup = new CleanupRequest(request.run(), r.handle(), request.routing());

    cleaner.cleanup(cleanup, fx.settings);
    cleaner.cleanup(cleanup, fx.settings); // already gone: fine

    Path log = Path.of(r.resultDir(), "log.txt");
    String text = Files.readString(log);
    // stdout in order; the engine may put stderr anywhere among it (separate copiers).
    assertEquals("line 1\nline 2\nline 3\n", text.replace("err\n", ""), text);
    assertTrue(text.contains("err\n"), text);
    assertTrue(fx.inspect(r.handle()).isEmpty());
    assertEquals(List.of(), fx.containers());
  }

  @Test
  void wholeAttemptFromLaunchToLedger() throws Exception {
    var exp = new DockerRunFixture.Exp();
    exp.probe = List.of("echo", DockerRunFixture.UUID);
    exp.command(
        "echo measuring; echo '{\"total_energy_j\": 42.5, \"note\": \"ok\"}' > /results/result.json");
    LaunchRequest request = fx.launchRequest("exp.c1", 1, exp);
    LaunchResult r = launcher.launch(request, fx.settings);
    var verify =
        new org.llenergymeasure.campaign.workflows.host.VerifyRequest(
            request.run(), request.experiment(), request.routing(), r.handle());
    assertEquals(
        DockerRunFixture.UUID + "\n",
        new ContainerProbe(fx.engine).run(verify, fx.settings).deviceView());
    launcher.release(r.handle());
    var done =
        ContainerAwaiter.realTime(fx.engine)
            .await(
                new org.llenergymeasure.campaign.workflows.host.AwaitRequest(
                    request.run(), request.experiment(), r.handle()),
                fx.settings,
                null,
                Heartbeater.none());
    var collected =
        new org.llenergymeasure.campaign.activities.ledger.ResultCollector(
                new ContainerLogs(fx.engine),
                new org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry(
                    "no GPU telemetry here"))
            .collect(
                new org.llenergymeasure.campaign.workflows.host.CollectRequest(
                    request.run(),
                    request.experiment(),
                    request.routing(),
                    r.handle(),
                    List.of(DockerRunFixture.UUID),
                    null,
                    1,
                    2),
                fx.settings);
    new ContainerCleaner(fx.engine)
        .cleanup(new CleanupRequest(request.run(), r.handle(), request.routing()), fx.settings);

    assertEquals(0, done.exitCode());
    assertEquals("completed", collected.status());
    assertEquals(java.util.Map.of("total_energy_j", 42.5), collected.resultSummary());
    assertEquals("measuring\n", Files.readString(Path.of(r.resultDir(), "log.txt")));
    var ledger =
        org.llenergymeasure.campaign.activities.ledger.RunLedger.of(fx.root, fx.campaign).read();
    assertEquals(1, ledger.size());
    assertEquals("ok", ledger.get(0).result().get("note").asText());
    assertEquals(List.of(), fx.containers());
  }

  @Test
  void cleanupKeepsALogThatWasAlreadySaved() throws Exception {
    LaunchRequest request =
        fx.launchRequest("exp.c1", 1, new DockerRunFixture.Exp().command("echo new"));
    LaunchResult r = launcher.launch(request, fx.settings);
    Files.writeString(Path.of(r.resultDir(), "log.txt"), "saved by collect\n");
    new ContainerCleaner(fx.engine)
        .cleanup(new CleanupRequest(request.run(), r.handle(), request.routing()), fx.settings);
    assertEquals("saved by collect\n", Files.readString(Path.of(r.resultDir(), "log.txt")));
    assertTrue(fx.inspect(r.handle()).isEmpty());
  }

  @Test
  void reaperRemovesOnlyContainersNoLiveRunOwns() {
    LaunchResult owned =
        launcher.launch(
            fx.launchRequest("exp.c1", 1, new DockerRunFixture.Exp().command("sleep 30")),
            fx.settings);
    LaunchResult orphan =
        launcher.launch(
            fx.launchRequest("exp.c2", 1, new DockerRunFixture.Exp().command("sleep 30")),
            fx.settings);
    // Another host's container on the same engine is never touched.
    DockerRunFixture other = fx;
    var otherHost =
        new org.llenergymeasure.campaign.activities.HostSettings(
            "other-host", fx.root, null, java.util.Map.of(), null);
    LaunchResult foreign =
        launcher.launch(
            other.launchRequest("exp.c3", 1, new DockerRunFixture.Exp().command("sleep 30")),
            otherHost);

    List<String> removed =
        new ContainerReaper(fx.engine, DockerRunFixture.HOST)
            .reap(fx.campaign, labels -> labels.runId().equals("exp.c1"));

    assertEquals(List.of(orphan.handle()), removed);
    assertTrue(fx.inspect(owned.handle()).isPresent());
    assertTrue(fx.inspect(orphan.handle()).isEmpty());
    assertTrue(fx.inspect(foreign.handle()).isPresent());
    // null campaign = every campaign of this host
    assertEquals(
        List.of(owned.handle()),
        new ContainerReaper(fx.engine, DockerRunFixture.HOST)
            .reap(null, labels -> false).stream().filter(n -> n.contains(fx.campaign)).toList());
  }
}
