package org.llenergymeasure.campaign.worker.report;

/**
 * The per-run metrics a report compares experiments on, by their ledger name (the {@code metrics}
 * object of a ledger line, and {@code until.metric} of adaptive cycles).
 *
 * @param key the ledger name
 * @param column the tidy CSV's column: the quantity in snake case, then its unit
 * @param label what the HTML report calls it, unit in brackets
 */
public enum ReportMetric {
  ENERGY("energyJ", "energy_J", "energy (J)"),
  ENERGY_ADJUSTED("energyAdjustedJ", "energy_adjusted_J", "idle-adjusted energy (J)"),
  ENERGY_PER_TOKEN("energyPerTokenJ", "energy_per_token_J", "energy per token (J/token)"),
  ENERGY_PER_TOKEN_ADJUSTED(
      "energyPerTokenAdjustedJ",
      "energy_per_token_adjusted_J",
      "idle-adjusted energy per token (J/token)"),
  TOKENS_PER_SECOND("tokensPerSecond", "throughput_tokens_per_s", "throughput (tokens/s)");

  private final String key;
  private final String column;
  private final String label;

  ReportMetric(String key, String column, String label) {
    this.key = key;
    this.column = column;
    this.label = label;
  }

  public String key() {
    return key;
  }

  public String column() {
    return column;
  }

  public String label() {
    return label;
  }

  /** Whether a higher value is better (throughput), else a lower one is (energy). */
  public boolean higherIsBetter() {
    return this == TOKENS_PER_SECOND;
  }

  /** The metric of this ledger name, or null. */
  public static ReportMetric byKey(String key) {
    for (ReportMetric m : values()) {
      if (m.key.equals(key)) {
        return m;
      }
    }
    return null;
  }
}
