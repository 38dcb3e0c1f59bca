package org.llenergymeasure.campaign.worker.bench;

import io.temporal.common.converter.DataConverter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.CampaignFileException;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.config.PlanBuilder;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.worker.campaign.CampaignSize;
import org.llenergymeasure.campaign.worker.campaign.PlanChanges;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;
import org.llenergymeasure.campaign.workflows.campaign.AttemptCodes;
import org.llenergymeasure.campaign.workflows.campaign.CampaignInput;
import org.llenergymeasure.campaign.workflows.campaign.CampaignState;
import org.llenergymeasure.campaign.workflows.campaign.RecentFailure;

/**
 * BENCHMARK ONLY (bench/input-size): what the largest campaigns put into Temporal payloads, side by
 * side with what they put there before the campaign was packed, and how long the campaign
 * workflow's first task takes with them. Per campaign: the workflow input as the server receives it
 * (the campaign written out, and packed), the continue-as-new state with every run finished twice
 * (attempt counters written out, and compact), the start memo, and the times of packing (client),
 * unpacking and deriving the runs (the workflow task) and hashing the plan (the local activity).
 * Not a test: no assertion, not run by the build.
 */
public final class InputSizeBenchmark {

  private static final DataConverter CONVERTER = LlemDataConverter.create();

  private InputSizeBenchmark() {}

  public static void main(String[] args) throws Exception {
    Random random = new Random(42);
    String longShared = randomWord(random, 120_000);
    String longEnvValue = randomWord(random, 60_000);
    List<String[]> cases = new ArrayList<>();
    cases.add(
        new String[] {"10,000 runs: 100 experiments × 100 cycles", grid(10, 10, 1, 100, "", "")});
    cases.add(
        new String[] {"10,000 runs: 10,000 experiments × 1 cycle", grid(10, 10, 100, 1, "", "")});
    cases.add(
        new String[] {
          "100,000 runs: 100 experiments × 1,000 cycles", grid(10, 10, 1, 1000, "", "")
        });
    cases.add(
        new String[] {
          "100,000 runs: 1,000 experiments × 100 cycles", grid(10, 10, 10, 100, "", "")
        });
    cases.add(
        new String[] {
          "100,000 runs: 100,000 experiments × 1 cycle", grid(10, 10, 1000, 1, "", "")
        });
    cases.add(
        new String[] {
          "100,000 runs: 1,000 experiments × 100 cycles, a shared 120 KB env value and a 60 KB"
              + " value in each of the 10 variants of an env axis",
          grid(10, 10, 10, 100, longShared, longEnvValue)
        });
    cases.add(
        new String[] {
          "1,000 runs: 1,000 experiments × 1 cycle, each with its own random 2,500-character"
              + " command word",
          perExperimentLong(random, 1000, 2500)
        });
    for (String[] c : cases) {
      // With arguments, only the campaigns whose title holds one of them.
      if (args.length == 0 || java.util.Arrays.stream(args).anyMatch(c[0]::contains)) {
        measure(c[0], c[1]);
      }
    }
  }

  private static void measure(String title, String yaml) throws Exception {
    LoadedCampaign loaded;
    try {
      loaded = CampaignLoader.parse(yaml, "bench.yaml");
    } catch (CampaignFileException e) {
      System.out.println(title + ": refused by validate: " + e.errors().get(0).message());
      return;
    }
    Campaign campaign = loaded.campaign();
    List<PlannedRun> runs = loaded.plan().runs();
    String hash = loaded.plan().hash();
    long inline =
        payloadBytes(new CampaignInput(campaign, hash, List.of("gpu-host-1"), null, null));
    long t0 = System.nanoTime();
    CampaignSize size = CampaignSize.of(campaign);
    double packMs = ms(t0);
    CampaignInput packed =
        new CampaignInput(null, hash, List.of("gpu-host-1"), null, null, size.packed());
    long packedInput = payloadBytes(packed);
    // The workflow task: unpack and derive the runs (cold = first time in this JVM per campaign).
    long t1 = System.nanoTime();
    Campaign unpacked = packed.unpackedCampaign();
    double unpackMs = ms(t1);
    long t2 = System.nanoTime();
    List<PlannedRun> derived = PlanBuilder.runs(unpacked);
    double runsMs = ms(t2);
    long t3 = System.nanoTime();
    String again = PlanBuilder.hash(unpacked, derived);
    double hashMs = ms(t3);
    if (!again.equals(hash)) {
      throw new IllegalStateException("the packed campaign hashes differently");
    }
    CampaignState finished = finishedState(runs);
    long canMap = payloadBytes(packed.withState(finished));
    long canCompact = payloadBytes(packed.withState(AttemptCodes.compact(finished, runs)));
    long canOld =
        payloadBytes(new CampaignInput(campaign, hash, List.of("gpu-host-1"), finished, null));
    Map<String, String> hashes = PlanChanges.experimentHashes(campaign);
    long memoHashes = CONVERTER.toPayload(hashes).get().getSerializedSize();
    System.out.printf(
        Locale.ROOT,
        "%s%n  workflow input: before %s, packed %s%s%n"
            + "  continue-as-new input, every run finished with 2 attempts: before %s;"
            + " packed with attempts written out %s; packed and compact %s%n"
            + "  memo experimentHashes: %s (%s)%n"
            + "  times: pack (client) %.0f ms; workflow task: unpack %.0f ms + derive runs %.0f ms;"
            + " hash (local activity) %.0f ms%n",
        title,
        kb(inline),
        kb(packedInput),
        size.problems().isEmpty() ? "" : " -> refused: " + size.problems().get(0),
        kb(canOld),
        kb(canMap),
        kb(canCompact),
        kb(memoHashes),
        hashes.size() > 10_000 ? "left out: over 10,000 experiments" : "kept",
        packMs,
        unpackMs,
        runsMs,
        hashMs);
  }

