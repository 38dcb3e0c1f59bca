package org.llenergymeasure.campaign.activities.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.CollectRequest;
import org.llenergymeasure.campaign.workflows.host.CollectResult;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;

/**
 * A secret is masked where the engine cuts it (a line over 16 KiB is split into several log
 * entries) and where the run writes it as its result.
 */
@Tag("docker")
class SecretSplitDockerTest {

  static final String NAME = "LLEM_TEST_TOKEN";
  static final String VALUE = "hf_s3cr3t-VALUE-7f3a";

  @TempDir Path tmp;
  DockerRunFixture fx;
  ContainerLauncher launcher;

  @BeforeEach
  void setUp() {
    fx = new DockerRunFixture(tmp, Map.of(NAME, VALUE), null);
    launcher = new ContainerLauncher(fx.engine, ContainerLauncher.DEFAULT_HOLD_LIMIT);
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  /** Launches and releases a run, as launch + verify would. */
  private AwaitRequest started(DockerRunFixture.Exp exp) {
    exp.secrets = List.of(NAME);
    LaunchRequest request = fx.launchRequest("exp.c1", 1, exp);
    String handle = launcher.launch(request, fx.settings).handle();
    launcher.release(handle);
    return new AwaitRequest(request.run(), request.experiment(), handle);
  }

  private static void assertNoPieceOf(String text, String where) {
    // Any 5 characters of the value in a row would be a piece of it.
    for (int i = 0; i + 5 <= VALUE.length(); i++) {
      assertFalse(text.contains(VALUE.substring(i, i + 5)), "a piece of the secret in " + where);
    }
  }

  @Test
  void aSecretCutByTheEnginesSixteenKibibyteSplitIsMaskedEverywhere() throws Exception {
    // 16380 bytes, then the secret: the engine's first entry ends 4 characters into it.
    var exp =
        new DockerRunFixture.Exp()
            .command("head -c 16380 /dev/zero | tr '\\0' a; echo \"$" + NAME + "\"; sleep 60");
    exp.silence = Duration.ofSeconds(3);
    AwaitRequest request = started(exp);
    List<AwaitProgress> beats = new CopyOnWriteArrayList<>();

    RunFailureException silent =
        assertThrows(
            RunFailureException.class,
            () ->
                new ContainerAwaiter(fx.engine, Duration.ofMillis(200), Clock.systemUTC())
                    .await(request, fx.settings, null, beats::add));

    assertEquals(FailureTypes.SILENCE_TIMEOUT, silent.type());
    assertNoPieceOf(silent.getMessage(), "the failure: " + silent.getMessage());
    assertFalse(beats.isEmpty());
    for (AwaitProgress b : beats) {
      assertNoPieceOf(String.valueOf(b.lastLogLine()), "a heartbeat: " + b.lastLogLine());
    }
    Path dir = fx.root.resolve(fx.campaign).resolve("exp.c1").resolve("a1");
    assertTrue(new ContainerLogs(fx.engine).saveLog(request.handle(), dir));
    String log = Files.readString(dir.resolve(ContainerLogs.FILE));
    assertNoPieceOf(log, "log.txt");
    assertEquals("a".repeat(16380) + "<secret " + NAME + ">\n", log);
  }

  @Test
  void aSecretWrittenAsAnInvalidResultIsMaskedInTheFailureAndTheLedger() throws Exception {
    AwaitRequest request =
        started(
            new DockerRunFixture.Exp()
                .command("printf '%s' \"$" + NAME + "\" > /results/result.json"));
    new ContainerAwaiter(fx.engine, Duration.ofMillis(200), Clock.systemUTC())
        .await(request, fx.settings, null, p -> {});

    CollectResult collected =
        new ResultCollector(
                new ContainerLogs(fx.engine), new NoGpuTelemetry("no GPU telemetry here"))
            .collect(
                new CollectRequest(
                    request.run(),
                    request.experiment(),
                    DockerRunFixture.envRouting(),
                    request.handle(),
                    List.of(),
                    null,
                    1,
                    2),
                fx.settings);

    assertEquals(FailureTypes.RESULT_INVALID, collected.failure().type());
    assertTrue(
        collected.failure().message().contains("<secret " + NAME + ">"),
        collected.failure().message());
    assertNoPieceOf(collected.failure().message(), "the failure");
    try (var files = Files.walk(fx.root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (!f.getFileName().toString().equals("result.json")) {
          assertFalse(Files.readString(f).contains(VALUE), "the secret in " + f);
        }
      }
    }
  }
}
