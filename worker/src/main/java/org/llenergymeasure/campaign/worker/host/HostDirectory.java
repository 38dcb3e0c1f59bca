package org.llenergymeasure.campaign.worker.host;

import io.temporal.client.WorkflowClient;
import java.util.List;
import org.llenergymeasure.campaign.workflows.registry.HostRecord;

/**
 * The registered hosts, for placement and {@code validate --hosts}. A registry that does not exist
 * (yet) reads as no host, never as an error; a host's state is {@code record.state(nowMs())}.
 */
public interface HostDirectory {

  /** Every registered host; an empty list when no registry exists. */
  List<HostRecord> hosts();

  /** The clock the records' states are derived with ({@link HostRecord#state(long)}). */
  long nowMs();

  /**
   * The directory of the host registry on {@code client}'s server. No registry reader is built in
   * yet: it reads as no host, so every run placed from the registry waits for a host to register.
   */
  static HostDirectory of(WorkflowClient client) {
    return new HostDirectory() {
      @Override
      public List<HostRecord> hosts() {
        return List.of();
      }

      @Override
      public long nowMs() {
        return System.currentTimeMillis();
      }
    };
  }
}