  private static CampaignState finishedState(List<PlannedRun> runs) {
    Map<String, Integer> attempts = new TreeMap<>();
    for (PlannedRun r : runs) {
      attempts.put(r.runId(), 2);
    }
    List<RecentFailure> failures = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      failures.add(new RecentFailure(runs.get(i).runId(), "ContainerExit", "x".repeat(200)));
    }
    return new CampaignState(
        "C".repeat(runs.size()),
        attempts,
        failures,
        runs.size(),
        1000L * runs.size(),
        4,
        null,
        0,
        runs.size() - 1,
        3,
        null,
        null);
  }

  private static long payloadBytes(Object value) {
    return CONVERTER.toPayloads(value).get().getSerializedSize();
  }

  /**
   * A grid of a × b × c experiments ({@code {a}-{b}-{c}} in the name and command), {@code cycles}
   * cycles; with {@code shared}, an env value in defaults; with {@code perVariant}, an env axis of
   * 10 variants each with its own long value.
   */
  static String grid(int a, int b, int c, int cycles, String shared, String perVariant) {
    StringBuilder y = new StringBuilder("campaign: big-input\n");
    y.append("defaults:\n  image: \"registry.example.org/llenergymeasure/pytorch:1.4\"\n");
    y.append("  gpus: [0]\n  timeout: 30m\n");
    if (!shared.isEmpty()) {
      y.append("  env: {SHARED: \"").append(shared).append("\"}\n");
    }
    y.append("grid:\n  name: \"llama-3.1-8b-a{a}-b{b}-c{c}\"\n");
    y.append("  base: {command: [llem, experiment, --a, \"{a}\", --b, \"{b}\", --c, \"{c}\"]}\n");
    y.append("  axes:\n");
    y.append("    a: ").append(range(perVariant.isEmpty() ? a : 1)).append('\n');
    if (!perVariant.isEmpty()) {
      y.append("    v:\n");
      for (int i = 0; i < a; i++) {
        y.append("      - {value: \"")
            .append(i)
            .append("\", env: {VARIANT: \"")
            .append(i)
            .append(perVariant)
            .append("\"}}\n");
      }
      y.replace(y.indexOf("-a{a}-"), y.indexOf("-a{a}-") + 6, "-a{a}-v{v}-");
    }
    y.append("    b: ").append(range(b)).append('\n');
    y.append("    c: ").append(range(c)).append('\n');
    y.append("execution: {cycles: ").append(cycles).append(", order: interleave}\n");
    return y.toString();
  }

  private static String perExperimentLong(Random random, int n, int length) {
    StringBuilder y = new StringBuilder("campaign: big-input\n");
    y.append("defaults: {image: \"img:1\", gpus: [0]}\nexperiments:\n");
    for (int i = 0; i < n; i++) {
      y.append("  - {name: e")
          .append(i)
          .append(", command: [run, ")
          .append(randomWord(random, length))
          .append("]}\n");
    }
    return y.toString();
  }

  private static String range(int n) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      s.append(i == 0 ? "" : ", ").append(i);
    }
    return s.append(']').toString();
  }

  private static String randomWord(Random random, int length) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  private static String kb(long bytes) {
    return String.format(Locale.ROOT, "%,d B", bytes);
  }

  private static double ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }
}
