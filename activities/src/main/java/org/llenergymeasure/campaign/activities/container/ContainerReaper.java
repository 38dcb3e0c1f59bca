package org.llenergymeasure.campaign.activities.container;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes run containers that no live run owns (left behind by a crash between launch and cleanup,
 * or by a canceled campaign). Only containers labelled for this host are considered: several
 * workers may share one engine, and each reaps only its own.
 */
public final class ContainerReaper {

  private static final Logger log = LoggerFactory.getLogger(ContainerReaper.class);

  private final DockerEngine engine;
  private final String hostId;

  public ContainerReaper(DockerEngine engine, String hostId) {
    this.engine = engine;
    this.hostId = hostId;
  }

  /**
   * Removes the labelled run containers of this host that no live run owns.
   *
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
      String name =
          c.getNames() != null && c.getNames().length > 0
              ? c.getNames()[0].replaceFirst("^/", "")
              : c.getId();
      try {
        engine
            .client()
            .removeContainerCmd(c.getId())
            .withForce(true)
            .withRemoveVolumes(true)
            .exec();
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
