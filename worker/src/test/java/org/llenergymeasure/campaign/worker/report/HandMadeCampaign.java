package org.llenergymeasure.campaign.worker.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.worker.campaign.CampaignRecord;

/**
 * A campaign's results written by hand: the ledger through the real RunLedger, routing.json files
 * and campaign.json, as a run leaves them.
 *
 * <ul>
 *   <li>{@code big}: 3 cycles completed on GPU 0: 100, 110, 126 J; 1000 tokens each; 20, 25, 30
 *       tokens/s; 10, 20, 30 s long.
 *   <li>{@code small}: c1 ExitNonZero then completed with an empty result (no energy); c2 OomKilled
 *       then ExitNonZero (ends failed); GPU 1.
 *   <li>{@code busy}: c1 refused by routing (GpuBusy, no routing).
 *   <li>{@code pair}: c1 completed on GPUs 2 and 3 but verified only GPU 2 (mismatch).
 * </ul>
 */
final class HandMadeCampaign {

  static final String NAME = "hand";
  static final String HASH = "abc123def4567890";
  static final String GPU0 = "GPU-00000000-0000-0000-0000-000000000000";
  static final String GPU1 = "GPU-11111111-1111-1111-1111-111111111111";
  static final String GPU2 = "GPU-22222222-2222-2222-2222-222222222222";
  static final String GPU3 = "GPU-33333333-3333-3333-3333-333333333333";

  private static final ObjectMapper JSON = new ObjectMapper();

  private HandMadeCampaign() {}

  static void write(Path results, boolean withRecord) throws Exception {
    RunLedger ledger = RunLedger.of(results, NAME);
    String[][] big = {
      {"100", "20", "00:00:00", "00:00:10"},
      {"110", "25", "00:01:00", "00:01:20"},
      {"126", "30", "00:02:00", "00:02:30"}
    };
    for (int c = 1; c <= 3; c++) {
      String[] b = big[c - 1];
      String result =
          "{\"total_energy_j\": "
              + b[0]
              + ", \"total_tokens\": 1000, \"avg_tokens_per_second\": "
              + b[1]
              + (c == 2
                  ? ", \"measurement_warnings\": [\"thermal <b>note</b>\"], \"thermal_throttle\": true"
                  : "")
              + "}";
      append(
          results,
          ledger,
          "big",
          c,
          1,
          "completed",
          List.of(GPU0),
          List.of(GPU0),
          result,
          null,
          b[2],
          b[3]);
    }
    append(
        results,
        ledger,
        "small",
        1,
        1,
        "failed",
        List.of(GPU1),
        List.of(GPU1),
        null,
        new String[] {"ExitNonZero", "exit 1 <script>"},
        "00:03:00",
        "00:03:05");
    append(
        results,
        ledger,
        "small",
        1,
        2,
        "completed",
        List.of(GPU1),
        List.of(GPU1),
        "{}",
        null,
        "00:03:10",
        "00:03:20");
    append(
        results,
        ledger,
        "small",
        2,
        1,
        "failed",
        List.of(GPU1),
        List.of(GPU1),
        null,
        new String[] {"OomKilled", "out of memory"},
        "00:04:00",
        "00:04:05");
    append(
        results,
        ledger,
        "small",
        2,
        2,
        "failed",
        List.of(GPU1),
        List.of(GPU1),
        null,
        new String[] {"ExitNonZero", "exit 2"},
        "00:04:10",
        "00:04:15");
    append(
        results,
        ledger,
        "busy",
        1,
        1,
        "failed",
        null,
        List.of(),
        null,
        new String[] {"GpuBusy", "GPU 1 is busy"},
        "00:05:00",
        "00:05:00");
    append(
        results,
        ledger,
        "pair",
        1,
        1,
        "completed",
        List.of(GPU2, GPU3),
        List.of(GPU2),
        "{\"total_energy_j\": 0, \"simulated\": true}",
        null,
        "00:05:00",
        "00:05:40");
    if (withRecord) {
      new CampaignRecord(NAME, HASH, "/campaigns/hand.yaml", "2026-01-01T00:00:00Z")
          .writeIfAbsent(results);
    }
  }

  private static void append(
      Path results,
      RunLedger ledger,
      String experiment,
      int cycle,
      int attempt,
      String status,
      List<String> routed,
      List<String> verified,
      String result,
      String[] error,
      String start,
      String end)
      throws Exception {
    String runId = experiment + ".c" + cycle;
    Path folder = results.resolve(NAME).resolve(runId).resolve("a" + attempt);
    Files.createDirectories(folder);
    if (routed != null) {
      StringBuilder devices = new StringBuilder();
      for (String u : routed) {
        int index = List.of(GPU0, GPU1, GPU2, GPU3).indexOf(u);
        devices
            .append(devices.length() == 0 ? "" : ",")
            .append("{\"uuid\": \"")
            .append(u)
            .append("\", \"index\": ")
            .append(index)
            .append(", \"name\": \"NVIDIA H100\"}");
      }
      Files.writeString(
          folder.resolve("routing.json"),
          "{\"hostId\": \"h1\", \"devices\": [" + devices + "], \"env\": {}}");
    }
    ledger.append(
        new LedgerEntry(
            runId,
            experiment,
            cycle,
            attempt,
            status,
            "h1",
            routed == null
                ? null
                : new LedgerEntry.Routing(
                    routed, Map.of("CUDA_VISIBLE_DEVICES", String.join(",", routed))),
            verified,
            folder.toString(),
            result == null ? null : JSON.readTree(result),
            error == null ? null : new LedgerEntry.Failure(error[0], error[1]),
            "2026-01-01T" + start + "Z",
            "2026-01-01T" + end + "Z",
            null,
            null));
  }
}
