package org.llenergymeasure.campaign.activities.container;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLease;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLeaseStore;
import org.llenergymeasure.campaign.activities.gpu.lease.LeaseOwner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes run containers that no live run owns (left behind by a crash between launch and
 * cleanup, or by a canceled campaign). Only containers labelled for this host are considered:
 * several workers may share one engine, and each reaps only its own.
 */
public final class ContainerReaper {

  private static final Logger log = LoggerFactory.getLogger(ContainerReaper.class);

  /** How young a container is kept whatever its leases say (see {@link #reapUnleased}). */
  public static final Duration DEFAULT_GRACE = Duration.ofMinutes(10);

  private final DockerEngine engine;
  private final String hostId;
  private final Duration grace;
  private final Clock clock;

  /** A reaper that judges by the {@code owned} test alone (no grace period). */
  public ContainerReaper(DockerEngine engine, String hostId) {
    this(engine, hostId, Duration.ZERO, Clock.systemUTC());
  }

  /**
   * @param grace containers created less than this long ago are always kept: a run's container can
   *     exist a moment before the bookkeeping that makes it "owned" is visible to the reaper
   */
  public ContainerReaper(DockerEngine engine, String hostId, Duration grace, Clock clock) {
    this.engine = engine;
    this.hostId = hostId;
    this.grace = grace;
    this.clock = clock;
  }

  /**
   * Removes this host's run containers that no live run owns, where "owned" means that the run
   * attempt named by the container's labels holds a GPU lease in {@code leases} (routing takes
   * the lease before launch makes the container, and cleanup releases it only after removing the
   * container), or that the container is younger than the grace period. Used at worker start
   * (containers left by a crash whose runs are over) and when a campaign ends.
   *
   * <p>A {@code gpus: none} run holds no lease, so its container counts as an orphan once it is
   * older than the grace period: reaping it while the run still runs ends that run (its await then
   * fails with ExitNonZero and the workflow decides about a new attempt).
   *
   * @param campaign only this campaign's containers, or null for every campaign
   */
  public List<String> reapUnleased(String campaign, GpuLeaseStore leases) {
    Set<LeaseOwner> holders =
        leases.holders().stream().map(GpuLease::owner).collect(Collectors.toSet());
    return reap(
        campaign,
        labels -> holders.contains(new LeaseOwner(labels.campaign(), labels.runId(), labels.attempt())));
  }

  /**
   * @param campaign only this campaign's containers, or null for every campaign
   * @param owned true for a container some live run still owns (e.g. holds a GPU lease for it, or
   *     its workflow is still running that attempt); those are kept
   * @return the names of the removed containers
   */
  public List<String> reap(String campaign, Predicate<ContainerLabels> owned) {
    List<String> removed = new ArrayList<>();
    List<Container> containers;
    try {
      containers =
          engine
              .client()
              .listContainersCmd()
              .withShowAll(true)
              .withLabelFilter(
                  List.of(
                      campaign == null
                          ? ContainerLabels.CAMPAIGN
                          : ContainerLabels.CAMPAIGN + "=" + campaign,
                      ContainerLabels.HOST + "=" + hostId))
              .exec();
    } catch (RuntimeException e) {
      throw engine.translate(e, "listing run containers");
    }
    for (Container c : containers) {
      Optional<ContainerLabels> labels = ContainerLabels.fromMap(c.getLabels());
      if (labels.isEmpty() || !hostId.equals(labels.get().hostId()) || owned.test(labels.get())) {
        continue;
      }
      if (c.getCreated() != null
          && clock.millis() - c.getCreated() * 1000L < grace.toMillis()) {
        continue;
      }
      String name = c.getNames() != null && c.getNames().length > 0 ? c.getNames()[0].replaceFirst("^/", "") : c.getId();
      try {
        engine.client().removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
        log.info("reaped orphan container {} ({})", name, labels.get());
        removed.add(name);
      } catch (NotFoundException | ConflictException e) {
        // Gone already, or being removed by someone else.
      } catch (RuntimeException e) {
        throw engine.translate(e, "removing orphan container " + name);
      }
    }
    return removed;
  }
}
