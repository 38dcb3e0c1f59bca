package org.llenergymeasure.campaign.workflows.registry;

import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registry's records, changed only by its updates; {@code lastSeenMs} and {@code
 * registeredAtMs} come from the workflow's clock. The workflow itself only waits for its history to
 * reach the bound and then continues as new with the records.
 */
public final class HostRegistryWorkflowImpl implements HostRegistryWorkflow {

  private final Map<String, HostRecord> hosts = new TreeMap<>();
  private final int maxHistoryEvents;

  @WorkflowInit
  public HostRegistryWorkflowImpl(RegistryState state) {
    RegistryState s = state == null ? RegistryState.empty() : state;
    s.hosts().forEach(h -> hosts.put(h.hostId(), h));
    maxHistoryEvents = s.maxHistoryEvents();
  }

  @Override
  public void run(RegistryState state) {
    int bound = new RegistryState(List.of(), maxHistoryEvents).historyBound();
    Workflow.await(
        () ->
            Workflow.getInfo().getHistoryLength() >= bound
                || Workflow.getInfo().isContinueAsNewSuggested());
    Workflow.await(Workflow::isEveryHandlerFinished);
    Workflow.continueAsNew(new RegistryState(List.copyOf(hosts.values()), maxHistoryEvents));
  }

  @Override
  public HostRecord report(HostReport r) {
    long now = Workflow.currentTimeMillis();
    HostRecord old = hosts.get(r.hostId());
    HostRecord next =
        new HostRecord(
            r.hostId(),
            r.gpus(),
            r.driver(),
            r.workerVersion(),
            r.leasedUuids(),
            r.quarantinedUuids(),
            old == null ? now : old.registeredAtMs(),
            now,
            old != null && old.draining());
    hosts.put(r.hostId(), next);
    return next;
  }

  @Override
  public void validateReport(HostReport report) {
    if (report == null || report.hostId() == null || report.hostId().isBlank()) {
      throw new IllegalArgumentException("a host report needs a host id");
    }
  }

  @Override
  public HostRecord drain(String hostId) {
    return mark(hostId, true);
  }

  @Override
  public void validateDrain(String hostId) {
    requireKnown(hostId);
  }

  @Override
  public HostRecord undrain(String hostId) {
    return mark(hostId, false);
  }

  @Override
  public void validateUndrain(String hostId) {
    requireKnown(hostId);
  }

  @Override
  public void forget(String hostId) {
    hosts.remove(hostId);
  }

  @Override
  public void validateForget(String hostId) {
    requireKnown(hostId);
  }

  @Override
  public List<HostRecord> hosts() {
    return List.copyOf(hosts.values());
  }

  private HostRecord mark(String hostId, boolean draining) {
    HostRecord h = hosts.get(hostId);
    HostRecord next =
        new HostRecord(
            h.hostId(),
            h.gpus(),
            h.driver(),
            h.workerVersion(),
            h.leasedUuids(),
            h.quarantinedUuids(),
            h.registeredAtMs(),
            h.lastSeenMs(),
            draining);
    hosts.put(hostId, next);
    return next;
  }

  private void requireKnown(String hostId) {
    if (hostId == null || !hosts.containsKey(hostId)) {
      throw new IllegalArgumentException(unknownHost(hostId, hosts.keySet()));
    }
  }

  /** "no host 'x' is registered; known hosts: a, b" (the CLI prints it as is). */
  public static String unknownHost(String hostId, java.util.Collection<String> known) {
    return "no host '"
        + hostId
        + "' is registered; known hosts: "
        + (known.isEmpty() ? "none" : String.join(", ", known));
  }
}
