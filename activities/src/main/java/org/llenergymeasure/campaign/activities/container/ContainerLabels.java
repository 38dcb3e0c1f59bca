package org.llenergymeasure.campaign.activities.container;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The labels every run container carries (cli-contract.md), so that orphans can be found and
 * reaped, plus {@code llem.secrets}: the names (never the values) of the secrets passed to it, so
 * that later steps can mask those values in the logs they save.
 */
public record ContainerLabels(String campaign, String runId, int attempt, String hostId) {

  public static final String CAMPAIGN = "llem.campaign";
  public static final String RUN = "llem.run";
  public static final String ATTEMPT = "llem.attempt";
  public static final String HOST = "llem.host";
  public static final String SECRETS = "llem.secrets";

  /** The labels of a new container. */
  public Map<String, String> toMap(List<String> secretNames) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(CAMPAIGN, campaign);
    labels.put(RUN, runId);
    labels.put(ATTEMPT, Integer.toString(attempt));
    labels.put(HOST, hostId);
    if (!secretNames.isEmpty()) {
      labels.put(SECRETS, String.join(",", secretNames));
    }
    return labels;
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
