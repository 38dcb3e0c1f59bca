package org.llenergymeasure.campaign.activities.gpu.telemetry;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The host's own view of its GPUs' energy, power, temperature, clocks and throttling: NVML on a
 * real GPU host ({@link NvmlGpuTelemetry}), nothing on a CPU or simulated host ({@link
 * NoGpuTelemetry}). This is the impure edge that tests replace with a scripted one.
 *
 * <p>Thread-safe: a worker's concurrent runs sample through one instance.
 */
public interface GpuTelemetry extends AutoCloseable {

  /** Empty when readings are available; otherwise why not (for reports: "no NVML: ..."). */
  Optional<String> unavailableReason();

  default boolean available() {
    return unavailableReason().isEmpty();
  }

  /**
   * One reading per requested GPU that this host has, keyed by UUID; a UUID the host does not know
   * is left out. Empty when unavailable. A GPU whose reading fails is left out too (and logged
   * once), so one bad GPU never hides the others.
   */
  Map<String, GpuSample> sample(Collection<String> uuids);

  /** A reading of every GPU of the host (idle baselines, hygiene). */
  Map<String, GpuSample> sampleAll();

  @Override
  void close();

  /** NVML when libnvidia-ml loads and initialises, otherwise none with the reason. */
  static GpuTelemetry open() {
    return NvmlGpuTelemetry.tryOpen();
  }
}
