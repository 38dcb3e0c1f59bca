package org.llenergymeasure.campaign.activities.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLedgerTest {

  @TempDir Path tmp;

  static LedgerEntry entry(String runId, int attempt, String status) {
    return new LedgerEntry(
        runId,
        "exp",
        1,
        attempt,
        status,
        "host-a",
        new LedgerEntry.Routing(List.of("GPU-1"), Map.of("CUDA_VISIBLE_DEVICES", "0")),
        List.of("GPU-1"),
        "/r/" + runId + "/a" + attempt,
        status.equals("completed")
            ? new ObjectMapper().createObjectNode().put("total_energy_j", 12.5)
            : null,
        status.equals("completed")
            ? null
            : new LedgerEntry.Failure("ExitNonZero", "exited 3\nTraceback"),
        "2026-11-28T10:00:00Z",
        "2026-11-28T10:05:00Z",
        null,
        null);
  }

  @Test
  void writesTheResultsFieldsOfTheCliContractOneLinePerAttempt() throws Exception {
    RunLedger ledger = RunLedger.of(tmp, "camp");
    assertTrue(ledger.append(entry("a.c1", 1, "failed")));

    List<String> lines = Files.readAllLines(tmp.resolve("camp/ledger.jsonl"));
    assertEquals(1, lines.size(), "a message with a newline stays on one line");
    JsonNode json = new ObjectMapper().readTree(lines.get(0));
    List<String> fields = new ArrayList<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertEquals(
        List.of(
            "runId",
            "experiment",
            "cycle",
            "attempt",
            "status",
            "host",
            "routing",
            "verifiedUuids",
            "resultDir",
            "result",
            "error",
            "startedAt",
            "finishedAt",
            // added after the contract's first fields: what the host measured itself
            "hostMeasurement",
            "hostMeasurementNote"),
        fields);
    assertEquals("ExitNonZero", json.get("error").get("type").asText());
    assertEquals("GPU-1", json.get("routing").get("uuids").get(0).asText());
    assertTrue(json.get("result").isNull());
    assertEquals(entry("a.c1", 1, "failed"), ledger.read().get(0));
  }

  @Test
  void appendIsIdempotentPerRunAndAttempt() {
    RunLedger ledger = RunLedger.of(tmp, "camp");
    assertTrue(ledger.append(entry("a.c1", 1, "failed")));
    assertFalse(ledger.append(entry("a.c1", 1, "completed")));
    assertTrue(ledger.append(entry("a.c1", 2, "completed")));
    assertTrue(ledger.append(entry("b.c1", 1, "completed")));

    assertEquals(3, ledger.read().size());
    assertEquals("failed", ledger.find("a.c1", 1).orElseThrow().status());
    Map<String, LedgerEntry> latest = ledger.latestPerRun();
    assertEquals(List.of("a.c1", "b.c1"), new ArrayList<>(latest.keySet()));
    assertEquals(2, latest.get("a.c1").attempt());
    assertEquals(12.5, latest.get("a.c1").result().get("total_energy_j").asDouble());
  }

  @Test
  void concurrentAppendsFromManyThreadsWriteEachKeyOnceAndNoBrokenLine() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger written = new AtomicInteger();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        futures.add(
            pool.submit(
                () -> {
                  // A ledger object per thread, as separate activity executions would have.
                  RunLedger ledger = RunLedger.of(tmp, "camp");
                  go.await();
                  for (int i = 0; i < 40; i++) {
                    if (ledger.append(entry("run" + i + ".c1", 1 + i % 3, "completed"))) {
                      written.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(40, written.get());
    List<String> lines = Files.readAllLines(tmp.resolve("camp/ledger.jsonl"));
    assertEquals(40, lines.size());
    Set<String> keys =
        RunLedger.of(tmp, "camp").read().stream().map(LedgerEntry::key).collect(Collectors.toSet());
    assertEquals(40, keys.size());
  }

  @Test
  void truncatedLastLineIsIgnoredOnReadAndRepairedOnAppend() throws Exception {
    RunLedger ledger = RunLedger.of(tmp, "camp");
    ledger.append(entry("a.c1", 1, "completed"));
    String whole = Files.readString(ledger.file());
    String partial = whole.substring(0, whole.length() / 2).replace("a.c1", "b.c1");
    Files.writeString(ledger.file(), partial, StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    assertEquals(List.of("a.c1"), ledger.read().stream().map(LedgerEntry::runId).toList());

    assertTrue(ledger.append(entry("b.c1", 1, "completed")), "the cut line was never recorded");
    List<String> lines = Files.readAllLines(ledger.file());
    assertEquals(2, lines.size());
    assertEquals(List.of("a.c1", "b.c1"), ledger.read().stream().map(LedgerEntry::runId).toList());
  }

  @Test
  void lastEntryMissingOnlyItsNewlineIsKept() throws Exception {
    RunLedger ledger = RunLedger.of(tmp, "camp");
    ledger.append(entry("a.c1", 1, "completed"));
    String whole = Files.readString(ledger.file());
    Files.writeString(ledger.file(), whole.substring(0, whole.length() - 1));

    assertFalse(ledger.append(entry("a.c1", 1, "completed")));
    assertTrue(ledger.append(entry("b.c1", 1, "failed")));
    assertEquals(2, Files.readAllLines(ledger.file()).size());
  }

  @Test
  void aLineAppendedByAnotherProcessIsFoundAndNotAppendedAgain() throws Exception {
    RunLedger ledger = RunLedger.of(tmp, "camp");
    assertTrue(ledger.append(entry("a.c1", 1, "completed")));
    assertTrue(ledger.find("b.c1", 1).isEmpty());
    // Another worker process appends without this JVM's knowledge.
    String other = Files.readString(ledger.file()).replace("a.c1", "b.c1");
    Files.writeString(ledger.file(), other, StandardCharsets.UTF_8, StandardOpenOption.APPEND);

    assertEquals("completed", ledger.find("b.c1", 1).orElseThrow().status());
    assertFalse(ledger.append(entry("b.c1", 1, "failed")), "b.c1 is already recorded");
    assertTrue(ledger.append(entry("c.c1", 1, "failed")));
    assertEquals(
        List.of("a.c1", "b.c1", "c.c1"), ledger.read().stream().map(LedgerEntry::runId).toList());
    assertEquals("failed", ledger.find("c.c1", 1).orElseThrow().status());
    assertEquals("completed", new RunLedger(ledger.file()).find("a.c1", 1).orElseThrow().status());
  }

  @Test
  void aLedgerReplacedByAnotherFileIsReadAgainFromItsStart() throws Exception {
    RunLedger ledger = RunLedger.of(tmp, "camp");
    assertTrue(ledger.append(entry("a.c1", 1, "completed")));
    assertTrue(ledger.append(entry("a.c2", 1, "completed")));
    Path other = tmp.resolve("other.jsonl");
    RunLedger otherLedger = new RunLedger(other);
    assertTrue(otherLedger.append(entry("z.c1", 1, "failed")));
    Files.move(other, ledger.file(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertTrue(ledger.find("a.c1", 1).isEmpty(), "a.c1 is not in the new file");
    assertEquals("failed", ledger.find("z.c1", 1).orElseThrow().status());
    assertTrue(ledger.append(entry("a.c1", 1, "completed")));
    assertEquals(List.of("z.c1", "a.c1"), ledger.read().stream().map(LedgerEntry::runId).toList());
  }

  @Test
  void findsEveryAttemptAmongManyEntries() {
    RunLedger ledger = RunLedger.of(tmp, "camp");
    for (int i = 0; i < 300; i++) {
      assertTrue(
          ledger.append(entry("r" + i + ".c1", 1 + i % 2, i % 3 == 0 ? "failed" : "completed")));
    }
    for (int i = 0; i < 300; i++) {
      LedgerEntry e = ledger.find("r" + i + ".c1", 1 + i % 2).orElseThrow();
      assertEquals(i % 3 == 0 ? "failed" : "completed", e.status());
      assertTrue(ledger.find("r" + i + ".c1", 2 - i % 2).isEmpty());
    }
  }

  @Test
  void missingLedgerReadsEmpty() {
    assertEquals(List.of(), RunLedger.of(tmp, "none").read());
    assertNull(RunLedger.of(tmp, "none").latestPerRun().get("x"));
  }
}
