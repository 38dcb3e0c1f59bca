package org.llenergymeasure.campaign.activities.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.container.Secrets;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitResult;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;

/**
 * A process-mode run that prints progress events (printf, as a workload of one's own may): await
 * heartbeats the newest as its step, however much plain output follows it before the next poll,
 * with secrets masked.
 */
@Tag("process")
class ProcessProgressStepTest {

  @TempDir Path tmp;

  @Test
  void theNewestEventIsHeartbeatedEvenWhenAFloodOfPlainOutputFollowsIt() throws Exception {
    ProcessRunFixture fx = new ProcessRunFixture(tmp, Map.of("HF_TOKEN", "hf_s3cr3t-VALUE-7f3a"));
    ProcessRunFixture.Exp exp =
        new ProcessRunFixture.Exp()
            .shell(
                "printf '%s\\n' '{\"event\": \"step_start\", \"step\": \"model\", \"description\":"
                    + " \"Loading model\", \"detail\": \"gpt2\"}'; sleep 0.8;"
                    // An event, then 20 KiB of plain lines before the next poll can look.
                    + " printf '{\"event\": \"step_update\", \"step\": \"warmup\", \"detail\":"
                    + " \"12/50 prompts %s\"}\\n' \"$HF_TOKEN\";"
                    + " i=0; while [ $i -lt 400 ]; do echo plain-line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx;"
                    + " i=$((i+1)); done; sleep 0.8; echo last");
    exp.secrets = List.of("HF_TOKEN");
    LaunchRequest request = fx.launchRequest("p.c1", exp);
    ProcessRunBackend processes = fx.processes();
    LaunchResult launched = processes.launch(request, fx.settings);
    processes.release(launched.handle());
    List<AwaitProgress> beats = new CopyOnWriteArrayList<>();

    AwaitResult done =
        processes.await(
            new AwaitRequest(request.run(), request.experiment(), launched.handle()),
            fx.settings,
            null,
            beats::add);

    assertEquals(0, done.exitCode());
    List<String> steps = beats.stream().map(AwaitProgress::step).distinct().toList();
    assertTrue(steps.contains("model: Loading model (gpt2)"), steps.toString());
    AwaitProgress last = beats.get(beats.size() - 1);
    assertEquals("warmup: 12/50 prompts <secret HF_TOKEN>", last.step(), steps.toString());
    assertFalse(last.lastLogLine().contains("event"), "the event is not the last line");
    for (AwaitProgress p : beats) {
      assertFalse(String.valueOf(p.step()).contains("s3cr3t"), p.toString());
    }
  }

  @Test
  void eachReadLooksOnlyAtWholeLinesWrittenSinceTheLastAndAReattachedOneStartsAtTheEnd()
      throws Exception {
    Path file = tmp.resolve("output.raw");
    Files.writeString(file, "{\"event\":\"step_update\",\"step\":\"a\",\"detail\":\"1\"}\n");
    ProcessSteps steps = new ProcessSteps(file, null);
    assertEquals("a: 1", steps.read(Secrets.none()));
    // Half an event line: not read until it is whole.
    Files.writeString(
        file,
        "plain\n{\"event\":\"step_update\",\"step\":\"a\",",
        java.nio.file.StandardOpenOption.APPEND);
    assertEquals("a: 1", steps.read(Secrets.none()));
    Files.writeString(file, "\"detail\":\"2\"}\nmore\n", java.nio.file.StandardOpenOption.APPEND);
    assertEquals("a: 2", steps.read(Secrets.none()));
    assertEquals("a: 2", steps.read(Secrets.none()), "nothing new: the step stays");

    // A try re-attaching after a crash: the end of a long output, whose first (cut) line is
    // skipped; no event there keeps the crashed try's step.
    StringBuilder big = new StringBuilder();
    while (big.length() < ProcessSteps.WINDOW * 2) {
      big.append("{\"event\":\"step_update\",\"step\":\"old\",\"detail\":\"x\"}\n");
      big.append("plain ".repeat(ProcessSteps.WINDOW / 6)).append('\n');
    }
    Files.writeString(file, big.toString());
    assertEquals("from before", new ProcessSteps(file, "from before").read(Secrets.none()));
  }
}
