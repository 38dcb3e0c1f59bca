package org.llenergymeasure.campaign.activities.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.CollectRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.RunFailure;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;
import org.slf4j.LoggerFactory;

/** A secret's value reaches the run's environment and nothing else the worker keeps. */
@Tag("docker")
class SecretsDockerTest {

  static final String NAME = "LLEM_TEST_TOKEN";
  static final String VALUE = "hf_s3cr3t-VALUE-7f3a";

  @TempDir Path tmp;
  DockerRunFixture fx;
  ListAppender<ILoggingEvent> logs = new ListAppender<>();
  Logger ours = (Logger) LoggerFactory.getLogger("org.llenergymeasure");

  @BeforeEach
  void setUp() {
    fx = new DockerRunFixture(tmp, Map.of(NAME, VALUE, "UNRELATED", "x"), null);
    logs.start();
    ours.addAppender(logs);
    ours.setLevel(Level.TRACE);
  }

  @AfterEach
  void tearDown() throws Exception {
    ours.detachAppender(logs);
    ours.setLevel(null);
    fx.close();
  }

  @Test
  void secretValueNeverLeavesTheContainer() throws Exception {
    var exp = new DockerRunFixture.Exp();
    exp.secrets = List.of(NAME);
    exp.probe = List.of("sh", "-c", "echo probe saw $" + NAME);
    exp.command(
        "echo length=${#" + NAME + "}; echo token=$" + NAME + "; echo $" + NAME + " >&2; exit 4");
    LaunchRequest request = fx.launchRequest("exp.c1", 1, exp);
    List<Object> returned = new ArrayList<>();
    List<Throwable> thrown = new ArrayList<>();
    List<AwaitProgress> beats = new ArrayList<>();

    ContainerLauncher launcher =
        new ContainerLauncher(fx.engine, ContainerLauncher.DEFAULT_HOLD_LIMIT);
    LaunchResult launched = launcher.launch(request, fx.settings);
    returned.add(launched);
    VerifyRequest verify =
        new VerifyRequest(
            request.run(), request.experiment(), request.routing(), launched.handle());
    returned.add(new ContainerProbe(fx.engine).run(verify, fx.settings));
    launcher.release(launched.handle());
    RunFailureException exit =
        assertThrows(
            RunFailureException.class,
            () ->
                ContainerAwaiter.realTime(fx.engine)
                    .await(
                        new AwaitRequest(request.run(), request.experiment(), launched.handle()),
                        fx.settings,
                        null,
                        beats::add));
    thrown.add(exit);
    returned.addAll(beats);
    returned.add(
        new ResultCollector(
                new ContainerLogs(fx.engine), new NoGpuTelemetry("no GPU telemetry here"))
            .collect(
                new CollectRequest(
                    request.run(),
                    request.experiment(),
                    request.routing(),
                    launched.handle(),
                    List.of(),
                    new RunFailure(exit.type(), exit.getMessage()),
                    1,
                    2),
                fx.settings));
    new ContainerCleaner(fx.engine)
        .cleanup(
            new CleanupRequest(request.run(), launched.handle(), request.routing()), fx.settings);

    // The run really had the secret (its length) and printed it, masked in what we kept.
    String log = fx.filesWritten().get(Path.of(launched.resultDir(), "log.txt"));
    assertTrue(log.contains("length=" + VALUE.length()), log);
    assertTrue(log.contains("token=<secret " + NAME + ">"), log);
    assertTrue(exit.getMessage().contains("<secret " + NAME + ">"), exit.getMessage());
    assertEquals(
        4,
        fx.filesWritten().size(),
        fx.filesWritten().keySet().toString()); // routing, probe, log, ledger

    fx.filesWritten()
        .forEach((path, text) -> assertFalse(text.contains(VALUE), "secret in " + path));
    for (Object o : returned) {
      assertFalse(String.valueOf(o).contains(VALUE), "secret in " + o);
    }
    for (Throwable t = thrown.get(0); t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains(VALUE), "secret in " + t);
    }
    assertFalse(logs.list.isEmpty(), "the steps do log");
    for (ILoggingEvent e : logs.list) {
      assertFalse(
          e.getFormattedMessage().contains(VALUE), "secret in log: " + e.getFormattedMessage());
    }
    assertFalse(fx.settings.toString().contains(VALUE));
  }
}
