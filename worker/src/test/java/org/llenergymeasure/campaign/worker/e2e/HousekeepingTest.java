package org.llenergymeasure.campaign.worker.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.dockerjava.api.DockerClient;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.container.ContainerLabels;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLease;
import org.llenergymeasure.campaign.activities.gpu.lease.GpuLeaseStore;
import org.llenergymeasure.campaign.activities.gpu.lease.LeaseOwner;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.worker.LlemHome;
import org.llenergymeasure.campaign.worker.host.HostRuntime;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;
import org.llenergymeasure.campaign.workflows.TaskQueues;
import org.llenergymeasure.campaign.workflows.run.ExperimentWorkflow;

/**
 * What a crashed worker leaves (GPU leases, containers) is judged by the runs' workflows when a
 * worker starts: a run whose workflow is open keeps both, whatever its age or attach mode; a run
 * whose workflow is gone loses both.
 */
@Tag("docker")
@Tag("temporal")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@ExtendWith(DockerExtension.class)
class HousekeepingTest {

  private static final String HOST = "hk-host";
  private static final String CAMPAIGN = "housekeeping";

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  @Test
  void leasesAndContainersOfFinishedRunsGoThoseOfOpenRunsStay(
      DockerClient docker, @TempDir Path tmp) {
    WorkflowClient client = temporal.client();
    // An open run: its workflow exists and no worker runs it yet (a worker crashed mid-run).
    WorkflowStub open =
        client.newUntypedWorkflowStub(
            "ExperimentWorkflow",
            WorkflowOptions.newBuilder()
                .setWorkflowId(ExperimentWorkflow.workflowId(CAMPAIGN, "live.c1"))
                .setTaskQueue(TaskQueues.CAMPAIGNS)
                .setWorkflowExecutionTimeout(Duration.ofMinutes(5))
                .build());
    open.start((Object) null);
    try {
      LlemHome home = new LlemHome(tmp.resolve("home"));
      GpuLeaseStore leases = GpuLeaseStore.forHost(home.dir(), HOST);
      LeaseOwner live = new LeaseOwner(CAMPAIGN, "live.c1", 1);
      LeaseOwner gone = new LeaseOwner(CAMPAIGN, "gone.c1", 1);
      leases.acquire(live, List.of("GPU-1b2c3d4e-2222-4f60-9bac-111111111111"));
      leases.acquire(gone, List.of("GPU-2c3d4e5f-3333-4071-acbd-222222222222"));
      String liveContainer = sleeper(docker, live);
      sleeper(docker, gone);

      try (HostRuntime runtime =
          HostRuntime.open(
              HOST,
              tmp.resolve("results"),
              DockerExtension.repoRoot().resolve("examples/inventories/sim-4gpu-idle"),
              home)) {
        runtime.housekeeping(client);
      }

      assertEquals(
          Set.of(live),
          leases.holders().stream().map(GpuLease::owner).collect(Collectors.toSet()),
          "leases kept");
      Set<String> left =
          docker
              .listContainersCmd()
              .withShowAll(true)
              .withLabelFilter(List.of("llem.campaign=" + CAMPAIGN))
              .exec()
              .stream()
              .map(c -> c.getId())
              .collect(Collectors.toSet());
      assertEquals(
          Set.of(liveContainer),
          left,
          "the open run's container stays, the finished run's is removed");
    } finally {
      open.terminate("test over");
      DockerExtension.removeContainersLabelled(docker, "llem.campaign=" + CAMPAIGN);
    }
  }

  private static String sleeper(DockerClient docker, LeaseOwner owner) {
    Map<String, String> labels =
        new ContainerLabels(owner.campaign(), owner.runId(), owner.attempt(), HOST)
            .toMap(List.of());
    String id =
        docker
            .createContainerCmd(DockerExtension.PROBE_IMAGE)
            .withCmd("sleep", "300")
            .withLabels(labels)
            .exec()
            .getId();
    docker.startContainerCmd(id).exec();
    return id;
  }
}
