package org.llenergymeasure.campaign.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Expands a campaign into its runs in execution order and hashes them. Pure and deterministic: the
 * workflow re-derives the plan with it, so it must never read the clock, the environment or iterate
 * a hash-ordered collection. The orders are described in {@link RunOrders}.
 *
 * <p>The hash is the SHA-256 (lower-case hex) of the canonical JSON ({@link CanonicalJson}) of
 * {@code {"attach": …, "execution": {…}, "format": 1, "runs": [{"cycle", "experiment": {the fully
 * merged experiment without labels}, "index", "runId"}, …]}}. The campaign name, description,
 * labels and hosts are not in it: they do not change what runs.
 */
public final class PlanBuilder {

  /** The campaign file format version, part of the hash. */
  static final long FORMAT = 1;

  private PlanBuilder() {}

  public static Plan plan(Campaign campaign) {
    List<PlannedRun> runs = runs(campaign);
    return new Plan(campaign.name(), hash(campaign, runs), runs);
  }

  /**
   * The runs alone, in execution order, without the hash: cheap (about 10 ms at 100,000 runs), so
   * the campaign workflow derives them in its workflow task while the hash, which encodes every
   * run's experiment, is taken outside it.
   */
  public static List<PlannedRun> runs(Campaign campaign) {
    List<Experiment> experiments = campaign.experiments();
    int n = experiments.size();
    // Adaptive cycles start with cycles 1..min; the campaign workflow appends later ones.
    int cycles = campaign.execution().firstCycles();
    List<PlannedRun> runs = new ArrayList<>(n * cycles);
    RunOrder order = campaign.execution().order();
    if (order == RunOrder.GROUPED) {
      for (Experiment e : experiments) {
        for (int c = 1; c <= cycles; c++) {
          runs.add(run(e, c, runs.size()));
        }
      }
    } else {
      int[][] shuffled =
          order == RunOrder.SHUFFLE
              ? RunOrders.shuffle(n, cycles, campaign.execution().seed())
              : null;
      for (int c = 1; c <= cycles; c++) {
        for (int i : permutation(campaign.execution(), n, c, shuffled)) {
          runs.add(run(experiments.get(i), c, runs.size()));
        }
      }
    }
    return java.util.Collections.unmodifiableList(runs);
  }

  /**
   * The runs of one later cycle of adaptive cycles: the cycle's order (as if the plan had had that
   * many cycles from the start) filtered to the experiments {@code keep} names, by experiment
   * index, at plan indices from {@code firstIndex} on. Not for {@code grouped} order, which
   * adaptive cycles refuse.
   */
  public static List<PlannedRun> cycle(
      Campaign campaign, int cycle, boolean[] keep, int firstIndex) {
    Execution x = campaign.execution();
    if (x.order() == RunOrder.GROUPED) {
      throw new IllegalArgumentException("grouped order has no cycle of its own");
    }
    List<Experiment> experiments = campaign.experiments();
    int n = experiments.size();
    int[][] shuffled = x.order() == RunOrder.SHUFFLE ? RunOrders.shuffle(n, cycle, x.seed()) : null;
    List<PlannedRun> out = new ArrayList<>();
    for (int i : permutation(x, n, cycle, shuffled)) {
      if (keep[i]) {
        out.add(run(experiments.get(i), cycle, firstIndex + out.size()));
      }
    }
    return out;
  }

  /** The order of experiment indices in cycle {@code c}; {@code shuffled} for shuffle order. */
  private static int[] permutation(Execution x, int n, int c, int[][] shuffled) {
    return switch (x.order()) {
      case INTERLEAVE -> RunOrders.interleave(n);
      case REVERSE -> RunOrders.reverse(n, c);
      case SHUFFLE -> shuffled[c - 1];
      case LATIN_SQUARE -> RunOrders.latinSquare(n, c);
      case GROUPED -> throw new IllegalStateException("handled by the caller");
    };
  }

