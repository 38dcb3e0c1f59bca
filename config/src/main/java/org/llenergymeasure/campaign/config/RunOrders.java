package org.llenergymeasure.campaign.config;

/**
 * The order of experiments within each cycle (campaign-format.md "Order"). Every method returns,
 * for a 1-based cycle, a permutation of the experiment indices 0..n-1.
 *
 * <p>The algorithms are part of the file format: changing one changes the plan (and its hash) of
 * existing campaign files, so they are spelled out here and must stay as they are.
 *
 * <ul>
 *   <li>{@code grouped} is handled by the caller (all cycles of one experiment in a row).
 *   <li>{@code interleave}: 0, 1, …, n-1 every cycle.
 *   <li>{@code reverse}: odd cycles forward, even cycles backward.
 *   <li>{@code shuffle}: one {@code java.util.Random} (whose algorithm Java specifies exactly)
 *       seeded with {@link #mix(long) mix(seed)}; for each cycle in turn, starting from 0..n-1, a
 *       Fisher–Yates shuffle: for i from n-1 down to 1, swap i with {@code nextInt(i + 1)}. The
 *       seed is mixed first because {@code java.util.Random} gives similar first numbers for nearby
 *       seeds (0, 1, 2 …), which users tend to pick.
 *   <li>{@code latin-square}: a Williams design. Row 0 is 0, 1, n-1, 2, n-2, 3, …; row r adds r to
 *       every entry (mod n). For even n the n rows are balanced: every ordered pair is adjacent
 *       exactly once. For odd n no n-row square is balanced, so the standard remedy is used: rows
 *       n..2n-1 are rows 0..n-1 reversed, and over 2n cycles every ordered pair is adjacent exactly
 *       twice. Cycle k uses row (k-1) mod (n or 2n).
 * </ul>
 */
final class RunOrders {

  private RunOrders() {}

  static int[] interleave(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    return p;
  }

  static int[] reverse(int n, int cycle) {
    int[] p = interleave(n);
    if (cycle % 2 == 0) {
      for (int i = 0; i < n; i++) {
        p[i] = n - 1 - i;
      }
    }
    return p;
  }

  /** Permutations for cycles 1..cycles from one seeded generator. */
  static int[][] shuffle(int n, int cycles, long seed) {
    java.util.Random rng = new java.util.Random(mix(seed));
    int[][] out = new int[cycles][];
    for (int c = 0; c < cycles; c++) {
      int[] p = interleave(n);
      for (int i = n - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = p[i];
        p[i] = p[j];
        p[j] = t;
      }
      out[c] = p;
    }
    return out;
  }

  /** The number of distinct rows of the latin-square order before it repeats. */
  static int latinPeriod(int n) {
    return n % 2 == 0 ? n : 2 * n;
  }

  static int[] latinSquare(int n, int cycle) {
    int row = (cycle - 1) % latinPeriod(n);
    int[] first = new int[n];
    int lo = 1;
    int hi = n - 1;
    for (int i = 1; i < n; i++) {
      first[i] = (i % 2 == 1) ? lo++ : hi--;
    }
    int shift = row % n;
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = (first[i] + shift) % n;
    }
    if (row >= n) {
      for (int i = 0; i < n / 2; i++) {
        int t = p[i];
        p[i] = p[n - 1 - i];
        p[n - 1 - i] = t;
      }
    }
    return p;
  }

  /** The SplitMix64 finaliser: spreads nearby seeds over the whole 64-bit range. */
  static long mix(long seed) {
    long z = seed + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
