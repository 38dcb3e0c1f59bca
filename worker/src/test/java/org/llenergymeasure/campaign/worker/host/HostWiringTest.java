package org.llenergymeasure.campaign.worker.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.activities.testing.MovableClock;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.config.HostsSpec;
import org.llenergymeasure.campaign.workflows.placement.PlacementRequest;
import org.llenergymeasure.campaign.workflows.registry.HostRecord;
import org.llenergymeasure.campaign.workflows.registry.RegisteredGpu;

/** The placement activity a wiring registers reaches the worker's registry view in every call. */
class HostWiringTest {

  @Test
  void placementThroughTheWiringsLateDirectoryHoldsItsGpusInTheProcesssView() {
    MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    HostRecord a =
        new HostRecord(
            "a",
            List.of(new RegisteredGpu("GPU-a-0", 0, "NVIDIA H100 80GB HBM3", 81_559L, List.of())),
            null,
            "dev",
            List.of(),
            List.of(),
            0,
            clock.millis(),
            false);
    RegistryCache view = new RegistryCache(() -> List.of(a), clock);
    AtomicReference<HostDirectory> bound = new AtomicReference<>();
    PlacementActivitiesImpl placement = new PlacementActivitiesImpl(HostWiring.late(bound));
    bound.set(view); // bound when the factory starts, after registration
    PlacementRequest one = new PlacementRequest("r.c1", HostsSpec.anyHost(), GpuRequest.count(1));

    assertEquals(List.of("a"), placement.place(one).candidates());
    assertEquals(
        List.of("GPU-a-0"),
        view.hosts().get(0).leasedUuids(),
        "the placement's hold reached the process's view");
    assertEquals(List.of(), placement.place(one).candidates(), "a's only GPU is held");
  }
}
