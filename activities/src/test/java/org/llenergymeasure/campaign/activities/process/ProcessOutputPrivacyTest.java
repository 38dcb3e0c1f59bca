package org.llenergymeasure.campaign.activities.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.container.Heartbeater;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;

/**
 * Process mode's raw output: private to the worker's user from before the run starts, masked on
 * every read (a secret the run writes in two pieces too), and saved capped at logLimit.
 */
@Tag("process")
class ProcessOutputPrivacyTest {

  private static final String VALUE = "hf_s3cr3t-" + Long.toHexString(System.nanoTime());

  @TempDir Path tmp;

  @Test
  void theRawOutputIsReadableByTheWorkersUserOnlyBeforeTheRunStarts() throws Exception {
    ProcessRunFixture fx = new ProcessRunFixture(tmp, Map.of("HF_TOKEN", VALUE));
    ProcessRunBackend p = fx.processes();
    ProcessRunFixture.Exp exp = new ProcessRunFixture.Exp().shell("echo \"$HF_TOKEN\"");
    exp.secrets = List.of("HF_TOKEN");
    LaunchRequest r = fx.launchRequest("e.c1", exp);
    LaunchResult l = p.launch(r, fx.settings);
    Path raw = fx.attemptDir("e.c1").resolve(ProcessFiles.OUTPUT);
    try {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(raw)));
      p.release(l.handle());
      p.await(new AwaitRequest(r.run(), r.experiment(), l.handle()), fx.settings, null, x -> {});
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(raw)));
      assertTrue(Files.readString(raw).contains(VALUE), "the raw file is the run's own output");
    } finally {
      p.discard(l.handle());
    }
  }

  @Test
  void aSecretWrittenInTwoPiecesNeverShowsInTheProgressNorTheFailure() throws Exception {
    ProcessRunFixture fx = new ProcessRunFixture(tmp, Map.of("HF_TOKEN", VALUE));
    ProcessRunBackend p = fx.processes();
    ProcessRunFixture.Exp exp =
        new ProcessRunFixture.Exp()
            .shell(
                "t=\"$HF_TOKEN\"; printf 'key=%s' \"${t%%-*}\"; sleep 1.5;"
                    + " printf '%s\\n' \"-${t#*-}\"; exit 3");
    exp.secrets = List.of("HF_TOKEN");
    LaunchRequest r = fx.launchRequest("e.c1", exp);
    LaunchResult l = p.launch(r, fx.settings);
    p.release(l.handle());
    List<AwaitProgress> beats = new CopyOnWriteArrayList<>();

    RunFailureException failed =
        assertThrows(
            RunFailureException.class,
            () ->
                p.await(
                    new AwaitRequest(r.run(), r.experiment(), l.handle()),
                    fx.settings,
                    null,
                    beats::add));

    String firstPiece = VALUE.substring(0, VALUE.indexOf('-'));
    assertTrue(
        beats.stream().anyMatch(b -> "key=".equals(b.lastLogLine())),
        "the first piece was read while the run slept: " + beats);
    for (AwaitProgress b : beats) {
      assertFalse(String.valueOf(b.lastLogLine()).contains(firstPiece), "in a heartbeat: " + b);
    }
    assertTrue(failed.getMessage().contains("key=<secret HF_TOKEN>"), failed.getMessage());
    assertFalse(failed.getMessage().contains(firstPiece), failed.getMessage());
    p.saveLog(l.handle(), fx.attemptDir("e.c1"));
    assertEquals(
        "key=<secret HF_TOKEN>\n", Files.readString(fx.attemptDir("e.c1").resolve("log.txt")));
  }

  @Test
  void theSavedLogKeepsHeadAndTailWithinLogLimit() throws Exception {
    ProcessRunFixture fx = new ProcessRunFixture(tmp);
    ProcessRunBackend p = fx.processes();
    ProcessRunFixture.Exp exp =
        new ProcessRunFixture.Exp()
            .shell("echo first; head -c 5000000 /dev/zero | tr '\\0' y; echo; echo last");
    exp.logLimit = 1L << 20;
    exp.timeout = Duration.ofMinutes(2);
    LaunchRequest r = fx.launchRequest("e.c1", exp);
    LaunchResult l = p.launch(r, fx.settings);
    p.release(l.handle());
    p.await(
        new AwaitRequest(r.run(), r.experiment(), l.handle()),
        fx.settings,
        null,
        Heartbeater.none());
    assertTrue(p.saveLog(l.handle(), fx.attemptDir("e.c1")));

    Path log = fx.attemptDir("e.c1").resolve("log.txt");
    String text = Files.readString(log);
    assertTrue(Files.size(log) <= (1L << 20) + 100, "log.txt is " + Files.size(log));
    assertTrue(text.startsWith("first\nyyyy"), text.substring(0, 20));
    assertTrue(text.endsWith("yyyy\nlast\n"), text.substring(text.length() - 20));
    assertTrue(text.contains("\n[llem: 4.0 MB of output dropped here; logLimit is 1m]\n"));
  }
}
