package org.llenergymeasure.campaign.activities.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.container.Heartbeater;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.CollectRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.RunFailure;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;

/** A secret reaches the run by name, and its value is nowhere in what the worker keeps. */
@Tag("process")
class ProcessSecretsTest {

  private static final String VALUE = "hf_s3cr3t-" + Long.toHexString(System.nanoTime());

  @TempDir Path tmp;

  @Test
  void theRunGetsItsSecretButNoSavedFileOrFailureShowsTheValue() throws Exception {
    ProcessRunFixture fx =
        new ProcessRunFixture(tmp, Map.of("HF_TOKEN", VALUE, "OTHER_TOKEN", "other-" + VALUE));
    ProcessRunBackend p = fx.processes();
    ProcessRunFixture.Exp exp =
        new ProcessRunFixture.Exp()
            .shell(
                "if [ \"$HF_TOKEN\" = \""
                    + VALUE
                    + "\" ]; then echo got-it; fi;"
                    + " echo \"token=$HF_TOKEN other=${OTHER_TOKEN:-unset}\"; echo \"$HF_TOKEN\" >&2; exit 5");
    exp.secrets = List.of("HF_TOKEN");
    exp.probe =
        List.of(
            "/bin/sh",
            "-c",
            "echo \"probe sees $HF_TOKEN\" >&2; echo \"$CUDA_VISIBLE_DEVICES\" | tr , '\\n'");
    LaunchRequest r = fx.launchRequest("e.c1", exp);
    LaunchResult l = p.launch(r, fx.settings);
    p.probe(new VerifyRequest(r.run(), r.experiment(), r.routing(), l.handle()), fx.settings);
    p.release(l.handle());

    RunFailureException failed =
        assertThrows(
            RunFailureException.class,
            () ->
                p.await(
                    new AwaitRequest(r.run(), r.experiment(), l.handle()),
                    fx.settings,
                    null,
                    Heartbeater.none()));
    new ResultCollector(p, new NoGpuTelemetry("no GPU telemetry here"))
        .collect(
            new CollectRequest(
                r.run(),
                r.experiment(),
                r.routing(),
                l.handle(),
                null,
                new RunFailure(failed.type(), failed.getMessage()),
                1,
                2),
            fx.settings);
    p.cleanup(new CleanupRequest(r.run(), l.handle(), r.routing()), fx.settings);

    assertEquals("ExitNonZero", failed.type());
    assertFalse(failed.getMessage().contains(VALUE), failed.getMessage());
    assertTrue(failed.getMessage().contains("<secret HF_TOKEN>"), failed.getMessage());
    Path dir = fx.attemptDir("e.c1");
    String log = Files.readString(dir.resolve("log.txt"));
    assertTrue(log.contains("got-it"), "the run saw its secret:\n" + log);
    assertTrue(log.contains("other=unset"), "a secret it did not name stays out:\n" + log);
    assertTrue(Files.readString(dir.resolve("probe.txt")).contains("probe sees <secret HF_TOKEN>"));
    try (var files = Files.walk(fx.root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertFalse(Files.readString(f).contains(VALUE), "secret value in " + f);
      }
    }
    assertTrue(
        Files.readString(dir.resolve("process.json")).contains("HF_TOKEN"),
        "names are kept, values are not");
    ProcessRunFixture.assertNothingLeft(dir);
  }
}
