package org.llenergymeasure.campaign.worker.host;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.llenergymeasure.campaign.activities.gpu.lease.LeaseOwner;
import org.llenergymeasure.campaign.activities.gpu.lease.LiveRuns;
import org.llenergymeasure.campaign.workflows.run.ExperimentWorkflow;

/**
 * A run attempt is in progress while its ExperimentWorkflow is open: cleanup (removing the
 * container, releasing the lease) is the workflow's last step, so a closed or unknown workflow owns
 * nothing. Any other answer from the server (unreachable, denied) is an exception, and the caller
 * then judges nothing stale.
 */
final class WorkflowLiveRuns implements LiveRuns {

  private final WorkflowClient client;

  WorkflowLiveRuns(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public Set<LeaseOwner> liveAmong(Set<LeaseOwner> candidates) {
    Map<String, Boolean> openByWorkflow = new HashMap<>();
    Set<LeaseOwner> live = new HashSet<>();
    for (LeaseOwner owner : candidates) {
      String id = ExperimentWorkflow.workflowId(owner.campaign(), owner.runId());
      if (openByWorkflow.computeIfAbsent(id, this::isOpen)) {
        live.add(owner);
      }
    }
    return live;
  }

  boolean isLive(String campaign, String runId) {
    return isOpen(ExperimentWorkflow.workflowId(campaign, runId));
  }

  private boolean isOpen(String workflowId) {
    try {
      WorkflowExecutionStatus status =
          client
              .getWorkflowServiceStubs()
              .blockingStub()
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(client.getOptions().getNamespace())
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                      .build())
              .getWorkflowExecutionInfo()
              .getStatus();
      return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }
}
