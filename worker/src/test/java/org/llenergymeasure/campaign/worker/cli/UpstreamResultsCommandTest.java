package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.llenergymeasure.campaign.worker.report.UpstreamLedger.BROKEN_RUN;
import static org.llenergymeasure.campaign.worker.report.UpstreamLedger.OTHER_RUN;
import static org.llenergymeasure.campaign.worker.report.UpstreamLedger.V07;
import static org.llenergymeasure.campaign.worker.report.UpstreamLedger.V07_NO_TOP_ADJUSTED_RUN;
import static org.llenergymeasure.campaign.worker.report.UpstreamLedger.V07_RUN;
import static org.llenergymeasure.campaign.worker.report.UpstreamLedger.V3;
import static org.llenergymeasure.campaign.worker.report.UpstreamLedger.V3_RUN;
import static org.llenergymeasure.campaign.worker.report.UpstreamLedger.read;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.worker.report.UpstreamLedger;

/**
 * {@code results} (table, --json, --csv) of runs whose result is llenergymeasure's own, in both of
 * its shapes: every figure is the one its file gives (read here with Jackson), beside the host's.
 */
class UpstreamResultsCommandTest {

  private static final String CAMPAIGN = "llem-results-shapes";

  @TempDir Path results;

  /** What each shown field must be, read straight from a result file. */
  private record Expected(
      String shape,
      String version,
      double energyJ,
      double tokens,
      String tokensSource,
      double jPerToken,
      double tokensPerS,
      double inferenceS,
      double adjustedEnergyJ,
      double baselinePowerW,
      boolean throttled,
      List<String> warnings) {}

  private static List<String> warnings(JsonNode f) {
    List<String> out = new ArrayList<>();
    f.get("measurement_warnings").forEach(w -> out.add(w.asText()));
    f.path("aggregation").path("warnings").forEach(w -> out.add(w.asText()));
    return out;
  }

  static Expected v3() {
    JsonNode f = read(V3);
    assertFalse(f.has("llenergymeasure_version"), "3.0's fixture names no version");
    return new Expected(
        "schema " + f.get("schema_version").asText(),
        null,
        f.get("total_energy_j").asDouble(),
        f.get("total_tokens").asDouble(),
        "total_tokens",
        f.get("avg_energy_per_token_j").asDouble(),
        f.get("avg_tokens_per_second").asDouble(),
        f.get("total_inference_time_sec").asDouble(),
        f.get("energy_adjusted_j").asDouble(),
        f.get("baseline_power_w").asDouble(),
        f.get("thermal_throttle").get("detected").asBoolean(),
        warnings(f));
  }

  static Expected v07(boolean topAdjusted) {
    JsonNode f = read(V07);
    assertFalse(f.has("schema_version"));
    assertFalse(f.has("baseline_power_w"), "0.7.0 has its baseline only in energy_breakdown");
    assertTrue(f.get("total_tokens").isNull(), "0.7.0's fixture leaves total_tokens null");
    return new Expected(
        "bundle " + f.get("bundle_version").asText(),
        f.get("llenergymeasure_version").asText(),
        f.get("total_energy_j").asDouble(),
        f.get("input_tokens").asDouble() + f.get("output_tokens").asDouble(),
        "input_tokens + output_tokens",
        f.get("avg_energy_per_token_j").asDouble(),
        f.get("avg_tokens_per_second").asDouble(),
        f.get("total_inference_time_sec").asDouble(),
        topAdjusted
            ? f.get("energy_adjusted_j").asDouble()
            : f.get("energy_breakdown").get("adjusted_j").asDouble(),
        f.get("energy_breakdown").get("baseline_power_w").asDouble(),
        f.get("throttle").get("detected").asBoolean(),
        warnings(f));
  }

