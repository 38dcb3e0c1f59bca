package org.llenergymeasure.campaign.workflows.campaign;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.llenergymeasure.campaign.config.PlannedRun;

/**
 * The attempt counters of {@link CampaignState} in compact form for continue-as-new. Written out,
 * {@code attemptsUsed} is a map from run id to count: at 100,000 finished runs with names of 40
 * characters that is about 5 MB of JSON, over the server's limit on one payload. Compact, it is one
 * character per planned run, by plan index ({@code 0-9a-zA-Z} for 0 to 61 attempts), about 100 KB
 * at 100,000 runs; the rare run with more attempts keeps its entry in the map.
 */
public final class AttemptCodes {

  private static final String DIGITS =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  private AttemptCodes() {}

  /** {@code state} with its attempt counters compact; {@code runs} is the campaign's plan. */
  public static CampaignState compact(CampaignState state, List<PlannedRun> runs) {
    Map<String, Integer> used = state.attemptsUsed();
    char[] codes = new char[runs.size()];
    Map<String, Integer> overflow = new TreeMap<>();
    for (PlannedRun run : runs) {
      int n = used.getOrDefault(run.runId(), 0);
      codes[run.index()] = n < DIGITS.length() ? DIGITS.charAt(n) : DIGITS.charAt(0);
      if (n >= DIGITS.length()) {
        overflow.put(run.runId(), n);
      }
    }
    return with(state, overflow, new String(codes));
  }

  /** {@code state} with its attempt counters written out, as {@link RunBook} reads them. */
  public static CampaignState expand(CampaignState state, List<PlannedRun> runs) {
    String codes = state.attempts();
    if (codes == null) {
      return state;
    }
    Map<String, Integer> used = new TreeMap<>();
    for (PlannedRun run : runs) {
      int n = run.index() < codes.length() ? DIGITS.indexOf(codes.charAt(run.index())) : 0;
      if (n > 0) {
        used.put(run.runId(), n);
      }
    }
    used.putAll(state.attemptsUsed());
    return with(state, used, null);
  }

  private static CampaignState with(
      CampaignState state, Map<String, Integer> attemptsUsed, String codes) {
    return state.withAttempts(attemptsUsed, codes);
  }
}
