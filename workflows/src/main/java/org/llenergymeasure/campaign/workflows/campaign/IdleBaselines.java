package org.llenergymeasure.campaign.workflows.campaign;

import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.Cooldown;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.workflows.host.CooldownRequest;
import org.llenergymeasure.campaign.workflows.host.GpuCareActivities;
import org.llenergymeasure.campaign.workflows.host.IdleBaselineRequest;
import org.llenergymeasure.campaign.workflows.host.IdleBaselineResult;
import org.llenergymeasure.campaign.workflows.host.IdleGpu;
import org.llenergymeasure.campaign.workflows.run.RunOutcome;
import org.slf4j.Logger;

/**
 * The campaign's side of the adaptive cooldown (workflow code): take every host's idle baseline
 * once at campaign start, and turn it into each run's cooldown request.
 */
final class IdleBaselines {

  static final int SAMPLES = 5;
  static final Duration INTERVAL = Duration.ofSeconds(1);

  private static final Logger log = Workflow.getLogger(IdleBaselines.class);

  private IdleBaselines() {}

  /**
   * Measures the hosts the campaign may use (pinned hosts first, then the candidates), all at once.
   * A host that cannot be measured (its worker is not running) is left out and said so: its runs
   * cool down to {@code maxGpuTemperatureC} only, if given.
   *
   * @return by host, then UUID
   */
  static Map<String, Map<String, IdleGpu>> measure(
      Campaign campaign, Iterable<String> candidateHosts) {
    Set<String> hosts = new LinkedHashSet<>();
    for (Experiment e : campaign.experiments()) {
      if (e.host() != null) {
        hosts.add(e.host());
      }
    }
    candidateHosts.forEach(hosts::add);
    Map<String, Promise<IdleBaselineResult>> pending = new LinkedHashMap<>();
    for (String host : hosts) {
      GpuCareActivities stub =
          Workflow.newActivityStub(
              GpuCareActivities.class, CampaignActivityOptions.idleBaseline(host));
      pending.put(
          host,
          Async.function(
              stub::idleBaseline, new IdleBaselineRequest(campaign.name(), SAMPLES, INTERVAL)));
    }
    Map<String, Map<String, IdleGpu>> out = new TreeMap<>();
    for (Map.Entry<String, Promise<IdleBaselineResult>> p : pending.entrySet()) {
      try {
        IdleBaselineResult r = p.getValue().get();
        out.put(p.getKey(), new TreeMap<>(r.gpus()));
        log.info("idle baseline of {}: {}", p.getKey(), r.note());
      } catch (ActivityFailure e) {
        log.warn(
            "no idle baseline for host {} ({}); its runs cool down to maxGpuTemperatureC only, if set",
            p.getKey(),
            e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
      }
    }
    return out;
  }

  /**
   * The baselines with those a run took of a host new to the campaign (RunOutcome's
   * joinedHostBaseline): its routed GPUs, and any other GPU of it that ran no process while
   * measured (one that did is another run's load, not its idle state). A host already known keeps
   * its baseline (the first run there wins).
   */
  static Map<String, Map<String, IdleGpu>> withJoined(
      Map<String, Map<String, IdleGpu>> baselines, RunOutcome outcome) {
    IdleBaselineResult joined = outcome.joinedHostBaseline();
    if (joined == null || baselines.containsKey(outcome.host())) {
      return baselines;
    }
    Map<String, IdleGpu> gpus = new TreeMap<>();
    joined
        .gpus()
        .forEach(
            (uuid, g) -> {
              if (g.processes() == 0 || outcome.routedUuids().contains(uuid)) {
                gpus.put(uuid, g);
              }
            });
    Map<String, Map<String, IdleGpu>> out = new TreeMap<>(baselines);
    out.put(outcome.host(), gpus);
    log.info(
        "idle baseline of {} (joined after the campaign started): {}",
        outcome.host(),
        joined.note());
    return out;
  }

  /** The cooldown after {@code outcome}: its GPUs, with their idle readings when asked for. */
  static CooldownRequest cooldownRequest(
      RunOutcome outcome, Cooldown cooldown, Map<String, Map<String, IdleGpu>> baselines) {
    if (!cooldown.idleBaseline()) {
      return new CooldownRequest(
          outcome.runId(),
          outcome.routedUuids(),
          cooldown.maxGpuTemperatureC(),
          cooldown.timeout(),
          Map.of(),
          null,
          null);
    }
    Map<String, IdleGpu> idle = new TreeMap<>();
    Map<String, IdleGpu> ofHost = baselines.getOrDefault(outcome.host(), Map.of());
    for (String uuid : outcome.routedUuids()) {
      IdleGpu g = ofHost.get(uuid);
      if (g != null) {
        idle.put(uuid, g);
      }
    }
    return new CooldownRequest(
        outcome.runId(),
        outcome.routedUuids(),
        cooldown.maxGpuTemperatureC(),
        cooldown.timeout(),
        idle,
        cooldown.idleDeltaC(),
        cooldown.idlePowerMarginW());
  }

  /** "≤45 °C", "idle +2 °C" or "idle +2 °C and ≤45 °C": what the cooldown waits for. */
  static String target(Cooldown cooldown) {
    String max =
        cooldown.maxGpuTemperatureC() == null ? null : "≤" + cooldown.maxGpuTemperatureC() + " °C";
    if (!cooldown.idleBaseline()) {
      return max;
    }
    String idle = "idle +" + cooldown.idleDeltaC() + " °C";
    return max == null ? idle : idle + " and " + max;
  }
}
