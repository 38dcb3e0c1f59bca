package org.llenergymeasure.campaign.worker.campaign;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.CampaignFileException;
import org.llenergymeasure.campaign.config.ConfigError;
import org.llenergymeasure.campaign.workflows.plan.CampaignPack;

/**
 * What a campaign puts into Temporal payloads, checked by {@code validate}, {@code plan} and {@code
 * run} before anything starts: the workflow input carries the packed campaign ({@link
 * CampaignPack}), and each run's child workflow and activities carry its merged experiment. A
 * Temporal server refuses a payload over 2 MiB (its default blob limit), so both stay well under.
 *
 * @param packed the campaign in the form the workflow input carries
 * @param largestExperiment the name of the experiment whose merged definition is the largest
 * @param largestExperimentBytes its JSON size
 */
public record CampaignSize(String packed, String largestExperiment, long largestExperimentBytes) {

  /** The most one experiment may take as JSON: one run's input carries it, with little else. */
  public static final int MAX_EXPERIMENT_BYTES = 1_000_000;

  public static CampaignSize of(Campaign campaign) {
    CampaignPack.Packed p = CampaignPack.packWithSizes(campaign);
    return new CampaignSize(p.packed(), p.largestExperiment(), p.largestExperimentBytes());
  }

  /** The packed campaign's size in bytes (base64, as it travels). */
  public int packedBytes() {
    return packed.length();
  }

  /** Why the campaign cannot start; empty when it fits. */
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (packedBytes() > CampaignPack.MAX_PACKED_BYTES) {
      out.add(
          "the campaign is too large to start: its compact form (what the campaign workflow"
              + " receives) is "
              + bytes(packedBytes())
              + ", over the limit of "
              + bytes(CampaignPack.MAX_PACKED_BYTES)
              + " (a Temporal server takes at most 2 MiB in one payload); split it into several"
              + " campaigns, or make long values shared (a long value that differs per experiment,"
              + " say through a grid placeholder, is stored once per experiment)");
    }
    if (largestExperimentBytes > MAX_EXPERIMENT_BYTES) {
      out.add(
          "experiment "
              + largestExperiment
              + " is too large to run: its merged definition (what each of its runs carries) is "
              + bytes(largestExperimentBytes)
              + " as JSON, over the limit of "
              + bytes(MAX_EXPERIMENT_BYTES)
              + "; shorten its long values (env, command, labels)");
    }
    return out;
  }

  /**
   * Refuses a campaign that does not fit, as a campaign file error at the file's start (exit 2,
   * {@code CampaignFileInvalid}).
   */
  public static CampaignSize check(Campaign campaign, String file) throws CampaignFileException {
    CampaignSize size = of(campaign);
    List<String> problems = size.problems();
    if (!problems.isEmpty()) {
      throw new CampaignFileException(
          problems.stream().map(p -> new ConfigError(file, 1, 1, "$", p)).toList());
    }
    return size;
  }

  static String bytes(long n) {
    return String.format(Locale.ROOT, "%,d bytes", n);
  }
}
