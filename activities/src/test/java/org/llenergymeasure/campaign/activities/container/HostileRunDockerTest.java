package org.llenergymeasure.campaign.activities.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.CollectRequest;
import org.llenergymeasure.campaign.workflows.host.CollectResult;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;

/**
 * Runs that attack the worker through their results folder, on the real engine: links to host files
 * and folders, the worker's record names written by the run. A host folder with a marker file, made
 * by the test, is the links' target; nothing of it may reach the ledger, a failure message or the
 * worker's records, and nothing of it may be deleted.
 */
class HostileRunDockerTest {

  private static final String MARKER = "HOST-ONLY-MARKER-7f3a";

  @TempDir Path tmp;
  private DockerRunFixture fx;
  private ContainerLauncher launcher;
  private ContainerProbe probe;
  private ResultCollector collector;
  private ContainerCleaner cleaner;
  private Path hostDir;
  private Path hostJson;
  private Path hostToken;

  @BeforeEach
  void setUp() throws Exception {
    fx = new DockerRunFixture(tmp);
    launcher = new ContainerLauncher(fx.engine, ContainerLauncher.DEFAULT_HOLD_LIMIT);
    probe = new ContainerProbe(fx.engine);
    collector = new ResultCollector(new ContainerLogs(fx.engine), new NoGpuTelemetry("test"));
    cleaner = new ContainerCleaner(fx.engine);
    hostDir = Files.createDirectories(tmp.resolve("host"));
    hostJson = Files.writeString(hostDir.resolve("result.json"), "{\"stolen\":\"" + MARKER + "\"}");
    hostToken = Files.writeString(hostDir.resolve("token"), MARKER + "\n");
    for (String name : List.of("hold.sh", "go", "probe.sh", "cuda-view.sh", "probe-read")) {
      Files.writeString(hostDir.resolve(name), MARKER);
    }
    Files.createDirectories(hostDir.resolve("probe"));
    Files.writeString(hostDir.resolve("probe").resolve("done"), MARKER);
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  /** An experiment whose probe answers with the routed UUID, so verification can pass. */
  private static DockerRunFixture.Exp exp(String shell) {
    DockerRunFixture.Exp exp = new DockerRunFixture.Exp().command(shell);
    exp.probe = List.of("echo", DockerRunFixture.UUID);
    return exp;
  }

  /** Launch, probe, release, wait, collect and clean up, as the workflow does. */
  private CollectResult runToEnd(String runId, DockerRunFixture.Exp exp) throws Exception {
    GpuRouting routing = DockerRunFixture.envRouting();
    LaunchRequest request = new LaunchRequest(fx.run(runId, 1), exp.build(), routing);
    LaunchResult r = launcher.launch(request, fx.settings);
    probe.run(
        new VerifyRequest(request.run(), request.experiment(), routing, r.handle()), fx.settings);
    launcher.release(r.handle());
    fx.waitExited(r.handle(), Duration.ofSeconds(20));
    CollectResult result =
        collector.collect(
            new CollectRequest(
                request.run(), request.experiment(), routing, r.handle(), List.of(), null, 1, 2),
            fx.settings);
    cleaner.cleanup(new CleanupRequest(request.run(), r.handle(), routing), fx.settings);
    return result;
  }

  private String ledgerText() throws Exception {
    return Files.readString(RunLedger.of(fx.root, fx.campaign).file());
  }

  @Test
  void aResultThatLinksToAHostFileIsRefusedAndNeverStoredOrQuoted() throws Exception {
    CollectResult json = runToEnd("json.c1", exp("ln -s " + hostJson + " /results/result.json"));
    CollectResult token = runToEnd("token.c1", exp("ln -s " + hostToken + " /results/result.json"));

    for (CollectResult r : List.of(json, token)) {
      assertEquals("failed", r.status());
      assertEquals(FailureTypes.RESULT_INVALID, r.failure().type());
      assertTrue(
          r.failure()
              .message()
              .startsWith(
                  "the result file result.json is a symbolic link; a run's result must be a"
                      + " regular file in its results folder"),
          r.failure().message());
      assertFalse(r.failure().message().contains(MARKER), r.failure().message());
    }
    assertFalse(ledgerText().contains(MARKER), "the host file reached the ledger");
  }

  @Test
  void aResultThroughASubFolderThatLinksToAHostFolderIsRefused() throws Exception {
    DockerRunFixture.Exp exp = exp("ln -s " + hostDir + " /results/sub");
    exp.resultFile = "sub/result.json";
    CollectResult r = runToEnd("sub.c1", exp);

    assertEquals(FailureTypes.RESULT_INVALID, r.failure().type());
    assertTrue(r.failure().message().contains("is inside a symbolic link"), r.failure().message());
    assertFalse(ledgerText().contains(MARKER));
  }

  @Test
  void aValidResultIsReadFromTheRunFolderAndCopiedToTheAttemptFolder() throws Exception {
    CollectResult r = runToEnd("ok.c1", exp("echo '{\"energy_j\": 5}' > /run/llem/result.json"));

    assertEquals("completed", r.status(), String.valueOf(r.failure()));
    Path attempt = fx.settings.attemptDir(fx.run("ok.c1", 1));
    assertEquals("{\"energy_j\": 5}\n", Files.readString(attempt.resolve("result.json")));
    assertEquals(attempt.toString(), r.resultDir());
  }

  @Test
  void aProbeAnswerThatLinksToAHostFileIsRefusedAndNeverRecorded() throws Exception {
    // The image's probe replaces its own answer with a link (old and new answer folders alike).
    DockerRunFixture.Exp exp = exp("true");
    exp.probe =
        List.of(
            "sh",
            "-c",
            "for d in /results/.llem/probe /results/.llem-probe; do"
                + " if [ -d $d ]; then ln -sf "
                + hostToken
                + " $d/device.out; fi; done; echo "
                + DockerRunFixture.UUID);
    GpuRouting routing = DockerRunFixture.envRouting();
    LaunchRequest request = new LaunchRequest(fx.run("probe.c1", 1), exp.build(), routing);
    LaunchResult r = launcher.launch(request, fx.settings);
    VerifyRequest verify =
        new VerifyRequest(request.run(), request.experiment(), routing, r.handle());

    // Not a complete set of regular files: the worker asks by exec instead, whose answer is the
    // probe's own output, never the linked file.
    ProbeOutputs out = probe.run(verify, fx.settings);

    assertEquals(DockerRunFixture.UUID + "\n", out.deviceView());
    Path attempt = fx.settings.attemptDir(request.run());
    assertFalse(Files.readString(attempt.resolve("probe.txt")).contains(MARKER));
    assertFalse(
        Files.exists(attempt.resolve("out").resolve("probe.txt")), "out of the run's reach");
  }

  @Test
  void aRunThatSwapsTheControlFolderForALinkCannotMakeCleanupDeleteHostFiles() throws Exception {
    runToEnd(
        "swap.c1",
        exp(
            "rm -rf /results/.llem /results/.llem-probe /.llem/probe 2>/dev/null;"
                + " ln -s "
                + hostDir
                + " /results/.llem; ln -s "
                + hostDir
                + " /results/.llem-probe; ln -s "
                + hostDir
                + " /.llem/x 2>/dev/null; true"));

    for (String name : List.of("hold.sh", "go", "probe.sh", "cuda-view.sh", "probe-read")) {
      assertEquals(MARKER, Files.readString(hostDir.resolve(name)), name + " survives");
    }
    assertEquals(MARKER, Files.readString(hostDir.resolve("probe").resolve("done")));
    assertTrue(Files.exists(hostJson));
    Path attempt = fx.settings.attemptDir(fx.run("swap.c1", 1));
    assertFalse(
        Files.exists(attempt.resolve(ContainerLauncher.CONTROL_DIR)), "the worker's own removed");
  }

  @Test
  void theWorkersRecordsWrittenByTheRunDoNotAffectTheWorkersOwn() throws Exception {
    String forge =
        "for d in /results /run/llem; do"
            + " echo FORGED > $d/log.txt; echo FORGED > $d/probe.txt;"
            + " echo FORGED > $d/routing.json; echo FORGED > $d/gpu-samples.jsonl;"
            + " done; ln -sf "
            + hostToken
            + " /results/verified.json; echo '{\"x\": 1}' > /results/result.json; echo real-output";
    CollectResult r = runToEnd("forge.c1", exp(forge));

    assertEquals("completed", r.status(), String.valueOf(r.failure()));
    Path attempt = fx.settings.attemptDir(fx.run("forge.c1", 1));
    assertEquals("real-output\n", Files.readString(attempt.resolve("log.txt")));
    assertTrue(Files.readString(attempt.resolve("probe.txt")).startsWith("# llem-campaign probe"));
    assertTrue(Files.readString(attempt.resolve("routing.json")).contains(DockerRunFixture.UUID));
    assertFalse(Files.exists(attempt.resolve("gpu-samples.jsonl")), "no host samples here");
    assertFalse(Files.exists(attempt.resolve("verified.json"), LinkOption.NOFOLLOW_LINKS));
    assertEquals("FORGED\n", Files.readString(attempt.resolve("out").resolve("log.txt")));
  }
}
