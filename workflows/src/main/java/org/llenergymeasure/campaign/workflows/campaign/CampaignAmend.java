package org.llenergymeasure.campaign.workflows.campaign;

import io.temporal.workflow.Workflow;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.PlanDiff;
import org.llenergymeasure.campaign.config.PlannedRun;
import org.llenergymeasure.campaign.config.RunOrder;
import org.llenergymeasure.campaign.workflows.plan.CampaignPack;
import org.slf4j.Logger;

/**
 * The {@code amend} update: a running campaign goes on under a new version of its file. The
 * validator refuses what cannot change while it runs (docs/campaign-format.md, "Amending a running
 * campaign"); the handler rewrites the plan through {@link PlanVersions#apply}:
 *
 * <ul>
 *   <li>runs that have started are never touched (a running run finishes under its definition);
 *   <li>a removed experiment's runs that have not started are skipped;
 *   <li>a changed experiment's runs that have not started run under the new definition and the name
 *       {@code <experiment>@v<version>}, so results and report keep them apart;
 *   <li>the cycles that have not started are planned anew from the new file (its order, with the
 *       added experiments); in the cycle under way an added experiment gets no run. In grouped
 *       order an added experiment's cycles are appended at the plan's end.
 * </ul>
 *
 * <p>No handler blocks (see {@link CampaignUpdates}).
 */
final class CampaignAmend {

  /**
   * Change id: an {@code amend} rewrites the plan of a running campaign. Asked only by the amend
   * handler, so a campaign never amended issues the commands it did.
   */
  static final String CAMPAIGN_AMEND = "campaign-amend";

  /**
   * The most characters of packed files the campaign's input may carry across continue-as-new: the
   * first file and every amendment's (the server refuses a larger payload).
   */
  static final long MAX_CARRIED_CHARS = 1_500_000;

  private static final Logger log = Workflow.getLogger(CampaignAmend.class);

  private final String campaign;
  private final List<PlannedRun> runs;
  private final RunBook book;
  private final CampaignUpdates updates;
  private final PlanVersions versions;
  private final Runnable changed;
  private final java.util.function.LongSupplier firstPackedChars;

  CampaignAmend(
      String campaign,
      List<PlannedRun> runs,
      RunBook book,
      CampaignUpdates updates,
      PlanVersions versions,
      Runnable changed,
      java.util.function.LongSupplier firstPackedChars) {
    this.campaign = campaign;
    this.runs = runs;
    this.book = book;
    this.updates = updates;
    this.versions = versions;
    this.changed = changed;
    this.firstPackedChars = firstPackedChars;
  }

  void validate(AmendRequest request) {
    if (book.ending() != null) {
      throw refused(
          "campaign "
              + campaign
              + " has ended ("
              + book.ending().label()
              + "); amend changes a running campaign only");
    }
    if (request == null || request.packedCampaign() == null || request.planHash() == null) {
      throw refused("amend needs the new campaign file and its plan hash");
    }
    Campaign next = unpack(request);
    String why = PlanDiff.refusal(versions.current(), next);
    if (why != null) {
      throw refused(why);
    }
    List<String> hashes = versions.hashes();
    if (request.planHash().equals(hashes.get(hashes.size() - 1))) {
      throw refused(
          "campaign "
              + campaign
              + " already runs under this plan (hash "
              + abbreviate(request.planHash())
              + "); nothing to amend");
    }
    if (WorkflowUnsafe.deadlockDetectorOff(() -> PlanDiff.of(versions.current(), next)).isEmpty()) {
      throw refused(
          "no experiment is added, removed or changed (labels and description are not part of the"
              + " plan); nothing to amend");
    }
    long carried =
        firstPackedChars.getAsLong() + versions.carriedChars() + request.packedCampaign().length();
    if (carried > MAX_CARRIED_CHARS) {
      throw refused(
          "the campaign would carry "
              + carried
              + " characters of campaign files (its first file and every amend's), more than "
              + MAX_CARRIED_CHARS
              + "; start the new file under a new name");
    }
  }

