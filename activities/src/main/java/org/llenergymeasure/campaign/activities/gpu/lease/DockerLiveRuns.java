package org.llenergymeasure.campaign.activities.gpu.lease;

import com.github.dockerjava.api.model.Container;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.llenergymeasure.campaign.activities.container.ContainerLabels;
import org.llenergymeasure.campaign.activities.container.DockerEngine;

/**
 * The run attempts with a live container on this host, from the Docker engine: containers
 * labelled {@code llem.campaign}, {@code llem.run}, {@code llem.attempt} and {@code
 * llem.host=<hostId>} whose state is not exited, dead or being removed. Several workers may
 * share one engine; only this host's label counts.
 */
public final class DockerLiveRuns implements LiveRuns {

  /** Docker states of a container that is over: its run no longer uses its GPUs. */
  private static final Set<String> OVER = Set.of("exited", "dead", "removing");

  private final DockerEngine engine;
  private final String hostId;

  public DockerLiveRuns(DockerEngine engine, String hostId) {
    this.engine = engine;
    this.hostId = hostId;
  }

  @Override
  public Set<LeaseOwner> withLiveContainer() {
    List<Container> containers;
    try {
      containers =
          engine
              .client()
              .listContainersCmd()
              .withShowAll(true)
              .withLabelFilter(
                  List.of(
                      ContainerLabels.CAMPAIGN,
                      ContainerLabels.RUN,
                      ContainerLabels.ATTEMPT,
                      ContainerLabels.HOST + "=" + hostId))
              .exec();
    } catch (RuntimeException e) {
      throw engine.translate(e, "listing the run containers of host " + hostId);
    }
    Set<LeaseOwner> live = new LinkedHashSet<>();
    for (Container c : containers) {
      String state = c.getState() == null ? "" : c.getState().toLowerCase(Locale.ROOT);
      if (OVER.contains(state)) {
        continue;
      }
      ContainerLabels.fromMap(c.getLabels())
          .filter(l -> hostId.equals(l.hostId()))
          .ifPresent(l -> live.add(new LeaseOwner(l.campaign(), l.runId(), l.attempt())));
    }
    return live;
  }
}
