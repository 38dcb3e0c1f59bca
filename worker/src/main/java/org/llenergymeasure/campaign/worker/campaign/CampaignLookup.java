package org.llenergymeasure.campaign.worker.campaign;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowStub;
import org.llenergymeasure.campaign.worker.BadInput;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;
import org.llenergymeasure.campaign.workflows.LlemSearchAttributes;
import org.llenergymeasure.campaign.workflows.campaign.CampaignStatus;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;

/**
 * Finds a campaign's workflow by the campaign's name ({@code campaign/<name>}); an unknown name is
 * bad input that names the server asked, so a user who is on the wrong server sees it.
 */
public final class CampaignLookup {

  private final WorkflowClient client;
  private final String address;

  public CampaignLookup(WorkflowClient client, String address) {
    this.client = client;
    this.address = address;
  }

  /** The campaign's latest execution; BadInput when the server has none of that name. */
  public WorkflowExecutionDescription find(String campaign) {
    var raw = new CampaignStarter(client).describe(CampaignWorkflow.workflowId(campaign));
    if (raw == null) {
      throw new BadInput(
          "no campaign named "
              + campaign
              + " on "
              + address
              + " (namespace "
              + client.getOptions().getNamespace()
              + "); `llem-campaign list` shows the campaigns there");
    }
    return new WorkflowExecutionDescription(raw, LlemDataConverter.create());
  }

  public WorkflowStub stub(String campaign) {
    return client.newUntypedWorkflowStub(CampaignWorkflow.workflowId(campaign));
  }

  public WorkflowClient client() {
    return client;
  }

  public String address() {
    return address;
  }

  static boolean isOpen(WorkflowExecutionStatus status) {
    return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
        || status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW;
  }

  /**
   * The campaign's state from what the server keeps without a worker: the execution's status once
   * it closed, else the {@code LlemStatus} search attribute that the workflow upserts on every
   * transition (running or paused).
   */
  public static CampaignStatus stateOf(WorkflowExecutionMetadata execution) {
    return switch (execution.getStatus()) {
      case WORKFLOW_EXECUTION_STATUS_CANCELED -> CampaignStatus.CANCELED;
      case WORKFLOW_EXECUTION_STATUS_FAILED,
          WORKFLOW_EXECUTION_STATUS_TERMINATED,
          WORKFLOW_EXECUTION_STATUS_TIMED_OUT ->
          CampaignStatus.FAILED;
      case WORKFLOW_EXECUTION_STATUS_COMPLETED -> {
        CampaignStatus s = statusAttribute(execution);
        yield s == null || s == CampaignStatus.RUNNING || s == CampaignStatus.PAUSED
            ? CampaignStatus.COMPLETED
            : s;
      }
      default -> {
        CampaignStatus s = statusAttribute(execution);
        yield s == null ? CampaignStatus.RUNNING : s;
      }
    };
  }

  /** The {@code LlemStatus} search attribute; null when unset or not a campaign state. */
  private static CampaignStatus statusAttribute(WorkflowExecutionMetadata execution) {
    String s = execution.getTypedSearchAttributes().get(LlemSearchAttributes.STATUS);
    try {
      return s == null ? null : CampaignStatus.of(s);
    } catch (IllegalArgumentException notACampaignState) {
      return null;
    }
  }

  static long longAttribute(
      WorkflowExecutionMetadata execution, io.temporal.common.SearchAttributeKey<Long> key) {
    Long v = execution.getTypedSearchAttributes().get(key);
    return v == null ? 0 : v;
  }
}
