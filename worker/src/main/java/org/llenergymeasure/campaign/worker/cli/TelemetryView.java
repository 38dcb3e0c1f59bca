package org.llenergymeasure.campaign.worker.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.activities.gpu.telemetry.GpuSample;
import org.llenergymeasure.campaign.activities.gpu.telemetry.GpuTelemetry;
import org.llenergymeasure.campaign.activities.gpu.telemetry.ThrottleReasons;

/** {@code gpus --telemetry}: one NVML reading of every GPU, or why there is none. */
final class TelemetryView {

  private TelemetryView() {}

  /** {"available", "reason" (when not), "gpus": [{uuid, energyMillijoules, powerWatts, ...}]}. */
  static Map<String, Object> read(boolean simulated) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (simulated) {
      out.put("available", false);
      out.put("reason", "simulated host (--inventory): no NVML readings, none invented");
      out.put("gpus", List.of());
      return out;
    }
    try (GpuTelemetry t = GpuTelemetry.open()) {
      out.put("available", t.available());
      t.unavailableReason().ifPresent(r -> out.put("reason", r));
      List<Map<String, Object>> gpus = new ArrayList<>();
      for (GpuSample s : t.sampleAll().values()) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("uuid", s.uuid());
        g.put("atMillis", s.atMillis());
        g.put("energyMillijoules", s.energyMillijoules());
        g.put("powerWatts", s.powerWatts());
        g.put("powerLimitWatts", s.powerLimitWatts());
        g.put("temperatureC", s.temperatureC());
        g.put("smClockMhz", s.smClockMhz());
        g.put(
            "throttleReasons",
            s.throttleReasons() == null ? null : ThrottleReasons.names(s.throttleReasons()));
        g.put("thermallyThrottled", s.thermallyThrottled());
        gpus.add(g);
      }
      out.put("gpus", gpus);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static void print(Console console, Map<String, Object> readings) {
    if (!Boolean.TRUE.equals(readings.get("available"))) {
      console.line("telemetry: none (" + readings.get("reason") + ")");
      return;
    }
    console.line("telemetry (NVML):");
    for (Map<String, Object> g : (List<Map<String, Object>>) readings.get("gpus")) {
      console.line(
          String.format(
              "  %s  energy %s mJ  power %s W / limit %s W  %s °C  SM %s MHz  %s",
              g.get("uuid"),
              g.get("energyMillijoules"),
              g.get("powerWatts"),
              g.get("powerLimitWatts"),
              g.get("temperatureC"),
              g.get("smClockMhz"),
              g.get("throttleReasons")));
    }
  }
}
