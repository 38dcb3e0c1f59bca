package org.llenergymeasure.campaign.worker.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * How many cycles each experiment of an adaptive campaign needed, and the GPU time and energy that
 * stopping at its target saved against running all {@code max} cycles. Only for a campaign file
 * whose {@code execution.cycles} has {@code until} and {@code max}.
 *
 * <p>GPU time is GPU-seconds: an attempt's host-measured await ({@code hostMeasurement.durationS},
 * else the ledger line's finishedAt − startedAt) times the GPUs it was routed (at least 1), over
 * every attempt, failed ones too. Energy is the host's over the whole await. The saved figures are
 * estimates: the cycles not run, each at the experiment's own mean per valid run.
 *
 * @param experiments per experiment, in the report's order
 * @param total the sums over all experiments
 */
public record CycleSavings(Map<String, Experiment> experiments, Figures total) {

  public static final String TARGET = "target";
  public static final String MAX = "max";
  public static final String ENDED = "ended";

  public CycleSavings {
    experiments = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(experiments));
  }

  /**
   * One experiment.
   *
   * @param cyclesRun the highest cycle with an attempt
   * @param min {@code cycles.min}; null when the file has none
   * @param stoppedBy {@link #TARGET} (its last cycle reached the target, at or after min), {@link
   *     #MAX} (it ran max cycles without) or {@link #ENDED} (the campaign ended before either:
   *     nothing is claimed as saved)
   */
  public record Experiment(
      int cyclesRun, Integer min, int max, String stoppedBy, Figures figures) {}

  /**
   * GPU time and energy used and saved.
   *
   * @param gpuSeconds GPU-seconds of the attempts that have a duration
   * @param unmeasuredAttempts attempts without a host measurement or both timestamps
   * @param energyJ the host's whole-await energy of the attempts that have one; null if none has
   * @param savedGpuSeconds estimated; null when the experiment ended before its target or max, or
   *     saved cycles have no valid run to estimate from (in a total: when any experiment's is null)
   * @param savedEnergyJ estimated; null likewise, or when no valid run has a host energy
   */
  public record Figures(
      int savedCycles,
      double gpuSeconds,
      int unmeasuredAttempts,
      Double savedGpuSeconds,
      Double energyJ,
      Double savedEnergyJ) {

    /** What running all max cycles would have cost; null when the saving is unknown. */
    public Double fixedGpuSeconds() {
      return savedGpuSeconds == null ? null : gpuSeconds + savedGpuSeconds;
    }

    public Double savedFraction() {
      return fraction(savedGpuSeconds, fixedGpuSeconds());
    }

    public Double fixedEnergyJ() {
      return energyJ == null || savedEnergyJ == null ? null : energyJ + savedEnergyJ;
    }

    public Double savedEnergyFraction() {
      return fraction(savedEnergyJ, fixedEnergyJ());
    }

    private static Double fraction(Double part, Double whole) {
      return part == null || whole == null || whole <= 0 ? null : part / whole;
    }

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("savedCycles", savedCycles);
      m.put("gpuSeconds", gpuSeconds);
      m.put("savedGpuSeconds", savedGpuSeconds);
      m.put("fixedGpuSeconds", fixedGpuSeconds());
      m.put("savedFraction", savedFraction());
      m.put("unmeasuredAttempts", unmeasuredAttempts);
      m.put("energyJ", energyJ);
      m.put("savedEnergyJ", savedEnergyJ);
      m.put("fixedEnergyJ", fixedEnergyJ());
      m.put("savedEnergyFraction", savedEnergyFraction());
      return m;
    }
  }

  /**
   * The savings of the experiments' convergence points (per experiment, after each cycle), or null
   * without {@code until} and {@code max} in the campaign file.
   */
  static CycleSavings of(ReportData data, Map<String, List<ConvergenceTrace.Point>> points) {
    CyclesTarget target = data.settings().target();
    if (target == null || target.max() == null) {
      return null;
    }
    Map<String, List<AttemptRecord>> attempts =
        data.attempts().stream()
            .collect(Collectors.groupingBy(a -> a.entry().experiment(), Collectors.toList()));
    Map<String, Experiment> out = new LinkedHashMap<>();
    for (ExperimentSummary e : data.experiments()) {
      out.put(
          e.experiment(),
          experiment(
              e,
              attempts.getOrDefault(e.experiment(), List.of()),
              points.getOrDefault(e.experiment(), List.of()),
              target));
    }
    return new CycleSavings(out, total(out.values().stream().map(Experiment::figures).toList()));
  }

  private static Experiment experiment(
      ExperimentSummary e,
      List<AttemptRecord> attempts,
      List<ConvergenceTrace.Point> points,
      CyclesTarget target) {
    int cyclesRun = attempts.stream().mapToInt(a -> a.entry().cycle()).max().orElse(0);
    boolean reached =
        points.stream()
            .anyMatch(
                p ->
                    p.cycle() == cyclesRun
                        && ConvergenceTrace.reached(p, target.relativeHalfWidth()));
    int max = target.max();
    String stoppedBy;
    if (reached && (target.min() == null || cyclesRun >= target.min())) {
      stoppedBy = TARGET;
    } else {
      stoppedBy = cyclesRun >= max ? MAX : ENDED;
    }
    int saved = TARGET.equals(stoppedBy) ? Math.max(0, max - cyclesRun) : 0;
    double gpuSeconds = 0;
    int unmeasured = 0;
    Double energy = null;
    for (AttemptRecord a : attempts) {
      Double s = gpuSeconds(a);
      if (s == null) {
        unmeasured++;
      } else {
        gpuSeconds += s;
      }
      if (a.hostEnergyJ() != null) {
        energy = (energy == null ? 0 : energy) + a.hostEnergyJ();
      }
    }
    List<AttemptRecord> valid = e.runs().stream().filter(AttemptRecord::valid).toList();
    Double perRunSeconds = mean(valid.stream().map(CycleSavings::gpuSeconds).toList());
    Double perRunEnergy = mean(valid.stream().map(AttemptRecord::hostEnergyJ).toList());
    // An experiment that ended before its target or max saved an unknown amount: not zero.
    boolean known = !ENDED.equals(stoppedBy);
    return new Experiment(
        cyclesRun,
        target.min(),
        max,
        stoppedBy,
        new Figures(
            saved,
            gpuSeconds,
            unmeasured,
            known ? times(saved, perRunSeconds) : null,
            energy,
            !known || energy == null && saved == 0 ? null : times(saved, perRunEnergy)));
  }

  /**
   * The attempt's GPU-seconds: the host's whole await, else its ledger line's start to finish,
   * times its routed GPUs (at least 1); null without either duration.
   */
  static Double gpuSeconds(AttemptRecord a) {
    Double s = a.durationSeconds();
    if (a.hostMeasurement() != null) {
      s = a.hostMeasurement().durationS();
    }
    return s == null ? null : s * Math.max(1, a.routedUuids().size());
  }

  private static Double mean(List<Double> values) {
    List<Double> known = values.stream().filter(Objects::nonNull).toList();
    return known.isEmpty()
        ? null
        : known.stream().mapToDouble(Double::doubleValue).sum() / known.size();
  }

  private static Double times(int cycles, Double perRun) {
    if (cycles == 0) {
      return 0.0;
    }
    return perRun == null ? null : cycles * perRun;
  }

  private static Figures total(List<Figures> all) {
    return new Figures(
        all.stream().mapToInt(Figures::savedCycles).sum(),
        all.stream().mapToDouble(Figures::gpuSeconds).sum(),
        all.stream().mapToInt(Figures::unmeasuredAttempts).sum(),
        sumOfAll(all.stream().map(Figures::savedGpuSeconds).toList()),
        sum(all.stream().map(Figures::energyJ).toList()),
        sumOfAll(all.stream().map(Figures::savedEnergyJ).toList()));
  }

  /** The sum, or null when any value is unknown: a total saving is claimed only when all are. */
  private static Double sumOfAll(List<Double> values) {
    return values.contains(null) ? null : sum(values);
  }

  /** The sum of the known values; null when none is known. */
  private static Double sum(List<Double> values) {
    List<Double> known = values.stream().filter(Objects::nonNull).toList();
    return known.isEmpty() ? null : known.stream().mapToDouble(Double::doubleValue).sum();
  }

  Map<String, Object> toJson() {
    Map<String, Object> ex = new LinkedHashMap<>();
    experiments.forEach(
        (name, e) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("cyclesRun", e.cyclesRun());
          m.put("min", e.min());
          m.put("max", e.max());
          m.put("stoppedBy", e.stoppedBy());
          m.putAll(e.figures().toJson());
          ex.put(name, m);
        });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("experiments", ex);
    out.put("total", total.toJson());
    return out;
  }
}
