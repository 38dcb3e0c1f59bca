package org.llenergymeasure.campaign.activities.container;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.RunRef;

/**
 * Whether a container is a run attempt's own: its {@code llem.campaign}, {@code llem.run} and
 * {@code llem.attempt} labels name that attempt, and its {@code llem.host}, where set, this host.
 * Only such a container is adopted by launch or removed by cleanup; its name alone proves nothing
 * (another campaign, a user or a container from before an upgrade may hold it).
 */
final class ContainerOwnership {

  private static final int SHOWN_LABEL_CHARS = 80;

  private ContainerOwnership() {}

  static boolean isOwn(Map<String, String> labels, RunRef run, String hostId) {
    if (labels == null) {
      return false;
    }
    String host = labels.get(ContainerLabels.HOST);
    return run.campaign().equals(labels.get(ContainerLabels.CAMPAIGN))
        && run.runId().equals(labels.get(ContainerLabels.RUN))
        && Integer.toString(run.attempt()).equals(labels.get(ContainerLabels.ATTEMPT))
        && (host == null || hostId == null || host.equals(hostId));
  }

  static boolean isOwn(InspectContainerResponse c, RunRef run, String hostId) {
    return c.getConfig() != null && isOwn(c.getConfig().getLabels(), run, hostId);
  }

  /**
   * The attempt's container, found by its labels whatever its name (one made before the naming rule
   * changed is adopted too), else the container holding {@code name} when it is the attempt's own
   * (made by another try a moment ago). A container of that name with other labels is someone
   * else's: nothing is attached or removed, the launch fails ({@link #foreign}).
   */
  static Optional<InspectContainerResponse> existing(
      DockerEngine engine, String name, RunRef run, String hostId) {
    List<Container> listed =
        engine
            .client()
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(labelFilter(run))
            .exec();
    Optional<Container> own = pick(listed, name, run, hostId);
    if (own.isPresent()) {
      Optional<InspectContainerResponse> c = inspect(engine, own.get().getId());
      if (c.isPresent() && isOwn(c.get(), run, hostId)) {
        return c;
      }
    }
    Optional<InspectContainerResponse> named = inspect(engine, name);
    if (named.isPresent() && !isOwn(named.get(), run, hostId)) {
      throw foreign(name, named.get(), run, hostId);
    }
    return named;
  }

  /** A container by name or id, if there is one. */
  static Optional<InspectContainerResponse> inspect(DockerEngine engine, String nameOrId) {
    try {
      return Optional.of(engine.client().inspectContainerCmd(nameOrId).exec());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /** The label filter that lists an attempt's containers, whatever their names and states. */
  static Map<String, String> labelFilter(RunRef run) {
    return Map.of(
        ContainerLabels.CAMPAIGN,
        run.campaign(),
        ContainerLabels.RUN,
        run.runId(),
        ContainerLabels.ATTEMPT,
        Integer.toString(run.attempt()));
  }

  /** Of the listed containers, the attempt's own: the one with {@code name} first. */
  private static Optional<Container> pick(
      List<Container> listed, String name, RunRef run, String hostId) {
    Optional<Container> own =
        listed.stream()
            .filter(c -> isOwn(c.getLabels(), run, hostId))
            .filter(c -> c.getNames() != null && List.of(c.getNames()).contains("/" + name))
            .findFirst();
    return own.isPresent()
        ? own
        : listed.stream().filter(c -> isOwn(c.getLabels(), run, hostId)).findFirst();
  }

  /** A container's name without Docker's leading '/'. */
  static String nameOf(InspectContainerResponse c) {
    String n = c.getName();
    return n == null ? c.getId() : n.replaceFirst("^/", "");
  }

  /** Launch cannot go on: a container that is not this attempt's holds its name. Not retried. */
  static RunFailureException foreign(
      String name, InspectContainerResponse c, RunRef run, String hostId) {
    return new RunFailureException(
        FailureTypes.LAUNCH_FAILED,
        "container "
            + name
            + " already exists but is not this run's: its labels say "
            + describe(c.getConfig() == null ? null : c.getConfig().getLabels())
            + ", not campaign="
            + run.campaign()
            + " run="
            + run.runId()
            + " attempt="
            + run.attempt()
            + " host="
            + hostId
            + ". It was left untouched; remove or rename it (docker rm "
            + name
            + ") if nothing needs it, then run the campaign again.",
        false);
  }

  private static String describe(Map<String, String> labels) {
    StringBuilder out = new StringBuilder();
    for (String key :
        List.of(
            ContainerLabels.CAMPAIGN,
            ContainerLabels.RUN,
            ContainerLabels.ATTEMPT,
            ContainerLabels.HOST)) {
      String value = labels == null ? null : labels.get(key);
      if (out.length() > 0) {
        out.append(' ');
      }
      out.append(key).append('=').append(value == null ? "(none)" : shown(value));
    }
    return out.toString();
  }

  private static String shown(String value) {
    String v = value.replaceAll("[^\\x20-\\x7e]", "?");
    return v.length() > SHOWN_LABEL_CHARS ? v.substring(0, SHOWN_LABEL_CHARS) + "..." : v;
  }
}
