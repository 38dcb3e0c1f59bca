package org.llenergymeasure.campaign.activities;

import java.time.Clock;
import java.time.Duration;
import org.llenergymeasure.campaign.activities.gpu.inventory.InventorySource;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLeaseStore;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.activities.measurement.RunSampler;

/** Host activities for tests that leave out what they do not look at. */
public final class TestHostRunActivities {

  private TestHostRunActivities() {}

  /** Without GPU hygiene and without GPU sampling. */
  public static HostRunActivities of(
      HostSettings settings,
      InventorySource inventory,
      GpuLeaseStore leases,
      RunBackendByAttach backends,
      ResultCollector collector) {
    return of(
        settings,
        inventory,
        leases,
        backends,
        collector,
        GpuCare.withoutHygiene(settings, inventory));
  }

  /** With this care of the GPUs (hygiene or not), without GPU sampling. */
  public static HostRunActivities of(
      HostSettings settings,
      InventorySource inventory,
      GpuLeaseStore leases,
      RunBackendByAttach backends,
      ResultCollector collector,
      GpuCare care) {
    return new HostRunActivities(
        settings, inventory, leases, backends, collector, care, noSampling());
  }

  /** A sampler with no GPU telemetry: it reads nothing. */
  public static RunSampler noSampling() {
    return new RunSampler(
        new NoGpuTelemetry("no GPU telemetry in this test"),
        Duration.ofSeconds(1),
        Clock.systemUTC());
  }
}
