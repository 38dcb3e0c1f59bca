package org.llenergymeasure.campaign.worker.schedule;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.config.CampaignFileException;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.worker.campaign.CampaignDetails;
import org.llenergymeasure.campaign.worker.campaign.CampaignSize;
import org.llenergymeasure.campaign.worker.campaign.PlanChanges;
import org.llenergymeasure.campaign.workflows.schedule.ScheduledCampaignInput;

/**
 * A campaign file validated as {@code validate} does and frozen into a schedule's action input: its
 * compact form travels in the schedule, so a later edit of the file changes nothing until {@code
 * schedule update}.
 */
public final class ScheduleFile {

  /**
   * Up to this many experiments the firing's memo lists their hashes (as {@code run}'s does); the
   * action's input must stay within one payload beside a compact form of up to 1.5 MB.
   */
  static final int MAX_EXPERIMENT_HASHES = 1_000;

  private ScheduleFile() {}

  /**
   * The action input of schedule {@code schedule} for {@code file}.
   *
   * @param localHost the host id runs without {@code host:} go to when the file has no {@code
   *     hosts:}, as {@code run} passes it
   * @throws CampaignFileException as {@code validate} refuses the file (exit 2, located errors)
   */
  public static Frozen load(String schedule, Path file, String localHost)
      throws CampaignFileException {
    LoadedCampaign loaded = CampaignLoader.load(file);
    CampaignSize size = CampaignSize.check(loaded.campaign(), file.toString());
    List<String> hosts =
        loaded.campaign().hosts().isEmpty() ? List.of(localHost) : loaded.campaign().hosts();
    Map<String, String> experimentHashes = PlanChanges.experimentHashes(loaded.campaign());
    String details = CampaignDetails.markdown(loaded, hosts);
    // Its first line is the file's campaign name as a heading; the firing writes its own.
    int heading = details.indexOf('\n');
    ScheduledCampaignInput input =
        new ScheduledCampaignInput(
            schedule,
            loaded.plan().hash(),
            size.packed(),
            hosts,
            loaded.plan().runs().size(),
            file.toAbsolutePath().normalize().toString(),
            loaded.campaign().name(),
            experimentHashes.size() <= MAX_EXPERIMENT_HASHES ? experimentHashes : null,
            heading < 0 ? details : details.substring(heading + 1));
    return new Frozen(loaded, input);
  }

  /** The file as loaded (its warnings) and the action input made of it. */
  public record Frozen(LoadedCampaign loaded, ScheduledCampaignInput input) {}
}
