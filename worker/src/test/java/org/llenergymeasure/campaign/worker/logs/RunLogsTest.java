package org.llenergymeasure.campaign.worker.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.worker.BadInput;

/** The file-backed sources of a run's log (saved log, process-mode output); no engine here. */
class RunLogsTest {

  private static final String SECRET = "hf_abcdefgh12345";

  private static String text(ByteArrayOutputStream b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theLastAttemptsSavedLogIsPrinted(@TempDir Path results) throws Exception {
    Path run = results.resolve("c/r.c1");
    Files.createDirectories(run.resolve("a1"));
    Files.createDirectories(run.resolve("a2"));
    Files.writeString(run.resolve("a1/log.txt"), "first attempt\n");
    Files.writeString(run.resolve("a2/log.txt"), "second attempt\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RunLogs.Found found =
        new RunLogs(results, "c", "r.c1", null, Map.of(), Duration.ofMillis(50))
            .print(new PrintStream(out), false, s -> {});
    assertEquals(new RunLogs.Found("saved", 2), found);
    assertEquals("second attempt\n", text(out));
  }

  @Test
  void aRunningProcessIsFollowedUntilItsExitCodeIsWrittenWithSecretsMasked(@TempDir Path results)
      throws Exception {
    Path dir = results.resolve("c/p.c1/a1");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("process.json"), "{\"pid\": 1, \"secrets\": [\"HF_TOKEN\"]}");
    Files.writeString(dir.resolve("output.raw"), "loading with " + SECRET + "\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<String> notes = new ArrayList<>();
    CompletableFuture<RunLogs.Found> follow =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new RunLogs(
                        results,
                        "c",
                        "p.c1",
                        null,
                        Map.of("HF_TOKEN", SECRET),
                        Duration.ofMillis(50))
                    .print(new PrintStream(out, true, StandardCharsets.UTF_8), true, notes::add);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(300);
    assertFalse(follow.isDone(), "still following while the process runs");
    Files.writeString(dir.resolve("output.raw"), "step 2\nhalf a li", StandardOpenOption.APPEND);
    Thread.sleep(300);
    Files.writeString(dir.resolve("output.raw"), "ne\n", StandardOpenOption.APPEND);
    Files.writeString(dir.resolve("exit-code"), "0\n");
    assertEquals(new RunLogs.Found("process", 1), follow.get(10, TimeUnit.SECONDS));
    assertEquals("loading with <secret HF_TOKEN>\nstep 2\nhalf a line\n", text(out));
    assertTrue(notes.get(0).contains("following"), notes.toString());
  }

  @Test
  void aLineLongerThanOneReadIsPrintedWholeWithASecretCutBetweenReadsMasked(@TempDir Path results)
      throws Exception {
    Path dir = results.resolve("c/p.c1/a1");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("process.json"), "{\"pid\": 1, \"secrets\": [\"HF_TOKEN\"]}");
    // The secret straddles the first 64 KiB read; no newline for 3 MB.
    String head = "x".repeat((1 << 16) - 5);
    String tail = "y".repeat(3_000_000);
    Files.writeString(dir.resolve("output.raw"), head + SECRET + tail);
    Files.writeString(dir.resolve("exit-code"), "0\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RunLogs.Found found =
        new RunLogs(results, "c", "p.c1", null, Map.of("HF_TOKEN", SECRET), Duration.ofMillis(50))
            .print(new PrintStream(out, true, StandardCharsets.UTF_8), false, s -> {});
    assertEquals(new RunLogs.Found("process", 1), found);
    assertEquals(head + "<secret HF_TOKEN>" + tail, text(out));
  }

  @Test
  void noFolderAndNoContainerIsBadInputSayingWhereItLooked(@TempDir Path results) {
    BadInput e =
        assertThrows(
            BadInput.class,
            () ->
                new RunLogs(results, "c", "r.c1", null, Map.of(), Duration.ofMillis(50))
                    .print(System.out, false, s -> {}));
    assertTrue(
        e.getMessage().contains("no run folder of campaign c under " + results), e.getMessage());
  }
}
