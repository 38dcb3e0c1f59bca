package org.llenergymeasure.campaign.activities.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.activities.container.Secrets;

/**
 * Each of llenergymeasure's progress events (as its container entry point prints them: Python's
 * json.dumps, ", " and ": " separators) becomes a short step text; everything else stays an
 * ordinary line.
 */
class ProgressEventsTest {

  private static final String TOKEN = "hf_s3cr3t-VALUE-7f3a";
  private static final Secrets SECRETS =
      Secrets.resolve(List.of("HF_TOKEN"), Map.of("HF_TOKEN", TOKEN), "h");

  private static String step(String line) {
    return ProgressEvents.stepText(line, SECRETS).orElse(null);
  }

  @Test
  void everyEventKindReadsAsAShortStep() {
    assertEquals(
        "model: Loading model (gpt2)",
        step(
            "{\"event\": \"step_start\", \"step\": \"model\", \"description\": \"Loading model\","
                + " \"detail\": \"gpt2\"}"));
    assertEquals(
        "model: Loading model",
        step(
            "{\"event\": \"step_start\", \"step\": \"model\", \"description\": \"Loading model\","
                + " \"detail\": \"\"}"));
    assertEquals("warmup started", step("{\"event\":\"step_start\",\"step\":\"warmup\"}"));
    assertEquals(
        "warmup: 12/50 prompts",
        step("{\"event\": \"step_update\", \"step\": \"warmup\", \"detail\": \"12/50 prompts\"}"));
    assertEquals("warmup", step("{\"event\": \"step_update\", \"step\": \"warmup\"}"));
    assertEquals(
        "model done in 42.3 s",
        step("{\"event\": \"step_done\", \"step\": \"model\", \"elapsed_sec\": 42.3}"));
    assertEquals(
        "measure done in 12 min 5 s",
        step("{\"event\": \"step_done\", \"step\": \"measure\", \"elapsed_sec\": 725.2}"));
    assertEquals(
        "measure done in 2 h 3 min",
        step("{\"event\": \"step_done\", \"step\": \"measure\", \"elapsed_sec\": 7380}"));
    assertEquals(
        "model done",
        step("{\"event\": \"step_done\", \"step\": \"model\", \"elapsed_sec\": NaN}"));
    assertEquals(
        "baseline skipped (disabled)",
        step("{\"event\": \"step_skip\", \"step\": \"baseline\", \"reason\": \"disabled\"}"));
    assertEquals(
        "baseline skipped",
        step("{\"event\": \"step_skip\", \"step\": \"baseline\", \"reason\": \"\"}"));
    assertEquals(
        "model: weights on GPU (3.2 s)",
        step(
            "{\"event\": \"substep\", \"step\": \"model\", \"text\": \"weights on GPU\","
                + " \"elapsed_sec\": 3.2}"));
    assertEquals(
        "model: weights on GPU",
        step(
            "{\"event\": \"substep\", \"step\": \"model\", \"text\": \"weights on GPU\","
                + " \"elapsed_sec\": 0.0}"));
    assertEquals(
        "model: compiling",
        step("{\"event\": \"substep_start\", \"step\": \"model\", \"text\": \"compiling\"}"));
    assertEquals(
        "model: compiling done in 1.5 s",
        step(
            "{\"event\": \"substep_done\", \"step\": \"model\", \"text\": \"compiling\","
                + " \"elapsed_sec\": 1.5}"));
    assertEquals(
        "model: done",
        step(
            "{\"event\": \"substep_done\", \"step\": \"model\", \"text\": null,"
                + " \"elapsed_sec\": null}"));
  }

  @Test
  void malformedUnknownOrIncompleteLinesAreOrdinaryOutput() {
    for (String line :
        List.of(
            "",
            "Loading model gpt2",
            "[llem] Experiment complete. Result written to /results/x.json",
            "{\"event\": \"step_start\", \"step\": \"model\"",
            "{\"event\": \"step_start\", \"step\": \"model\"} trailing",
            "{\"event\": \"step_start\", \"step\": \"model\"}{\"event\": \"step_done\"}",
            "{\"event\": \"launch_rocket\", \"step\": \"model\"}",
            "{\"event\": \"step_start\"}",
            "{\"event\": \"step_start\", \"step\": \"\"}",
            "{\"event\": \"step_start\", \"step\": 3}",
            "{\"event\": 1, \"step\": \"model\"}",
            "{\"step\": \"model\", \"description\": \"no event\"}",
            "[{\"event\": \"step_start\", \"step\": \"model\"}]",
            "{\"event\": \"step_start\", \"step\": \"model\", \"detail\": \""
                + "x".repeat(ProgressEvents.MAX_LINE)
                + "\"}")) {
      assertEquals(Optional.empty(), ProgressEvents.stepText(line, SECRETS), line);
      assertFalse(ProgressEvents.isEvent(line), line);
    }
    assertTrue(ProgressEvents.isEvent("  {\"event\":\"step_update\",\"step\":\"warmup\"}\r"));
  }

  @Test
  void longTextIsCutAndControlCharactersAndLineBreaksBecomeSpaces() {
    String longDetail = "d".repeat(500);
    String cut =
        step(
            "{\"event\": \"step_update\", \"step\": \"warmup\", \"detail\": \""
                + longDetail
                + "\"}");
    assertEquals(ProgressEvents.MAX_LENGTH, cut.length(), cut);
    assertTrue(cut.startsWith("warmup: ddd") && cut.endsWith("..."), cut);

    // JSON escapes spell a terminal escape, a carriage return, a bell, newlines and a
    // right-to-left override: none reaches the step.
    String hostile =
        step(
            "{\"event\": \"step_update\", \"step\": \"warm\\nup\", \"detail\":"
                + " \"\\u001b[2J12/50\\r\\u0007 prompts\\u202e\\n\\n done\"}");
    assertEquals("warm up: [2J12/50 prompts done", hostile);
    hostile.chars().forEach(c -> assertFalse(Character.isISOControl(c), "control " + c));
  }

  @Test
  void secretsAreMaskedAlsoWhenTheJsonEscapesSpellThem() {
    assertEquals(
        "model: Loading model (<secret HF_TOKEN>)",
        step(
            "{\"event\": \"step_start\", \"step\": \"model\", \"description\": \"Loading model\","
                + " \"detail\": \""
                + TOKEN
                + "\"}"));
    // \u0068 is 'h': the raw line does not contain the token, the decoded text does.
    String escaped = "\\u0068" + TOKEN.substring(1);
    assertFalse(("detail " + escaped).contains(TOKEN));
    assertEquals(
        "warmup: token <secret HF_TOKEN>",
        step(
            "{\"event\": \"step_update\", \"step\": \"warmup\", \"detail\": \"token "
                + escaped
                + "\"}"));
    // Cut in two by a control character, which becomes a space: not rejoined into the secret.
    String split = TOKEN.substring(0, 6) + "\\u0000" + TOKEN.substring(6);
    String s =
        step("{\"event\": \"step_update\", \"step\": \"warmup\", \"detail\": \"" + split + "\"}");
    assertFalse(s.contains(TOKEN), s);
  }
}
