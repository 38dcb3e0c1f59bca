package org.llenergymeasure.campaign.activities.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitResult;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;

/**
 * A container that prints llenergymeasure's progress events: await heartbeats the newest one as its
 * step (plain lines after it leave it in place), secrets masked, and a try that re-attaches after a
 * crash starts from the step the crashed try heartbeated.
 */
@Tag("docker")
class ProgressStepDockerTest {

  private static final String NAME = "LLEM_TEST_TOKEN";
  private static final String VALUE = "hf_s3cr3t-VALUE-7f3a";

  @TempDir Path tmp;
  DockerRunFixture fx;
  ContainerLauncher launcher;
  ContainerAwaiter awaiter;
  final List<AwaitProgress> beats = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    fx = new DockerRunFixture(tmp, Map.of(NAME, VALUE), null);
    launcher = new ContainerLauncher(fx.engine, ContainerLauncher.DEFAULT_HOLD_LIMIT);
    awaiter = new ContainerAwaiter(fx.engine, Duration.ofMillis(200), Clock.systemUTC());
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  private AwaitRequest started(DockerRunFixture.Exp exp) {
    LaunchRequest request = fx.launchRequest("exp.c1", 1, exp);
    String handle = launcher.launch(request, fx.settings).handle();
    launcher.release(handle);
    return new AwaitRequest(request.run(), request.experiment(), handle);
  }

  /** A shell line printing one event as Python's json.dumps writes it. */
  private static String event(String json) {
    return "echo '" + json + "'; ";
  }

  @Test
  void theNewestEventIsTheHeartbeatedStepWithSecretsMasked() {
    var exp = new DockerRunFixture.Exp();
    exp.secrets = List.of(NAME);
    exp.command(
        "echo starting; sleep 0.5; "
            + event(
                "{\"event\": \"step_start\", \"step\": \"model\", \"description\":"
                    + " \"Loading model\", \"detail\": \"gpt2\"}")
            + "sleep 1; "
            + event("{\"event\": \"step_done\", \"step\": \"model\", \"elapsed_sec\": 42.3}")
            + "printf '{\"event\": \"step_update\", \"step\": \"warmup\", \"detail\":"
            + " \"token %s\"}\\n' \"$"
            + NAME
            + "\"; "
            + "echo plain output after the event; sleep 0.7; "
            + "echo '{\"event\": \"nope\", \"step\": \"x\"}'; echo '{broken'; sleep 0.5");

    AwaitResult result = awaiter.await(started(exp), fx.settings, null, beats::add);

    assertEquals(0, result.exitCode());
    List<String> steps = beats.stream().map(AwaitProgress::step).distinct().toList();
    assertTrue(steps.contains("model: Loading model (gpt2)"), steps.toString());
    AwaitProgress last = beats.get(beats.size() - 1);
    // Plain lines, an unknown event and broken JSON after it leave the step as it was.
    assertEquals("warmup: token <secret " + NAME + ">", last.step(), steps.toString());
    assertEquals("{broken", last.lastLogLine());
    for (AwaitProgress p : beats) {
      assertFalse(String.valueOf(p.step()).contains(VALUE), p.toString());
    }
  }

  @Test
  void aRetriedAwaitKeepsTheStepOfTheCrashedTryUntilANewEvent() {
    var exp =
        new DockerRunFixture.Exp()
            .command(
                event("{\"event\": \"step_update\", \"step\": \"warmup\", \"detail\": \"1/2\"}")
                    + "sleep 2; echo plain; sleep 1.5; "
                    + event(
                        "{\"event\": \"step_update\", \"step\": \"warmup\", \"detail\": \"2/2\"}")
                    + "sleep 0.5");
    AwaitRequest request = started(exp);
    assertThrows(
        IllegalStateException.class,
        () ->
            awaiter.await(
                request,
                fx.settings,
                null,
                p -> {
                  beats.add(p);
                  if (p.step() != null) {
                    throw new IllegalStateException("worker crashed");
                  }
                }));
    AwaitProgress previous = beats.get(beats.size() - 1);
    assertEquals("warmup: 1/2", previous.step());
    beats.clear();

    awaiter.await(request, fx.settings, previous, beats::add);

    assertEquals("warmup: 1/2", beats.get(0).step(), "carried over: " + beats.get(0));
    assertEquals("warmup: 2/2", beats.get(beats.size() - 1).step());
  }
}
