package org.llenergymeasure.campaign.config;

import java.util.Locale;

/**
 * Times what {@code validate}, {@code plan} and {@code run} do with a campaign file of many runs:
 * load (read YAML, validate, expand, hash the plan), one experiment look-up per run (as {@code
 * plan} prints every run with its image), and the plan and its hash alone (what the campaign
 * workflow derives in a workflow task). Not a test (no assertion, not run by the build): {@code
 * bench/plan-size [RUNS...]} after {@code ./mvnw -B -q -DskipTests package}.
 *
 * <p>Default sizes: 10,000, 100,000 and 1,000,000 runs, each as a grid of 1,000 experiments, as one
 * of a tenth as many experiments as runs (10 cycles) and as one experiment per run (1 cycle). A
 * size above the campaign limit prints the refusal and its time.
 */
public final class PlanBenchmark {

  private PlanBenchmark() {}

  public static void main(String[] args) {
    long[] sizes = args.length == 0 ? new long[] {10_000, 100_000, 1_000_000} : parse(args);
    Yamls.load(yaml(10, 10)); // warm-up: class loading and JIT are not what is measured
    for (long runs : sizes) {
      // Deep: 1,000 experiments, many cycles. Wide: many experiments, 10 cycles. Flat: 1 cycle.
      time(runs, 1000);
      time(runs, runs / 10);
      time(runs, runs);
    }
  }

  private static void time(long runs, long experiments) {
    int cycles = (int) Math.max(1, runs / experiments);
    int last = (int) Math.max(1, experiments / 100);
    String text = yaml(last, cycles);
    long start = System.nanoTime();
    LoadedCampaign loaded;
    try {
      loaded = CampaignLoader.parse(text, "bench.yaml");
    } catch (CampaignFileException e) {
      System.out.printf(
          Locale.ROOT,
          "%,d runs (%,d experiments × %d cycles): refused in %.0f ms: %s%n",
          runs,
          experiments,
          cycles,
          ms(start),
          e.errors().get(0).message());
      return;
    }
    double loadMs = ms(start);
    long lookStart = System.nanoTime();
    long chars = 0;
    for (PlannedRun r : loaded.plan().runs()) {
      chars += loaded.campaign().experiment(r.experiment()).image().length();
    }
    double lookMs = ms(lookStart);
    long planStart = System.nanoTime();
    PlanBuilder.plan(loaded.campaign());
    double planMs = ms(planStart);
    System.out.printf(
        Locale.ROOT,
        "%,d runs (%,d experiments × %d cycles): load+validate+plan+hash %.0f ms,"
            + " per-run experiment look-up %.0f ms (%d); plan+hash alone (as the workflow does)"
            + " %.0f ms%n",
        loaded.plan().runs().size(),
        loaded.campaign().experiments().size(),
        cycles,
        loadMs,
        lookMs,
        chars,
        planMs);
  }

  private static long[] parse(String[] args) {
    long[] out = new long[args.length];
    for (int i = 0; i < args.length; i++) {
      out[i] = Long.parseLong(args[i].replace("_", "").replace(",", ""));
    }
    return out;
  }

  private static double ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  /** A grid of 10 × 10 × {@code last} experiments, {@code cycles} cycles. */
  static String yaml(int last, int cycles) {
    StringBuilder c = new StringBuilder();
    for (int i = 0; i < last; i++) {
      c.append(i == 0 ? "" : ", ").append(i);
    }
    return """
        campaign: big
        defaults: {image: "img:1", gpus: [0]}
        grid:
          name: "e-{a}-{b}-{c}"
          base: {command: [run, "{a}", "{b}", "{c}"]}
          axes:
            a: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
            b: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
            c: [%s]
        execution: {cycles: %d, order: interleave}
        """
        .formatted(c, cycles);
  }
}