  private CliRun results(String... more) {
    List<String> args =
        new ArrayList<>(List.of("results", CAMPAIGN, "--results", results.toString()));
    args.addAll(List.of(more));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, run.exit(), run.err());
    return run;
  }

  private static JsonNode run(JsonNode out, String runId) {
    for (JsonNode r : out.get("runs")) {
      if (runId.equals(r.get("runId").asText())) {
        return r;
      }
    }
    throw new AssertionError("no run " + runId + " in " + out);
  }

  @Test
  void jsonGivesEachRunTheFiguresOfItsOwnFileInEitherShape() throws Exception {
    UpstreamLedger.write(results, CAMPAIGN, true);
    JsonNode out = results("--json").json();

    assertJson(v3(), run(out, V3_RUN).get("llenergymeasure"));
    assertJson(v07(true), run(out, V07_RUN).get("llenergymeasure"));
    assertJson(v07(false), run(out, V07_NO_TOP_ADJUSTED_RUN).get("llenergymeasure"));
    // The RUN keeps every field it had (extended, never renamed).
    JsonNode v3 = run(out, V3_RUN);
    assertEquals(
        read(V3).get("total_energy_j").asDouble(),
        v3.get("result").get("total_energy_j").asDouble());
    assertEquals(UpstreamLedger.HOST_J, v3.get("hostMeasurement").get("energyJ").asDouble());

    assertTrue(run(out, OTHER_RUN).get("llenergymeasure").isNull(), "not llenergymeasure's");
    JsonNode broken = run(out, BROKEN_RUN).get("llenergymeasure");
    assertEquals("schema 3.0", broken.get("shape").asText());
    for (String f :
        List.of(
            "version",
            "energyJ",
            "tokens",
            "tokensSource",
            "jPerToken",
            "tokensPerS",
            "inferenceS",
            "adjustedEnergyJ",
            "baselinePowerW",
            "throttled")) {
      assertTrue(broken.get(f).isNull(), f + " is absent: " + broken);
    }
    assertEquals(0, broken.get("warnings").size(), broken.toString());
  }

  private static void assertJson(Expected e, JsonNode j) {
    assertEquals(e.shape(), j.get("shape").asText(), j.toString());
    assertEquals(e.version(), j.get("version").isNull() ? null : j.get("version").asText());
    assertEquals(e.energyJ(), j.get("energyJ").asDouble());
    assertEquals(e.tokens(), j.get("tokens").asDouble());
    assertEquals(e.tokensSource(), j.get("tokensSource").asText());
    assertEquals(e.jPerToken(), j.get("jPerToken").asDouble());
    assertEquals(e.tokensPerS(), j.get("tokensPerS").asDouble());
    assertEquals(e.inferenceS(), j.get("inferenceS").asDouble());
    assertEquals(e.adjustedEnergyJ(), j.get("adjustedEnergyJ").asDouble());
    assertEquals(e.baselinePowerW(), j.get("baselinePowerW").asDouble());
    assertEquals(e.throttled(), j.get("throttled").asBoolean());
    List<String> w = new ArrayList<>();
    j.get("warnings").forEach(x -> w.add(x.asText()));
    assertEquals(e.warnings(), w);
  }

  @Test
  void theTableShowsTheFiguresBesideTheHostsAndNotesTokensThrottlingAndWarnings() throws Exception {
    UpstreamLedger.write(results, CAMPAIGN, true);
    List<String> lines = results().out().lines().toList();

    String header = lines.get(0);
    assertTrue(header.contains("host energy"), header);
    for (String h : UpstreamColumns.TABLE_HEADERS) {
      assertTrue(header.contains(h), header);
    }
    assertTrue(header.indexOf("llem energy") < header.indexOf("GPUs / error"), header);
    for (Map.Entry<String, Expected> r :
        Map.of(V3_RUN, v3(), V07_RUN, v07(true), V07_NO_TOP_ADJUSTED_RUN, v07(false)).entrySet()) {
      Expected e = r.getValue();
      List<String> cells = cells(line(lines, r.getKey()));
      assertEquals(
          List.of(
              f("%.1f", e.energyJ()),
              "J",
              f("%.0f", e.tokens()),
              f("%.4f", e.jPerToken()),
              f("%.1f", e.tokensPerS()),
              f("%.1f", e.adjustedEnergyJ()),
              "J"),
          cells.subList(cells.size() - 8, cells.size() - 1),
          r.getKey() + ": " + cells);
    }
    List<String> v3 = cells(line(lines, V3_RUN));
    assertEquals(List.of(f("%.1f", UpstreamLedger.HOST_J), "J"), v3.subList(4, 6), v3.toString());
    List<String> broken = cells(line(lines, BROKEN_RUN));
    assertEquals(
        List.of("absent", "absent", "absent", "absent", "absent"),
        broken.subList(broken.size() - 6, broken.size() - 1),
        broken.toString());
    List<String> other = cells(line(lines, OTHER_RUN));
    assertEquals(
        List.of("-", "-", "-", "-", "-"),
        other.subList(other.size() - 6, other.size() - 1),
        other.toString());

    Expected e07 = v07(true);
    assertTrue(
        lines.contains(
            "llem tokens of "
                + V07_RUN
                + ": input_tokens + output_tokens (total_tokens is absent)"),
        String.join("\n", lines));
    assertTrue(lines.contains("llem throttling detected in " + V07_RUN), String.join("\n", lines));
    assertFalse(lines.contains("llem throttling detected in " + V3_RUN));
    assertTrue(
        lines.contains(
            "llem warnings of "
                + V3_RUN
                + " ("
                + v3().warnings().size()
                + "): "
                + String.join("; ", v3().warnings())),
        String.join("\n", lines));
    assertTrue(
        lines.contains(
            "llem warnings of "
                + V07_RUN
                + " ("
                + e07.warnings().size()
                + "): "
                + String.join("; ", e07.warnings())));
    assertFalse(String.join("\n", lines).contains("other workload warning"));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("llem columns: ")));
  }

  @Test
  void csvHasTheLlemColumnsWithTheFilesValues() throws Exception {
    UpstreamLedger.write(results, CAMPAIGN, true);
    List<List<String>> rows = csv(results("--csv").out());
    List<String> header = rows.get(0);
    // The llem columns follow the host's; the metric and verdict columns come after them.
    int llemEnd = header.size() - MetricColumns.CSV_COLUMNS.size();
    assertEquals(
        UpstreamColumns.CSV_COLUMNS,
        header.subList(llemEnd - UpstreamColumns.CSV_COLUMNS.size(), llemEnd));
    assertEquals("host.windowNote", header.get(llemEnd - UpstreamColumns.CSV_COLUMNS.size() - 1));
    Map<String, Map<String, String>> byRun = new HashMap<>();
    for (List<String> row : rows.subList(1, rows.size())) {
      Map<String, String> cells = new HashMap<>();
      for (int i = 0; i < header.size(); i++) {
        cells.put(header.get(i), row.get(i));
      }
      byRun.put(row.get(0), cells);
    }
    for (Map.Entry<String, Expected> r :
        Map.of(V3_RUN, v3(), V07_RUN, v07(true), V07_NO_TOP_ADJUSTED_RUN, v07(false)).entrySet()) {
      Map<String, String> c = byRun.get(r.getKey());
      Expected e = r.getValue();
      assertEquals(e.shape(), c.get("llem.shape"));
      assertEquals(e.version() == null ? "" : e.version(), c.get("llem.version"));
      assertEquals(e.energyJ(), Double.parseDouble(c.get("llem.energyJ")));
      assertEquals(e.tokens(), Double.parseDouble(c.get("llem.tokens")));
      assertEquals(e.tokensSource(), c.get("llem.tokensSource"));
      assertEquals(e.jPerToken(), Double.parseDouble(c.get("llem.jPerToken")));
      assertEquals(e.tokensPerS(), Double.parseDouble(c.get("llem.tokensPerS")));
      assertEquals(e.inferenceS(), Double.parseDouble(c.get("llem.inferenceS")));
      assertEquals(e.adjustedEnergyJ(), Double.parseDouble(c.get("llem.adjustedEnergyJ")));
      assertEquals(e.baselinePowerW(), Double.parseDouble(c.get("llem.baselinePowerW")));
      assertEquals(Boolean.toString(e.throttled()), c.get("llem.throttled"));
      assertEquals(String.join("; ", e.warnings()), c.get("llem.warnings"));
    }
    Map<String, String> broken = byRun.get(BROKEN_RUN);
    Map<String, String> other = byRun.get(OTHER_RUN);
    assertEquals("schema 3.0", broken.get("llem.shape"));
    for (String col : UpstreamColumns.CSV_COLUMNS) {
      assertEquals("", other.get(col), col + " of another workload's result");
      if (!"llem.shape".equals(col)) {
        assertEquals("", broken.get(col), col + " of a result without it");
      }
    }
  }

  @Test
  void withoutLlenergymeasureResultsNothingOfItIsShown() throws Exception {
    UpstreamLedger.write(results, CAMPAIGN, false);
    String table = results().out();
    assertFalse(table.contains("llem"), table);
    String csv = results("--csv").out();
    assertFalse(csv.lines().findFirst().orElseThrow().contains("llem."), csv);
    // Its own fields still come out as result.* columns, as for any result.
    assertTrue(csv.lines().findFirst().orElseThrow().contains("result.total_energy_j"), csv);
    assertTrue(run(results("--json").json(), OTHER_RUN).get("llenergymeasure").isNull());
  }

  private static String f(String pattern, double v) {
    return String.format(Locale.ROOT, pattern, v);
  }

  private static String line(List<String> lines, String runId) {
    return lines.stream()
        .filter(l -> l.startsWith(runId + " "))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line of " + runId + ": " + lines));
  }

  private static List<String> cells(String line) {
    return List.of(line.trim().split("\\s+"));
  }

  /** RFC 4180 rows (quoted cells may hold commas, quotes and newlines). */
  private static List<List<String>> csv(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(cell.toString());
        cell.setLength(0);
      } else if (c == '\n') {
        row.add(cell.toString());
        cell.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
      } else if (c != '\r') {
        cell.append(c);
      }
    }
    return rows;
  }
}
