package org.llenergymeasure.campaign.worker.host;

import java.util.List;
import org.llenergymeasure.campaign.workflows.registry.HostRecord;

/**
 * The registered hosts as a worker reads them, for placement. A registry that does not exist (yet)
 * reads as no host, never as an error.
 */
public interface HostDirectory {

  /** No registry: every run placed from the registry waits for a host to register. */
  HostDirectory NONE =
      new HostDirectory() {
        @Override
        public List<HostRecord> hosts() {
          return List.of();
        }

        @Override
        public long nowMs() {
          return System.currentTimeMillis();
        }
      };

  /** Every registered host, as the registry knows it now. */
  List<HostRecord> hosts();

  /** The clock the records' states are derived with ({@link HostRecord#state(long)}). */
  long nowMs();
}
