package org.llenergymeasure.campaign.activities.container;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.llenergymeasure.campaign.config.Experiment;

/**
 * The labels every run container carries (cli-contract.md), so that orphans can be found and
 * reaped, plus {@code llem.secrets}: the names (never the values) of the secrets passed to it, so
 * that later steps can mask those values in the logs they save, and {@code llem.log-limit}: the
 * experiment's {@code logLimit} in bytes when it is not the default, so that the step that saves
 * the log knows it.
 */
public record ContainerLabels(String campaign, String runId, int attempt, String hostId) {

  public static final String CAMPAIGN = "llem.campaign";
  public static final String RUN = "llem.run";
  public static final String ATTEMPT = "llem.attempt";
  public static final String HOST = "llem.host";
  public static final String SECRETS = "llem.secrets";
  public static final String LOG_LIMIT = "llem.log-limit";

  /** The labels of a new container whose experiment has the default {@code logLimit}. */
  public Map<String, String> toMap(List<String> secretNames) {
    return toMap(secretNames, Experiment.DEFAULT_LOG_LIMIT);
  }

  /** The labels of a new container. */
  public Map<String, String> toMap(List<String> secretNames, long logLimit) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(CAMPAIGN, campaign);
    labels.put(RUN, runId);
    labels.put(ATTEMPT, Integer.toString(attempt));
    labels.put(HOST, hostId);
    if (!secretNames.isEmpty()) {
      labels.put(SECRETS, String.join(",", secretNames));
    }
    if (logLimit != Experiment.DEFAULT_LOG_LIMIT) {
      labels.put(LOG_LIMIT, Long.toString(logLimit));
    }
    return labels;
  }

  /** The {@code logLimit} a container's labels give (the default when they give none). */
  public static long logLimit(Map<String, String> labels) {
    String value = labels == null ? null : labels.get(LOG_LIMIT);
    try {
      return value == null ? Experiment.DEFAULT_LOG_LIMIT : Math.max(1, Long.parseLong(value));
    } catch (NumberFormatException e) {
      return Experiment.DEFAULT_LOG_LIMIT;
    }
  }

  /** The labels of an existing container, or empty when it is not one of ours. */
  public static Optional<ContainerLabels> fromMap(Map<String, String> labels) {
    if (labels == null
        || !labels.containsKey(CAMPAIGN)
        || !labels.containsKey(RUN)
        || !labels.containsKey(ATTEMPT)) {
      return Optional.empty();
    }
    int attempt;
    try {
      attempt = Integer.parseInt(labels.get(ATTEMPT));
    } catch (NumberFormatException e) {
      attempt = 0;
    }
    return Optional.of(
        new ContainerLabels(labels.get(CAMPAIGN), labels.get(RUN), attempt, labels.get(HOST)));
  }
}
