package org.llenergymeasure.campaign.worker.report;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One experiment over its cycles: how many runs ended how, and the spread of each metric over the
 * completed runs (a run's last attempt). A spread is null when no completed run reported it. Only
 * completed runs count: an attempt failed with InvalidMeasurement keeps its result in the ledger,
 * but never enters a spread. {@code hostEnergyJ} is over the whole await, {@code hostWindowEnergyJ}
 * over the runs' own measurement windows, {@code runToHostPercent} the run's energy against the
 * host's over its window where reported (else the whole await).
 */
public record ExperimentSummary(
    String experiment,
    List<AttemptRecord> runs,
    int completed,
    int failed,
    Spread energyJ,
    Spread energyPerTokenJ,
    Spread tokensPerSecond,
    Spread durationS,
    boolean simulated,
    int completedWithoutEnergy,
    Spread hostEnergyJ,
    Spread hostWindowEnergyJ,
    Spread runToHostPercent) {

  public ExperimentSummary {
    runs = List.copyOf(runs);
  }

  /** The summary of one experiment's runs (each run's last attempt). */
  public static ExperimentSummary of(String experiment, List<AttemptRecord> runs) {
    List<AttemptRecord> done = runs.stream().filter(AttemptRecord::completed).toList();
    int failed = (int) runs.stream().filter(r -> "failed".equals(r.entry().status())).count();
    return new ExperimentSummary(
        experiment,
        runs,
        done.size(),
        failed,
        spread(done, r -> r.metrics().energyJ()),
        spread(done, r -> r.metrics().energyPerTokenJ()),
        spread(done, r -> r.metrics().tokensPerSecond()),
        spread(done, AttemptRecord::durationSeconds),
        runs.stream().anyMatch(r -> Boolean.TRUE.equals(r.metrics().simulated())),
        (int) done.stream().filter(r -> r.metrics().energyJ() == null).count(),
        spread(done, AttemptRecord::hostEnergyJ),
        spread(done, AttemptRecord::hostWindowEnergyJ),
        spread(done, AttemptRecord::runToHostPercent));
  }

  /**
   * The spread of a field of llenergymeasure's own results over the completed runs that have one;
   * null when none does.
   */
  public Spread upstream(Function<UpstreamResult, Double> field) {
    return spread(
        runs.stream().filter(AttemptRecord::completed).toList(),
        r -> {
          UpstreamResult u = r.upstream();
          return u == null ? null : field.apply(u);
        });
  }

  /** The host's energy per llenergymeasure token over the completed runs that have both. */
  public Spread hostJoulesPerUpstreamToken() {
    return spread(
        runs.stream().filter(AttemptRecord::completed).toList(),
        AttemptRecord::hostJoulesPerUpstreamToken);
  }

  /** Whether any run's result is llenergymeasure's own. */
  public boolean hasUpstream() {
    return runs.stream().anyMatch(r -> r.upstream() != null);
  }

  private static Spread spread(List<AttemptRecord> runs, Function<AttemptRecord, Double> metric) {
    return Spread.of(runs.stream().map(metric).filter(Objects::nonNull).toList());
  }
}
