package org.llenergymeasure.campaign.worker.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.llenergymeasure.campaign.activities.gpu.inventory.GpuDevice;
import org.llenergymeasure.campaign.activities.gpu.inventory.GpuProcess;
import org.llenergymeasure.campaign.activities.gpu.inventory.HostInventory;
import org.llenergymeasure.campaign.activities.gpu.inventory.MigDevice;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.workflows.host.QuarantinedGpu;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "gpus",
    mixinStandardHelpOptions = true,
    description = {
      "Show this host's GPU inventory as the router sees it: GPUs in PCI bus order (index, UUID,"
          + " PCI bus id, name, memory, MIG instances), the compute processes that make a GPU"
          + " busy, and the GPUs quarantined after a run left them unclean. Reads nvidia-smi, or a captured folder with --inventory."
    },
    footer = {
      "",
      "Exit codes: 0 ok, 2 a broken --inventory folder, 3 no nvidia-smi or no GPU on this host.",
      "",
      "Examples:",
      "  llem-campaign gpus",
      "  llem-campaign gpus --json",
      "  llem-campaign gpus --telemetry      (also the host's NVML readings: energy counter, power, temperature, clocks, throttling)",
      "  llem-campaign gpus --inventory examples/inventories/a100-mig"
    })
final class GpusCommand implements Callable<Integer> {

  @Mixin HostReadOptions hostRead;

  @Mixin CommonOptions common;

  @Option(
      names = "--telemetry",
      description =
          "Also read every GPU through NVML, as the worker does during a run (none on a simulated host).")
  boolean telemetry;

  @Override
  public Integer call() {
    Console console = Console.system();
    HostInventory host = hostRead.read(common);
    Map<String, Object> readings = telemetry ? TelemetryView.read(host.simulated()) : null;
    List<QuarantinedGpu> quarantined;
    try {
      quarantined = QuarantineCommand.store(hostRead.hostId).list();
    } catch (RuntimeException e) {
      console.note("note: cannot read the GPU quarantine: " + e.getMessage());
      quarantined = List.of();
    }
    if (common.json()) {
      Map<String, Object> out = toJson(host);
      out.put("quarantined", quarantined.stream().map(QuarantineCommand::toJson).toList());
      if (readings != null) {
        out.put("telemetry", readings);
      }
      console.json(out);
    } else {
      printTable(console, host);
      for (QuarantinedGpu q : quarantined) {
        console.line(
            "QUARANTINED "
                + gpuOf(host, q.uuid())
                + " ("
                + q.uuid()
                + ") since "
                + q.since()
                + ": "
                + q.reason()
                + "; release: "
                + q.releaseCommand());
      }
      if (readings != null) {
        TelemetryView.print(console, readings);
      }
    }
    return ExitCodes.OK;
  }

  /** cli-contract.md's {@code gpus} object, plus {@code simulated}. */
  static Map<String, Object> toJson(HostInventory host) {
    List<Map<String, Object>> gpus = new ArrayList<>();
    for (GpuDevice g : host.gpus()) {
      Map<String, Object> gpu = new LinkedHashMap<>();
      gpu.put("index", g.index());
      gpu.put("uuid", g.uuid());
      gpu.put("pciBusId", g.pciBusId());
      gpu.put("name", g.name());
      gpu.put("memoryMiB", g.memoryMiB());
      gpu.put("migEnabled", g.migEnabled());
      List<Map<String, Object>> migs = new ArrayList<>();
      for (MigDevice m : g.migDevices()) {
        Map<String, Object> mig = new LinkedHashMap<>();
        mig.put("index", m.index());
        mig.put("uuid", m.uuid());
        mig.put("profile", m.profile());
        migs.add(mig);
      }
      gpu.put("migDevices", migs);
      gpus.add(gpu);
    }
    List<Map<String, Object>> processes = new ArrayList<>();
    for (GpuProcess p : host.processes()) {
      Map<String, Object> process = new LinkedHashMap<>();
      process.put("pid", p.pid());
      process.put("gpuUuid", p.gpuUuid());
      process.put("usedMemoryMiB", p.usedMemoryMiB());
      processes.add(process);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("host", host.hostId());
    out.put("simulated", host.simulated());
    out.put("gpus", gpus);
    out.put("processes", processes);
    return out;
  }

  private void printTable(Console console, HostInventory host) {
    console.line(
        "host "
            + host.hostId()
            + (host.simulated()
                ? "  SIMULATED from " + common.inventoryDir() + " (nothing is measured)"
                : ""));
    console.line(
        String.format(
            "%5s  %-40s  %-16s  %10s  %-4s  %s",
            "GPU", "UUID", "PCI bus", "memory", "MIG", "name"));
    for (GpuDevice g : host.gpus()) {
      console.line(
          String.format(
              "%5d  %-40s  %-16s  %10s  %-4s  %s",
              g.index(),
              g.uuid(),
              g.pciBusId(),
              g.memoryMiB() == null ? "n/a" : g.memoryMiB() + " MiB",
              g.migEnabled() ? "on" : "off",
              g.name()));
      for (MigDevice m : g.migDevices()) {
        console.line(
            String.format(
                "%5s  %-40s  %-16s  %10s  %-4s  %s",
                g.index() + ":" + m.index(), m.uuid(), "", "", "", "MIG " + m.profile()));
      }
    }
    if (host.processes().isEmpty()) {
      console.line("no compute processes: every GPU is idle");
      return;
    }
    console.line("compute processes (their GPUs are busy):");
    for (GpuProcess p : host.processes()) {
      console.line(
          String.format(
              "  pid %-8d on %s (%s)  %s",
              p.pid(),
              gpuOf(host, p.gpuUuid()),
              p.gpuUuid(),
              p.usedMemoryMiB() == null ? "memory n/a" : p.usedMemoryMiB() + " MiB"));
    }
  }

  private static String gpuOf(HostInventory host, String uuid) {
    for (GpuDevice g : host.gpus()) {
      if (g.uuid().equalsIgnoreCase(uuid)) {
        return "GPU " + g.index();
      }
      for (MigDevice m : g.migDevices()) {
        if (m.uuid().equalsIgnoreCase(uuid)) {
          return "MIG " + g.index() + ":" + m.index();
        }
      }
    }
    return "an unlisted device";
  }
}
