package org.llenergymeasure.campaign.worker.host;

import io.temporal.client.WorkflowClient;
import java.util.List;
import org.llenergymeasure.campaign.workflows.registry.HostRecord;

/**
 * The registered hosts, read from the host registry: what {@code hosts} prints and placement
 * chooses from. A host's state is {@code record.state(nowMs())}.
 */
public interface HostDirectory {

  /**
   * Every registered host by host id; an empty list when no registry exists yet (never an error).
   */
  List<HostRecord> hosts();

  /**
   * The clock states are derived with (the registry stamps {@code lastSeenMs} in the same time).
   */
  long nowMs();

  /**
   * Counts {@code uuids} of {@code hostId} as leased in this directory for a while: a placement's
   * choice, until the host reports its lease. Nothing by default (a directory that reads afresh).
   */
  default void hold(String hostId, List<String> uuids) {}

  /**
   * The directory of the registry on {@code client}'s server and namespace, read afresh each time
   * ({@code hosts}, {@code validate --hosts}); workers read {@link RegistryCache#of}.
   */
  static HostDirectory of(WorkflowClient client) {
    HostRegistryClient registry = new HostRegistryClient(client);
    return new HostDirectory() {
      @Override
      public List<HostRecord> hosts() {
        return registry.hosts();
      }

      @Override
      public long nowMs() {
        return System.currentTimeMillis();
      }
    };
  }
}