  private static PlannedRun run(Experiment e, int cycle, int index) {
    return new PlannedRun(PlannedRun.runId(e.name(), cycle), e.name(), cycle, index);
  }

  /** The plan hash of {@code runs}, which must be {@link #runs(Campaign)} of {@code campaign}. */
  public static String hash(Campaign campaign, List<PlannedRun> runs) {
    // Each experiment's canonical JSON is encoded once, not once per run: a campaign of 100,000
    // runs hashes about 70 MB, so this is linear in runs with a small constant (the workflow
    // hashes the plan in a workflow task, which must not block for long).
    Map<String, byte[]> experimentJson = new HashMap<>();
    for (Experiment e : campaign.experiments()) {
      experimentJson.put(e.name(), utf8(CanonicalJson.write(CanonicalJson.experiment(e, true))));
    }
    Utf8Digest out = new Utf8Digest();
    StringBuilder sb = new StringBuilder(256);
    // Keys in sorted order, as CanonicalJson writes every object.
    sb.append("{\"attach\":");
    CanonicalJson.string(campaign.attach().yamlName(), sb);
    sb.append(",\"execution\":");
    CanonicalJson.write(CanonicalJson.execution(campaign.execution()), sb);
    sb.append(",\"format\":").append(FORMAT).append(",\"runs\":[");
    out.text(sb);
    for (int i = 0; i < runs.size(); i++) {
      PlannedRun r = runs.get(i);
      sb.setLength(0);
      if (i > 0) {
        sb.append(',');
      }
      sb.append("{\"cycle\":").append(r.cycle()).append(",\"experiment\":");
      out.text(sb);
      out.bytes(experimentJson.get(r.experiment()));
      sb.setLength(0);
      sb.append(",\"index\":").append(r.index()).append(",\"runId\":");
      CanonicalJson.string(r.runId(), sb);
      sb.append('}');
      out.text(sb);
    }
    out.text("]}");
    return out.hex();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** SHA-256 of UTF-8 text given in pieces, through a buffer so that small pieces cost little. */
  private static final class Utf8Digest {
    private final MessageDigest digest = sha256();
    private final byte[] buffer = new byte[1 << 16];
    private int used;

    void text(CharSequence s) {
      boolean ascii = true;
      for (int i = 0; i < s.length() && ascii; i++) {
        ascii = s.charAt(i) < 0x80;
      }
      if (!ascii || s.length() > buffer.length - used) {
        bytes(utf8(s.toString()));
        return;
      }
      for (int i = 0; i < s.length(); i++) {
        buffer[used++] = (byte) s.charAt(i);
      }
    }

    void bytes(byte[] b) {
      if (b.length > buffer.length - used) {
        flush();
        if (b.length > buffer.length) {
          digest.update(b);
          return;
        }
      }
      System.arraycopy(b, 0, buffer, used, b.length);
      used += b.length;
    }

    private void flush() {
      digest.update(buffer, 0, used);
      used = 0;
    }

    String hex() {
      flush();
      return HexFormat.of().formatHex(digest.digest());
    }
  }

  /** The canonical JSON the hash is taken over, for tests and for explaining a hash change. */
  static String canonicalForm(Campaign campaign) {
    Plan plan = plan(campaign);
    StringBuilder sb = new StringBuilder();
    Map<String, Object> top = new TreeMap<>();
    top.put("attach", campaign.attach().yamlName());
    top.put("execution", CanonicalJson.execution(campaign.execution()));
    top.put("format", FORMAT);
    List<Object> runs = new ArrayList<>();
    for (PlannedRun r : plan.runs()) {
      Map<String, Object> m = new TreeMap<>();
      m.put("cycle", (long) r.cycle());
      m.put("experiment", CanonicalJson.experiment(campaign.experiment(r.experiment()), true));
      m.put("index", (long) r.index());
      m.put("runId", r.runId());
      runs.add(m);
    }
    top.put("runs", runs);
    CanonicalJson.write(top, sb);
    return sb.toString();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
