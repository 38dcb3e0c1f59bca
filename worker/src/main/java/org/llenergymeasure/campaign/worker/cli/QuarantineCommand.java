package org.llenergymeasure.campaign.worker.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.llenergymeasure.campaign.activities.gpu.quarantine.QuarantineStore;
import org.llenergymeasure.campaign.worker.BadInput;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.LlemHome;
import org.llenergymeasure.campaign.workflows.host.GpuHolder;
import org.llenergymeasure.campaign.workflows.host.QuarantinedGpu;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quarantine list|release}: the operator's view of GPUs that runs left unclean. */
@Command(
    name = "quarantine",
    mixinStandardHelpOptions = true,
    description = {
      "GPUs of this host that a run's cleanup found not clean (a process still on them, or their"
          + " memory not back). No new run gets a quarantined GPU: busy: wait waits, busy: fail"
          + " fails. A GPU that is clean again is released by itself at the next routing or worker"
          + " start; one that stays dirty needs `quarantine release` once you have dealt with it."
    },
    subcommands = {QuarantineCommand.ListGpus.class, QuarantineCommand.Release.class},
    footer = {
      "",
      "State: LLEM_HOME/quarantine/<host-id>.json (default LLEM_HOME ~/.llem-campaign).",
      "",
      "Examples:",
      "  llem-campaign quarantine list",
      "  llem-campaign quarantine release GPU-1b2c3d4e-2222-4f60-9bac-111111111111",
      "  llem-campaign quarantine release --all"
    })
final class QuarantineCommand implements Runnable {

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.err);
  }

  /**
   * What the --json forms of {@code gpus}, {@code status} and {@code quarantine} print for one GPU
   * (cli-contract.md's QUARANTINED). The processes on it are printed twice, as {@code holders} and
   * as {@code processes}, the same list: each name was printed by some command, and the contract
   * never renames.
   */
  static Map<String, Object> toJson(QuarantinedGpu q) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("host", q.host());
    m.put("uuid", q.uuid());
    List<Map<String, Object>> holders = new ArrayList<>();
    for (GpuHolder h : q.holders()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("pid", h.pid());
      p.put("name", h.name());
      p.put("usedMemoryMiB", h.usedMemoryMiB());
      holders.add(p);
    }
    m.put("holders", holders);
    m.put("processes", holders);
    m.put("usedMemoryMiB", q.usedMemoryMiB());
    m.put("leftBy", q.leftBy());
    m.put("since", q.since());
    m.put("reason", q.reason());
    m.put("release", q.releaseCommand());
    return m;
  }

  static QuarantineStore store(String hostIdFlag) {
    return store(hostIdFlag, null);
  }

  static QuarantineStore store(String hostIdFlag, java.nio.file.Path home) {
    return QuarantineStore.forHost(
        home != null ? home : LlemHome.fromEnvironment().dir(), HostIds.resolve(hostIdFlag));
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "List this host's quarantined GPUs: which process holds each, which run left it, since when.",
      footer = {"", "Exit codes: 0 ok (also when none is quarantined)."})
  static final class ListGpus implements Callable<Integer> {

    @Option(
        names = "--host-id",
        paramLabel = "ID",
        description = "This GPU host's id (default: the short host name).")
    String hostId;

    @Option(
        names = "--llem-home",
        paramLabel = "DIR",
        hidden = true,
        description = "The state folder (tests; default LLEM_HOME).")
    java.nio.file.Path home;

    @Mixin CommonOptions common;

    @Override
    public Integer call() {
      Console console = Console.system();
      String host = HostIds.resolve(hostId);
      List<QuarantinedGpu> gpus = store(hostId, home).list();
      if (common.json()) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("host", host);
        out.put("quarantined", gpus.stream().map(QuarantineCommand::toJson).toList());
        console.json(out);
        return ExitCodes.OK;
      }
      if (gpus.isEmpty()) {
        console.line("host " + host + ": no quarantined GPU");
        return ExitCodes.OK;
      }
      for (QuarantinedGpu q : gpus) {
        console.line(q.uuid() + "  quarantined since " + q.since() + ", left by " + q.leftBy());
        console.line("    " + q.reason());
        console.line("    release: " + q.releaseCommand());
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "release",
      mixinStandardHelpOptions = true,
      description =
          "Give quarantined GPUs back to routing (after the leftover process is dealt with).",
      footer = {"", "Exit codes: 0 released, 2 the UUID is not quarantined on this host."})
  static final class Release implements Callable<Integer> {

    static final class Which {
      @Parameters(
          paramLabel = "UUID",
          description = "The GPU's UUID, as `quarantine list` shows it.")
      String uuid;

      @Option(names = "--all", description = "Release every quarantined GPU of this host.")
      boolean all;
    }

    @ArgGroup(multiplicity = "1")
    Which which;

    @Option(
        names = "--host-id",
        paramLabel = "ID",
        description = "This GPU host's id (default: the short host name).")
    String hostId;

    @Option(
        names = "--llem-home",
        paramLabel = "DIR",
        hidden = true,
        description = "The state folder (tests; default LLEM_HOME).")
    java.nio.file.Path home;

    @Mixin CommonOptions common;

    @Override
    public Integer call() {
      Console console = Console.system();
      QuarantineStore store = store(hostId, home);
      List<QuarantinedGpu> released = which.all ? store.releaseAll() : store.release(which.uuid);
      if (!which.all && released.isEmpty()) {
        List<String> known = store.list().stream().map(QuarantinedGpu::uuid).toList();
        throw new BadInput(
            "GPU "
                + which.uuid
                + " is not quarantined on host "
                + HostIds.resolve(hostId)
                + (known.isEmpty() ? " (none is)" : "; quarantined: " + String.join(", ", known))
                + "; see `llem-campaign quarantine list`");
      }
      if (common.json()) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("released", released.stream().map(QuarantineCommand::toJson).toList());
        console.json(out);
      } else if (released.isEmpty()) {
        console.line("no quarantined GPU to release");
      } else {
        released.forEach(q -> console.line("released " + q.uuid() + " (was: " + q.reason() + ")"));
      }
      return ExitCodes.OK;
    }
  }
}
