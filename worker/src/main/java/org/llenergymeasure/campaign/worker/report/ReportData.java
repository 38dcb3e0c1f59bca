package org.llenergymeasure.campaign.worker.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.worker.campaign.CampaignRecord;

/**
 * Everything a campaign report shows, from the ledger and the attempt folders only (no server):
 * every attempt, each run's last attempt, per-experiment spreads and failures by type.
 *
 * @param record campaign.json (plan hash, file, start), or null when the results have none
 * @param settings what the report takes from the campaign file itself (labels, cycles)
 */
public record ReportData(
    String campaign,
    CampaignRecord record,
    List<AttemptRecord> attempts,
    List<AttemptRecord> runs,
    List<ExperimentSummary> experiments,
    List<FailureCount> failures,
    CampaignSettings settings) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ReportData {
    attempts = List.copyOf(attempts);
    runs = List.copyOf(runs);
    experiments = List.copyOf(experiments);
    failures = List.copyOf(failures);
  }

  /** Reads {@code <resultsRoot>/<campaign>/}: ledger.jsonl, campaign.json, each routing.json. */
  public static ReportData load(Path resultsRoot, String campaign) {
    Path dir = resultsRoot.resolve(campaign);
    List<AttemptRecord> attempts = new ArrayList<>();
    for (LedgerLines.Line l : LedgerLines.read(RunLedger.of(resultsRoot, campaign).file())) {
      LedgerEntry e = l.entry();
      Path folder = dir.resolve(e.runId()).resolve("a" + e.attempt());
      attempts.add(AttemptRecord.of(e, l.json(), routedDevices(folder.resolve("routing.json"))));
    }
    CampaignRecord record = CampaignRecord.read(resultsRoot, campaign).orElse(null);
    return of(campaign, record, attempts, CampaignSettings.read(record));
  }

  /** The report of these attempts (in ledger order), without the campaign file's settings. */
  public static ReportData of(
      String campaign, CampaignRecord record, List<AttemptRecord> attempts) {
    return of(campaign, record, attempts, CampaignSettings.NONE);
  }

  /** The report of these attempts (in ledger order). */
  public static ReportData of(
      String campaign,
      CampaignRecord record,
      List<AttemptRecord> attempts,
      CampaignSettings settings) {
    Map<String, AttemptRecord> latest = new LinkedHashMap<>();
    for (AttemptRecord a : attempts) {
      latest.merge(
          a.entry().runId(),
          a,
          (old, next) -> next.entry().attempt() >= old.entry().attempt() ? next : old);
    }
    List<AttemptRecord> runs = List.copyOf(latest.values());
    Map<String, List<AttemptRecord>> byExperiment = new LinkedHashMap<>();
    for (AttemptRecord r : runs) {
      byExperiment.computeIfAbsent(r.entry().experiment(), k -> new ArrayList<>()).add(r);
    }
    List<ExperimentSummary> experiments = new ArrayList<>();
    byExperiment.forEach((name, rs) -> experiments.add(ExperimentSummary.of(name, rs)));
    return new ReportData(
        campaign, record, attempts, runs, experiments, failures(attempts, runs), settings);
  }

  private static List<FailureCount> failures(
      List<AttemptRecord> attempts, List<AttemptRecord> runs) {
    Map<String, int[]> counts = new TreeMap<>();
    Map<String, List<String>> runIds = new TreeMap<>();
    Map<String, String> examples = new TreeMap<>();
    for (AttemptRecord a : attempts) {
      if (a.entry().error() != null) {
        String type = typeOf(a);
        counts.computeIfAbsent(type, k -> new int[2])[0]++;
        examples.putIfAbsent(type, a.entry().error().message());
      }
    }
    for (AttemptRecord r : runs) {
      if (r.entry().error() != null && !r.completed()) {
        String type = typeOf(r);
        counts.computeIfAbsent(type, k -> new int[2])[1]++;
        runIds.computeIfAbsent(type, k -> new ArrayList<>()).add(r.entry().runId());
      }
    }
    List<FailureCount> out = new ArrayList<>();
    counts.forEach(
        (type, c) ->
            out.add(
                new FailureCount(
                    type, c[0], c[1], runIds.getOrDefault(type, List.of()), examples.get(type))));
    return out;
  }

  private static String typeOf(AttemptRecord a) {
    String t = a.entry().error().type();
    return t == null || t.isBlank() ? "unknown" : t;
  }

  /** The devices of routing.json (GpuRouting), or none when the file is absent or unreadable. */
  static List<AttemptRecord.Device> routedDevices(Path routingJson) {
    if (!Files.isRegularFile(routingJson)) {
      return List.of();
    }
    try {
      JsonNode devices = JSON.readTree(routingJson.toFile()).get("devices");
      List<AttemptRecord.Device> out = new ArrayList<>();
      if (devices != null && devices.isArray()) {
        for (JsonNode d : devices) {
          out.add(
              new AttemptRecord.Device(
                  d.path("uuid").asText(null),
                  d.hasNonNull("index") ? d.get("index").asInt() : null,
                  d.path("name").asText(null)));
        }
      }
      return out;
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Means, intervals, overlaps and the convergence trace over the valid runs. */
  public ComparableNumbers numbers() {
    return ComparableNumbers.of(this);
  }

  /** The plan hash from campaign.json, or "unknown". */
  public String planHash() {
    return record == null || record.planHash() == null ? "unknown" : record.planHash();
  }

  /** The distinct hosts the attempts ran on. */
  public List<String> hosts() {
    return attempts.stream().map(a -> a.entry().host()).filter(h -> h != null).distinct().toList();
  }
}
