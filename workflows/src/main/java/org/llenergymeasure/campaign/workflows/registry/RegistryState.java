package org.llenergymeasure.campaign.workflows.registry;

import java.util.List;

/**
 * The registry workflow's input and what continue-as-new carries: every host's record, and after
 * how many history events the registry continues as new.
 *
 * @param hosts the records, by host id
 * @param maxHistoryEvents the history bound; 0 means {@link #DEFAULT_MAX_HISTORY_EVENTS}
 */
public record RegistryState(List<HostRecord> hosts, int maxHistoryEvents) {

  /**
   * A report is an update (accepted + completed) in a workflow task (scheduled, started,
   * completed): about 5 events. With one keep-alive per host every 30 s, 2,000 events is about 20
   * minutes of an idle 10-host pool (sooner while leases change), and about 400 reports of a few KB
   * each: far below the server's limits (51,200 events, 50 MB).
   */
  public static final int DEFAULT_MAX_HISTORY_EVENTS = 2_000;

  public RegistryState {
    hosts = hosts == null ? List.of() : List.copyOf(hosts);
  }

  /** A new registry: no hosts, the default history bound. */
  public static RegistryState empty() {
    return new RegistryState(List.of(), 0);
  }

  /** The bound in force. */
  public int historyBound() {
    return maxHistoryEvents > 0 ? maxHistoryEvents : DEFAULT_MAX_HISTORY_EVENTS;
  }
}
