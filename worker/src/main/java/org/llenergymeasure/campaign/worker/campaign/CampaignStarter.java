package org.llenergymeasure.campaign.worker.campaign;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import io.temporal.common.converter.DataConverter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.LoadedCampaign;
import org.llenergymeasure.campaign.worker.BadInput;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;
import org.llenergymeasure.campaign.workflows.LlemSearchAttributes;
import org.llenergymeasure.campaign.workflows.TaskQueues;
import org.llenergymeasure.campaign.workflows.campaign.CampaignInput;
import org.llenergymeasure.campaign.workflows.campaign.CampaignMemo;
import org.llenergymeasure.campaign.workflows.campaign.CampaignStatus;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;
import org.llenergymeasure.campaign.workflows.plan.CampaignPack;

/**
 * Start-or-attach: the workflow id is {@code campaign/<name>}, so running the same file again
 * attaches to the campaign instead of starting a second one, a different file under the same name
 * is refused, and an ended campaign is never run again.
 */
public final class CampaignStarter {

  /** Memo key holding the plan hash, readable without a worker. */
  public static final String MEMO_PLAN_HASH = CampaignMemo.PLAN_HASH;

  /** More experiments than this: their hashes are left out of the memo (about 80 bytes each). */
  static final int MAX_EXPERIMENT_HASHES = 10_000;

  /** What happened: started now, or attached to an existing execution (running or ended). */
  public record Started(String workflowId, String runId, boolean started, boolean ended) {}

  private final WorkflowClient client;

  public CampaignStarter(WorkflowClient client) {
    this.client = client;
  }

  public Started startOrAttach(LoadedCampaign loaded, List<String> candidateHosts) {
    Campaign campaign = loaded.campaign();
    String workflowId = CampaignWorkflow.workflowId(campaign.name());
    var existing = describe(workflowId);
    if (existing != null) {
      String hash = planHashOf(existing);
      if (hash != null && !hash.equals(loaded.plan().hash())) {
        throw new BadInput(
            "campaign "
                + campaign.name()
                + " already exists with a different plan (hash "
                + abbreviate(hash)
                + ", this file gives "
                + abbreviate(loaded.plan().hash())
                + "): "
                + PlanChanges.describe(
                    experimentHashesOf(existing), PlanChanges.experimentHashes(campaign))
                + (running(existing)
                    ? ". To change the running campaign to this file: `llem-campaign amend "
                        + campaign.name()
                        + " FILE`; to run it beside it, give it a new name, e.g. `campaign: "
                        + campaign.name()
                        + "-v2`"
                    : ". A changed campaign needs a new name, e.g. `campaign: "
                        + campaign.name()
                        + "-v2`"));
      }
      WorkflowExecutionStatus status = existing.getWorkflowExecutionInfo().getStatus();
      if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        return new Started(
            workflowId, existing.getWorkflowExecutionInfo().getExecution().getRunId(), false, true);
      }
    }
    CampaignSize size = CampaignSize.of(campaign);
    if (!size.problems().isEmpty()) {
      throw new BadInput("campaign " + campaign.name() + ": " + size.problems().get(0));
    }
    Map<String, Object> memo = new LinkedHashMap<>();
    memo.put(MEMO_PLAN_HASH, loaded.plan().hash());
    Map<String, String> experimentHashes = PlanChanges.experimentHashes(campaign);
    if (experimentHashes.size() <= MAX_EXPERIMENT_HASHES) {
      // Beyond that the memo would pass the server's limit; a changed file is then refused
      // without the list of what changed.
      memo.put(CampaignMemo.EXPERIMENT_HASHES, experimentHashes);
    }
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(TaskQueues.CAMPAIGNS)
            // The first task of a campaign of 100,000 experiments unpacks and indexes them: well
            // under a second, but more on a loaded machine; the default 10 s would retry it.
            .setWorkflowTaskTimeout(Duration.ofMinutes(1))
            .setWorkflowIdConflictPolicy(
                WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
            .setMemo(memo)
            .setStaticSummary(
                "campaign " + campaign.name() + ": " + loaded.plan().runs().size() + " runs")
            .setStaticDetails(CampaignDetails.markdown(loaded, candidateHosts))
            .setTypedSearchAttributes(
                SearchAttributes.newBuilder()
                    .set(LlemSearchAttributes.CAMPAIGN, campaign.name())
                    .set(LlemSearchAttributes.STATUS, CampaignStatus.RUNNING.label())
                    .set(LlemSearchAttributes.PLANNED, (long) loaded.plan().runs().size())
                    .build())
            .build();
    CampaignWorkflow stub = client.newWorkflowStub(CampaignWorkflow.class, options);
    CampaignInput input =
        new CampaignInput(null, loaded.plan().hash(), candidateHosts, null, null, size.packed());
    try {
      WorkflowExecution execution = start(stub, input, campaign.name(), size);
      // USE_EXISTING answers with the running execution's run id: started only if it is new.
      boolean started =
          existing == null
              || !execution
                  .getRunId()
                  .equals(existing.getWorkflowExecutionInfo().getExecution().getRunId());
      return new Started(workflowId, execution.getRunId(), started, false);
    } catch (WorkflowExecutionAlreadyStarted ended) {
      // Closed between describe and start, or a concurrent starter: the campaign exists.
      return new Started(workflowId, ended.getExecution().getRunId(), false, true);
    }
  }

