package org.llenergymeasure.campaign.activities.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLeaseStore;
import org.llenergymeasure.campaign.activities.gpu.lease.LeaseOwner;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;

/** The reaper against the real engine, judging ownership by the host's GPU leases. */
@Tag("docker")
class ContainerReaperLeaseDockerTest {

  @TempDir Path tmp;
  DockerRunFixture fx;
  ContainerLauncher launcher;
  GpuLeaseStore leases;

  @BeforeEach
  void setUp() {
    fx = new DockerRunFixture(tmp);
    launcher = new ContainerLauncher(fx.engine);
    leases = new GpuLeaseStore(tmp.resolve("home"), DockerRunFixture.HOST);
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  private LaunchResult launch(String runId) {
    return launcher.launch(fx.launchRequest(runId, 1, new DockerRunFixture.Exp().command("sleep 30")), fx.settings);
  }

  @Test
  void containersWhoseRunHoldsALeaseAreKeptTheOthersRemoved() {
    LaunchResult leased = launch("leased.c1");
    LaunchResult orphan = launch("orphan.c1");
    leases.acquire(new LeaseOwner(fx.campaign, "leased.c1", 1), List.of(DockerRunFixture.UUID));
    // A lease of another attempt of the orphan's run does not own attempt 1's container.
    leases.acquire(new LeaseOwner(fx.campaign, "orphan.c1", 2), List.of("GPU-other"));
    // Seen from an hour later, both containers are past any grace period.
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));

    List<String> removed =
        new ContainerReaper(fx.engine, DockerRunFixture.HOST, ContainerReaper.DEFAULT_GRACE, later)
            .reapUnleased(fx.campaign, leases);

    assertEquals(List.of(orphan.handle()), removed);
    assertTrue(fx.inspect(leased.handle()).isPresent());
    assertTrue(fx.inspect(orphan.handle()).isEmpty());
  }

  @Test
  void aContainerYoungerThanTheGracePeriodIsKeptWithoutALease() {
    LaunchResult young = launch("young.c1");

    List<String> removed =
        new ContainerReaper(fx.engine, DockerRunFixture.HOST, Duration.ofMinutes(10), Clock.systemUTC())
            .reapUnleased(fx.campaign, leases);

    assertEquals(List.of(), removed.stream().filter(n -> n.contains(fx.campaign)).toList());
    assertTrue(fx.inspect(young.handle()).isPresent());
  }
}
