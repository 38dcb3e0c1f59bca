package org.llenergymeasure.campaign.worker.cli;

import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.worker.LlemHome;
import org.llenergymeasure.campaign.worker.host.HostReporter;
import org.llenergymeasure.campaign.worker.host.HostRuntime;
import org.llenergymeasure.campaign.worker.host.WorkerHost;

/**
 * One GPU host of a test's pool: its runtime, worker and registry reporter, as `worker` has them.
 */
record PoolHost(HostRuntime runtime, WorkerHost worker, HostReporter reporter)
    implements AutoCloseable {

  static PoolHost start(
      WorkflowClient client, String id, String inventory, Path tmp, Path results) {
    HostRuntime runtime =
        HostRuntime.open(
            id,
            results,
            DockerExtension.repoRoot().resolve("examples/inventories").resolve(inventory),
            new LlemHome(tmp.resolve("home-" + id)));
    WorkerHost worker = new WorkerHost(client, id, runtime.activities(), 2).start();
    return new PoolHost(runtime, worker, runtime.reportTo(client));
  }

  @Override
  public void close() {
    reporter.close();
    worker.close();
    runtime.close();
  }
}
