package org.llenergymeasure.campaign.worker.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.activities.measurement.HostMeasurement;

/**
 * A campaign's ledger whose runs carry llenergymeasure's real result files in both shapes (read
 * from images/llem-upstream-double/results/, never copied), one in 0.7.0's shape without its
 * top-level adjusted energy, one of its results with fields missing or unusable, and one result
 * that is not llenergymeasure's own (another workload's, borrowing two of its field names).
 */
public final class UpstreamLedger {

  public static final ObjectMapper JSON = new ObjectMapper();

  /** The two real result files, relative to the worker module (the tests' working folder). */
  public static final Path V3 =
      Path.of("..", "images", "llem-upstream-double", "results", "v3.0_result.json");

  public static final Path V07 =
      Path.of("..", "images", "llem-upstream-double", "results", "v0.7.0_result.json");

  public static final String V3_RUN = "v3.c1";
  public static final String V07_RUN = "v07.c1";
  public static final String V07_NO_TOP_ADJUSTED_RUN = "v07breakdown.c1";
  public static final String BROKEN_RUN = "broken.c1";
  public static final String OTHER_RUN = "other.c1";

  /** The host's energy of the 3.0 run (the others have no host measurement). */
  public static final double HOST_J = 250.0;

  /** A result that looks like llenergymeasure's but gives nothing usable. */
  public static final String BROKEN =
      "{\"schema_version\": \"3.0\", \"total_energy_j\": \"n/a\", \"avg_energy_per_token_j\": null,"
          + " \"total_tokens\": null, \"thermal_throttle\": \"hot\", \"energy_breakdown\": 5,"
          + " \"measurement_warnings\": null, \"aggregation\": [1]}";

  /** Another workload's result with two of llenergymeasure's field names and no shape marker. */
  public static final String OTHER =
      "{\"total_energy_j\": 35.5, \"avg_energy_per_token_j\": 0.25, \"total_tokens\": 142,"
          + " \"measurement_warnings\": [\"other workload warning\"]}";

  private UpstreamLedger() {}

  public static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The 0.7.0 file without its top-level {@code energy_adjusted_j}. */
  public static JsonNode v07WithoutTopAdjusted() {
    ObjectNode n = (ObjectNode) read(V07);
    n.remove("energy_adjusted_j");
    return n;
  }

  /** Writes every run of {@code campaign} (or only the other workload's run) to its ledger. */
  public static void write(Path results, String campaign, boolean withUpstream) throws Exception {
    RunLedger ledger = RunLedger.of(results, campaign);
    if (withUpstream) {
      ledger.append(line(V3_RUN, read(V3), host(HOST_J)));
      ledger.append(line(V07_RUN, read(V07), null));
      ledger.append(line(V07_NO_TOP_ADJUSTED_RUN, v07WithoutTopAdjusted(), null));
      ledger.append(line(BROKEN_RUN, JSON.readTree(BROKEN), null));
    }
    ledger.append(line(OTHER_RUN, JSON.readTree(OTHER), null));
  }

  static HostMeasurement host(double joules) {
    return new HostMeasurement(
        "counter",
        joules,
        10.0,
        joules / 10,
        null,
        60,
        0,
        List.of(),
        80.0,
        700.0,
        11,
        List.of(),
        null);
  }

  static LedgerEntry line(String runId, JsonNode result, HostMeasurement host) {
    return new LedgerEntry(
        runId,
        runId.substring(0, runId.indexOf('.')),
        1,
        1,
        "completed",
        "h1",
        new LedgerEntry.Routing(List.of("GPU-a"), Map.of()),
        List.of("GPU-a"),
        "/r/" + runId,
        result,
        null,
        "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:10Z",
        host,
        host == null ? "no host measurement: simulated host (--inventory): no NVML" : null);
  }
}
