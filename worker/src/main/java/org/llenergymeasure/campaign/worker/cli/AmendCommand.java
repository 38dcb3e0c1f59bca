package org.llenergymeasure.campaign.worker.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.config.PlanDiff;
import org.llenergymeasure.campaign.worker.BadInput;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.campaign.CampaignControl;
import org.llenergymeasure.campaign.worker.campaign.CampaignSize;
import org.llenergymeasure.campaign.worker.server.ServerSession;
import org.llenergymeasure.campaign.workflows.campaign.AmendRequest;
import org.llenergymeasure.campaign.workflows.campaign.CurrentPlan;
import org.llenergymeasure.campaign.workflows.plan.CampaignPack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "amend",
    mixinStandardHelpOptions = true,
    description = {
      "Change a running campaign to a new version of its file: shows what changes (experiments"
          + " added, removed, changed), asks, then applies it. Runs that have started finish as"
          + " they are; added experiments run in the cycles that have not started; a removed"
          + " experiment's runs that have not started are skipped; a changed experiment's runs"
          + " that have not started run under the new definition as <experiment>@v<version>,"
          + " reported apart from its earlier runs."
    },
    footer = {
      "",
      "Examples:",
      "  llem-campaign amend quickstart examples/quickstart.yaml",
      "  llem-campaign amend quickstart campaign-v2.yaml --yes --json"
    })
final class AmendCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "CAMPAIGN", description = "The running campaign's name.")
  String campaign;

  @Parameters(index = "1", paramLabel = "FILE", description = "The new version of its file.")
  Path file;

  @Option(
      names = "--yes",
      description = "Apply without asking (for scripts; needed when stdin is not a terminal).")
  boolean yes;

  @Option(
      names = "--wait",
      paramLabel = "SECONDS",
      description = "How long to wait for a worker to apply the change (default ${DEFAULT-VALUE}).")
  long waitSeconds = 30;

  @Mixin CommonOptions common;

  @Override
  public Integer call() throws Exception {
    Console console = Console.system();
    LoadedCampaign loaded = CampaignLoader.load(file);
    CampaignSize size = CampaignSize.check(loaded.campaign(), file.toString());
    loaded.warnings().forEach(w -> console.note("warning: " + w));
    Campaign next = loaded.campaign();
    if (!next.name().equals(campaign)) {
      throw new BadInput(
          file
              + " is campaign "
              + next.name()
              + ", not "
              + campaign
              + "; amend changes a campaign to a new version of its own file");
    }
    try (ServerSession session = CampaignCommands.connect(common)) {
      CampaignControl control =
          new CampaignControl(
              CampaignCommands.lookup(session), Duration.ofSeconds(Math.max(1, waitSeconds)));
      CurrentPlan current = control.currentPlan(campaign);
      Campaign now = CampaignPack.unpack(current.packedCampaign());
      PlanDiff diff = PlanDiff.of(now, next);
      int version = current.planVersion() + 1;
      List<String> hashes = current.planHashes();
      console.note(
          "campaign "
              + campaign
              + ": plan v"
              + current.planVersion()
              + " ("
              + abbreviate(hashes.get(hashes.size() - 1))
              + ") -> v"
              + version
              + " ("
              + abbreviate(loaded.plan().hash())
              + ")");
      diffLines(diff, version).forEach(console::note);
      String refusal = PlanDiff.refusal(now, next);
      if (refusal != null) {
        throw new BadInput(campaign + ": amend refused: " + refusal);
      }
      if (diff.isEmpty()) {
        throw new BadInput(
            campaign + ": no experiment is added, removed or changed; nothing to amend");
      }
      if (!yes && !confirmed()) {
        console.note("not applied; campaign " + campaign + " goes on unchanged");
        return ExitCodes.OK;
      }
      String answer =
          control.update(campaign, "amend", new AmendRequest(size.packed(), loaded.plan().hash()));
      if (common.json()) {
        console.json(json(diff, version, answer));
      } else {
        console.line(answer);
      }
    }
    return ExitCodes.OK;
  }

  /** The diff for people; a changed experiment says the name its new runs carry. */
  static List<String> diffLines(PlanDiff diff, int version) {
    List<String> out = new ArrayList<>();
    for (String name : diff.added()) {
      out.add("  + " + name + " (added: runs in the cycles that have not started)");
    }
    for (String name : diff.removed()) {
      out.add("  - " + name + " (removed: its runs that have not started are skipped)");
    }
    for (Map.Entry<String, List<String>> e : diff.changed().entrySet()) {
      out.add(
          "  ~ "
              + e.getKey()
              + " (changed: "
              + String.join(", ", e.getValue())
              + "; its runs that have not started run as "
              + e.getKey()
              + "@v"
              + version
              + ")");
    }
    return out;
  }

  /** Asks on the terminal; without one (a script, a pipe) refuses: {@code --yes} says it. */
  private static boolean confirmed() throws IOException {
    if (!stdinIsTerminal()) {
      throw new BadInput(
          "amend changes a running campaign and stdin is not a terminal to ask on; pass --yes to"
              + " apply it");
    }
    System.err.print("apply? [y/N] ");
    System.err.flush();
    String line =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    return line != null
        && (line.strip().equalsIgnoreCase("y") || line.strip().equalsIgnoreCase("yes"));
  }

  /** Whether stdin is a terminal to ask on (not a pipe, a file or a test's stream). */
  // On JDK 22 and newer System.console() is not null without a terminal: /proc/self/fd/0 decides.
  @SuppressWarnings("SystemConsoleNull")
  static boolean stdinIsTerminal() {
    if (System.console() == null) {
      return false;
    }
    try {
      String target = java.nio.file.Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | RuntimeException e) {
      return true; // no /proc: trust System.console()
    }
  }

  private static Map<String, Object> json(PlanDiff diff, int version, String answer) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("ok", true);
    out.put("planVersion", version);
    out.put("added", diff.added());
    out.put("removed", diff.removed());
    out.put("changed", diff.changed());
    out.put("message", answer);
    return out;
  }

  private static String abbreviate(String hash) {
    return hash.length() > 12 ? hash.substring(0, 12) : hash;
  }
}
