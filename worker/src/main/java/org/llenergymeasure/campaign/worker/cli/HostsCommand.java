package org.llenergymeasure.campaign.worker.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.host.HostDirectory;
import org.llenergymeasure.campaign.worker.server.ServerSession;
import org.llenergymeasure.campaign.workflows.registry.HostRecord;
import org.llenergymeasure.campaign.workflows.registry.RegisteredGpu;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "hosts",
    mixinStandardHelpOptions = true,
    description = {
      "List the GPU hosts whose workers registered with this server: state (up, stale after 2"
          + " minutes without a report, draining, drained), GPUs free/leased/quarantined, GPU"
          + " models, driver, worker version and when the worker last reported."
    },
    footer = {
      "",
      "Examples:",
      "  llem-campaign hosts",
      "  llem-campaign hosts --json --temporal 10.0.0.5:7233"
    })
final class HostsCommand implements Callable<Integer> {

  @Mixin CommonOptions common;

  @Override
  public Integer call() {
    Console console = Console.system();
    try (ServerSession session = CampaignCommands.connect(common)) {
      HostDirectory directory = HostDirectory.of(session.connection().client());
      List<HostRecord> hosts = directory.hosts();
      long now = directory.nowMs();
      if (common.json()) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (HostRecord h : hosts) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.putAll(Console.mapper().convertValue(h, Map.class));
          m.put("state", h.state(now).word());
          out.add(m);
        }
        console.json(Map.of("hosts", out));
      } else if (hosts.isEmpty()) {
        console.line(
            "no host registered on "
                + session.connection().address()
                + " (a worker registers its host when it starts: llem-campaign worker)");
      } else {
        console.line(table(hosts, now));
      }
    }
    return ExitCodes.OK;
  }

  static String table(List<HostRecord> hosts, long now) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "HOST", "STATE", "GPUS free/leased/quar.", "MODELS", "DRIVER", "WORKER", "LAST SEEN"
        });
    for (HostRecord h : hosts) {
      rows.add(
          new String[] {
            h.hostId(),
            h.state(now).word(),
            h.freeGpus().size() + "/" + h.leasedUuids().size() + "/" + h.quarantinedUuids().size(),
            models(h.gpus()),
            h.driver() == null ? "-" : h.driver(),
            h.workerVersion() == null ? "-" : h.workerVersion(),
            ago(now - h.lastSeenMs())
          });
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        widths[i] = Math.max(widths[i], r[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        line.append(String.format("%-" + widths[i] + "s", r[i])).append("  ");
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString().stripTrailing();
  }

  /** "4x NVIDIA H100 80GB HBM3, 1x Tesla T4". */
  static String models(List<RegisteredGpu> gpus) {
    Map<String, Integer> counts = new TreeMap<>();
    gpus.forEach(g -> counts.merge(String.valueOf(g.name()), 1, Integer::sum));
    List<String> parts = new ArrayList<>();
    counts.forEach((name, n) -> parts.add(n + "x " + name));
    return parts.isEmpty() ? "-" : String.join(", ", parts);
  }

  /** "4s ago", "2m05s ago", "3h10m ago". */
  static String ago(long ms) {
    long s = Math.max(0, ms / 1000);
    if (s < 60) {
      return s + "s ago";
    }
    if (s < 3600) {
      return String.format("%dm%02ds ago", s / 60, s % 60);
    }
    return String.format("%dh%02dm ago", s / 3600, (s % 3600) / 60);
  }
}
