package org.llenergymeasure.campaign.worker.cli;

import java.util.ArrayList;
import java.util.List;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.ExperimentConvergence;

/**
 * {@code status}'s table of an adaptive campaign's experiments: n, mean ± half-width, converged.
 */
final class ConvergenceText {

  private ConvergenceText() {}

  /** No lines for a fixed count of cycles. */
  static List<String> lines(CampaignProgress p) {
    List<String> out = new ArrayList<>();
    if (p.convergence() == null) {
      return out;
    }
    out.add("adaptive cycles (interval of the metric over each experiment's valid runs):");
    out.add(
        String.format(
            "  %-32s %4s %6s %14s %14s %9s  %s",
            "experiment", "n", "cycles", "mean", "± half-width", "± %", "converged"));
    for (ExperimentConvergence c : p.convergence()) {
      out.add(
          String.format(
              "  %-32s %4d %6d %14s %14s %9s  %s",
              c.experiment(),
              c.n(),
              c.cycles(),
              number(c.mean()),
              number(c.halfWidth()),
              c.relativeHalfWidth() == null
                  ? "-"
                  : String.format("%.2f", 100 * c.relativeHalfWidth()),
              c.converged() ? "yes" : "no"));
    }
    if (p.convergenceOmitted() != null && p.convergenceOmitted() > 0) {
      out.add("  … and " + p.convergenceOmitted() + " more experiments (not listed)");
    }
    return out;
  }

  static String number(Double v) {
    return v == null ? "-" : String.format("%.6g", v);
  }
}
