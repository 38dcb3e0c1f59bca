package org.llenergymeasure.campaign.worker.drills;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;

/**
 * The suite's figures: each drill reports what it ran and what it found, and RELIABILITY.md at the
 * repository root is rewritten from all reports of this suite run after each one, so the file
 * always reflects the drills that actually ran (a drill that fails before reporting is missing from
 * the table, and its failure fails the build).
 */
final class Figures {

  static final String COMMAND =
      "./mvnw -B -Pdrills verify -pl worker -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false";

  /**
   * Set (-Dllem.drills.keepRows=true) when only some drills run (-Dit.test=...): the rows of the
   * other drills are kept from the existing file instead of dropped.
   */
  static final String KEEP_ROWS = "llem.drills.keepRows";

  private static final String HEADER =
      "| drill | drills run | runs lost | runs recorded twice | containers left | secrets found |"
          + " bad inputs tried | host files touched |";

  /** One drill's figures. */
  record Report(
      String drill,
      int drillsRun,
      int runsLost,
      int runsRecordedTwice,
      int containersLeft,
      int secretsFound,
      int badInputsTried,
      int hostFilesTouched) {

    /** A drill that does not aim at host files. */
    Report(
        String drill,
        int drillsRun,
        int runsLost,
        int runsRecordedTwice,
        int containersLeft,
        int secretsFound,
        int badInputsTried) {
      this(
          drill,
          drillsRun,
          runsLost,
          runsRecordedTwice,
          containersLeft,
          secretsFound,
          badInputsTried,
          0);
    }
  }

  private static final List<Report> REPORTS = new ArrayList<>();
  private static final Map<String, String> TIMINGS = new LinkedHashMap<>();
  private static List<Report> kept;
  private static Map<String, String> keptTimings;

  private Figures() {}

  static synchronized void report(Report r) {
    Path file = DockerExtension.repoRoot().resolve("RELIABILITY.md");
    keep(file);
    REPORTS.add(r);
    write(file);
  }

  /**
   * A drill's measured figures (wall time, sizes) that vary from run to run: listed below the
   * table, never compared by {@code scripts/check-reliability}.
   */
  static synchronized void timing(String drill, String figures) {
    Path file = DockerExtension.repoRoot().resolve("RELIABILITY.md");
    keep(file);
    TIMINGS.put(drill, figures);
    write(file);
  }

  private static void keep(Path file) {
    if (kept == null) {
      boolean keepRows = Boolean.getBoolean(KEEP_ROWS);
      kept = keepRows ? FiguresFile.rows(file) : List.of();
      keptTimings = keepRows ? FiguresFile.timings(file) : Map.of();
    }
  }

  private static void write(Path file) {
    StringBuilder md = new StringBuilder();
    md.append("# Reliability figures\n\n")
        .append(
            "Written by the fault drills (worker/src/test/java/org/llenergymeasure/campaign/worker/drills/),\n")
        .append(
            "which run real processes: a Temporal dev server on a SQLite file, worker JVMs of the built CLI\n")
        .append(
            "jar, the Docker engine. Do not edit by hand; regenerate it (after `scripts/build-test-images`)\n")
        .append("with:\n\n")
        .append("    ")
        .append(COMMAND)
        .append("\n\n")
        .append(
            "and commit the result. CI (`.ci/run`) runs the drills, then `scripts/check-reliability`, which\n")
        .append(
            "fails when a drill's counts below differ from the committed file's, or a drill was added or is\n")
        .append(
            "missing. Only the count columns are compared, row by drill name; the date is not. To run\n")
        .append(
            "one drill and keep the other rows, add `-Dit.test=NameIT -Dllem.drills.keepRows=true`.\n\n")
        .append("Last run: ")
        .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .append("\n\n")
        .append(HEADER)
        .append("\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
    Report total = new Report("**total**", 0, 0, 0, 0, 0, 0, 0);
    List<Report> rows = new ArrayList<>();
    for (Report k : kept) {
      if (REPORTS.stream().noneMatch(r -> r.drill().equals(k.drill()))) {
        rows.add(k);
      }
    }
    rows.addAll(REPORTS);
    for (Report r : rows) {
      md.append(row(r));
      total =
          new Report(
              total.drill(),
              total.drillsRun() + r.drillsRun(),
              total.runsLost() + r.runsLost(),
              total.runsRecordedTwice() + r.runsRecordedTwice(),
              total.containersLeft() + r.containersLeft(),
              total.secretsFound() + r.secretsFound(),
              total.badInputsTried() + r.badInputsTried(),
              total.hostFilesTouched() + r.hostFilesTouched());
    }
    md.append(row(total));
    Map<String, String> timings = new LinkedHashMap<>(keptTimings);
    timings.putAll(TIMINGS);
    if (!timings.isEmpty()) {
      md.append("\n").append(FiguresFile.TIMINGS).append("\n\n");
      timings.forEach(
          (drill, figures) ->
              md.append("- ").append(drill).append(": ").append(figures).append("\n"));
    }
    try {
      Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String row(Report r) {
    return "| %s | %d | %d | %d | %d | %d | %d | %d |\n"
        .formatted(
            r.drill(),
            r.drillsRun(),
            r.runsLost(),
            r.runsRecordedTwice(),
            r.containersLeft(),
            r.secretsFound(),
            r.badInputsTried(),
            r.hostFilesTouched());
  }
}