  String amend(AmendRequest request) {
    Workflow.getVersion(CAMPAIGN_AMEND, Workflow.DEFAULT_VERSION, 1);
    Campaign next = unpack(request);
    int notStarted = firstNotStarted();
    int currentCycle = notStarted > 0 ? runs.get(notStarted - 1).cycle() : 0;
    int replanned = notStarted;
    if (next.execution().order() == RunOrder.GROUPED) {
      replanned = runs.size();
    } else {
      while (replanned < runs.size() && runs.get(replanned).cycle() == currentCycle) {
        replanned++;
      }
    }
    final int from = replanned;
    PlanVersions.Applied applied =
        WorkflowUnsafe.deadlockDetectorOff(
            () ->
                versions.apply(
                    next,
                    notStarted,
                    from,
                    currentCycle,
                    runs,
                    i -> book.status(i) == RunStatus.SKIPPED));
    book.truncate(from);
    book.append(runs.size() - from);
    List<Boolean> flags = applied.replannedSkipped();
    for (int j = 0; j < flags.size(); j++) {
      if (flags.get(j)) {
        book.set(from + j, RunStatus.SKIPPED);
      }
    }
    int skipped = 0;
    for (int i : applied.removedRuns()) {
      if (book.status(i) == RunStatus.PENDING) {
        book.set(i, RunStatus.SKIPPED);
        skipped++;
      }
    }
    // A removed experiment's failed run that retryFailed made pending again.
    for (int i = 0; i < notStarted; i++) {
      if (book.status(i) == RunStatus.PENDING
          && !versions.isCurrent(ExperimentNames.base(runs.get(i).experiment()))) {
        book.set(i, RunStatus.SKIPPED);
        skipped++;
      }
    }
    for (int i = from; i < runs.size(); i++) {
      if (!versions.isCurrent(ExperimentNames.base(runs.get(i).experiment()))) {
        skipped++;
      }
    }
    String summary =
        summary(applied.diff(), request.planHash(), skipped, runs.size() - from, currentCycle);
    versions.record(
        new Amendment(
            versions.version(),
            request.planHash(),
            request.packedCampaign(),
            notStarted,
            from,
            currentCycle,
            summary));
    updates.reindex();
    log.info("campaign {} amended: {}", campaign, summary);
    changed.run();
    return "campaign " + campaign + " amended: " + summary;
  }

  /** The plan index from which no run has started (runs start in plan order). */
  private int firstNotStarted() {
    for (int i = runs.size() - 1; i >= 0; i--) {
      RunStatus s = book.status(i);
      if (s != RunStatus.PENDING && s != RunStatus.SKIPPED) {
        return i + 1;
      }
    }
    return 0;
  }

  private String summary(PlanDiff diff, String hash, int skipped, int replanned, int cycle) {
    List<String> parts = new ArrayList<>();
    if (!diff.added().isEmpty()) {
      parts.add("added " + String.join(", ", diff.added()));
    }
    if (!diff.removed().isEmpty()) {
      parts.add("removed " + String.join(", ", diff.removed()));
    }
    for (Map.Entry<String, List<String>> e : diff.changed().entrySet()) {
      String name = versions.currentPlan(null).runNames().get(e.getKey());
      parts.add(
          "changed "
              + e.getKey()
              + " ("
              + String.join(", ", e.getValue())
              + ") -> runs as "
              + name);
    }
    return "plan v"
        + versions.version()
        + " (hash "
        + abbreviate(hash)
        + "): "
        + String.join("; ", parts)
        + "; "
        + skipped
        + " run(s) skipped as removed; "
        + replanned
        + " run(s) planned for the cycles after cycle "
        + cycle;
  }

  private static Campaign unpack(AmendRequest request) {
    try {
      return WorkflowUnsafe.deadlockDetectorOff(
          () -> CampaignPack.unpack(request.packedCampaign()));
    } catch (RuntimeException e) {
      throw refused("the new campaign file could not be read: " + e.getMessage());
    }
  }

  private static IllegalArgumentException refused(String reason) {
    return new IllegalArgumentException(reason);
  }

  private static String abbreviate(String hash) {
    return hash.length() > 12 ? hash.substring(0, 12) : hash;
  }
}