  /**
   * Starts the workflow; a request the server refuses for its size (a payload over its blob limit,
   * a message over its gRPC limit) is bad input with the sizes, not a connection problem.
   */
  private static WorkflowExecution start(
      CampaignWorkflow stub, CampaignInput input, String name, CampaignSize size) {
    try {
      return WorkflowClient.start(stub::run, input);
    } catch (WorkflowServiceException e) {
      String refusal = TooLarge.describe(e);
      if (refusal == null) {
        throw e;
      }
      throw new BadInput(
          "the Temporal server refused to start campaign "
              + name
              + " as too large ("
              + refusal
              + "); its compact form is "
              + CampaignSize.bytes(size.packedBytes())
              + ", its largest experiment "
              + CampaignSize.bytes(size.largestExperimentBytes())
              + ": the server's payload limit is lower than this tool's ("
              + CampaignSize.bytes(CampaignPack.MAX_PACKED_BYTES)
              + "); raise the server's limit.blobSize.error or split the campaign");
    }
  }

  public DescribeWorkflowExecutionResponse describe(String workflowId) {
    try {
      return client
          .getWorkflowServiceStubs()
          .blockingStub()
          .describeWorkflowExecution(
              DescribeWorkflowExecutionRequest.newBuilder()
                  .setNamespace(client.getOptions().getNamespace())
                  .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                  .build());
    } catch (io.grpc.StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
        return null;
      }
      throw e;
    }
  }

  private static String planHashOf(DescribeWorkflowExecutionResponse d) {
    var fields = d.getWorkflowExecutionInfo().getMemo().getFieldsMap();
    if (!fields.containsKey(MEMO_PLAN_HASH)) {
      return null;
    }
    DataConverter converter = LlemDataConverter.create();
    return converter.fromPayload(fields.get(MEMO_PLAN_HASH), String.class, String.class);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> experimentHashesOf(DescribeWorkflowExecutionResponse d) {
    var fields = d.getWorkflowExecutionInfo().getMemo().getFieldsMap();
    if (!fields.containsKey(CampaignMemo.EXPERIMENT_HASHES)) {
      return null;
    }
    return LlemDataConverter.create()
        .fromPayload(fields.get(CampaignMemo.EXPERIMENT_HASHES), Map.class, Map.class);
  }

  public WorkflowStub stub(String workflowId) {
    return client.newUntypedWorkflowStub(workflowId);
  }

  private static boolean running(DescribeWorkflowExecutionResponse existing) {
    return existing.getWorkflowExecutionInfo().getStatus()
        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  }

  private static String abbreviate(String hash) {
    return hash.length() > 12 ? hash.substring(0, 12) : hash;
  }
}
