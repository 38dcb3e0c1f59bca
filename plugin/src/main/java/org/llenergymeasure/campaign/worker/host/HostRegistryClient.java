package org.llenergymeasure.campaign.worker.host;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WithStartWorkflowOperation;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowQueryException;
import io.temporal.client.WorkflowUpdateStage;
import java.util.List;
import org.llenergymeasure.campaign.workflows.TaskQueues;
import org.llenergymeasure.campaign.workflows.registry.HostRecord;
import org.llenergymeasure.campaign.workflows.registry.HostRegistryWorkflow;
import org.llenergymeasure.campaign.workflows.registry.HostReport;
import org.llenergymeasure.campaign.workflows.registry.RegistryState;

/** The host registry workflow as the worker and the CLI talk to it. */
public final class HostRegistryClient implements HostReporter.Registry {

  private final WorkflowClient client;

  public HostRegistryClient(WorkflowClient client) {
    this.client = client;
  }

  /**
   * Reports a host, starting the registry when there is none yet (update-with-start, so the first
   * worker of a pool creates it and two workers starting together get the same one).
   *
   * @return the host's record, whose {@code draining} the worker obeys
   */
  @Override
  public HostRecord report(HostReport report) {
    HostRegistryWorkflow starter =
        client.newWorkflowStub(
            HostRegistryWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(HostRegistryWorkflow.WORKFLOW_ID)
                .setTaskQueue(TaskQueues.CAMPAIGNS)
                .setWorkflowIdConflictPolicy(
                    WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                .setStaticSummary("Host registry: every GPU host's worker reports here")
                .build());
    return WorkflowClient.executeUpdateWithStart(
        starter::report,
        report,
        UpdateOptions.<HostRecord>newBuilder()
            .setWaitForStage(WorkflowUpdateStage.COMPLETED)
            .build(),
        new WithStartWorkflowOperation<>(starter::run, RegistryState.empty()));
  }

  /** Every registered host; none when there is no registry yet. */
  public List<HostRecord> hosts() {
    try {
      return existing().hosts();
    } catch (WorkflowNotFoundException e) {
      return List.of();
    } catch (WorkflowQueryException e) {
      if (notFound(e)) {
        return List.of();
      }
      throw e;
    }
  }

  /** Marks a host draining; an unknown host is rejected by the registry naming the known ones. */
  public HostRecord drain(String hostId) {
    return existing().drain(hostId);
  }

  public HostRecord undrain(String hostId) {
    return existing().undrain(hostId);
  }

  /** Drops a host's record (its worker stops after a drain). */
  @Override
  public void forget(String hostId) {
    existing().forget(hostId);
  }

  private HostRegistryWorkflow existing() {
    return client.newWorkflowStub(HostRegistryWorkflow.class, HostRegistryWorkflow.WORKFLOW_ID);
  }

  private static boolean notFound(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof WorkflowNotFoundException
          || (t instanceof StatusRuntimeException s
              && s.getStatus().getCode() == Status.Code.NOT_FOUND)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a failure of a registry call means there is no registry (no host ever reported). */
  public static boolean noRegistry(Throwable e) {
    return notFound(e);
  }
}
