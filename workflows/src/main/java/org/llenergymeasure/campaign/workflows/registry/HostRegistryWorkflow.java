package org.llenergymeasure.campaign.workflows.registry;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * The pool's one host registry: every worker reports its host here, {@code hosts} and placement
 * read it with one query, {@code drain}/{@code undrain} mark a host. One workflow (not per-host
 * workflows found by search attributes) so that one query reads the whole pool consistently, no
 * custom search attribute needs setting up on the server, and a drain is a validated durable
 * change. It runs on {@code llem-campaigns}, so wherever any worker is up; it continues as new
 * after {@link RegistryState#historyBound()} events, carrying the records.
 */
@WorkflowInterface
public interface HostRegistryWorkflow {

  /** Its fixed workflow id: there is one registry per namespace. */
  String WORKFLOW_ID = "llem-host-registry";

  /** Its workflow type. */
  String TYPE = "HostRegistry";

  @WorkflowMethod(name = TYPE)
  void run(RegistryState state);

  /**
   * A worker's report of its host (register on first report).
   *
   * @return the host's record now; its {@code draining} tells the worker to refuse new runs
   */
  @UpdateMethod
  HostRecord report(HostReport report);

  @UpdateValidatorMethod(updateName = "report")
  void validateReport(HostReport report);

  /** Marks a host draining: its running runs finish, no new run is placed there. */
  @UpdateMethod
  HostRecord drain(String hostId);

  /** Refuses an unknown host, naming the known ones. */
  @UpdateValidatorMethod(updateName = "drain")
  void validateDrain(String hostId);

  /** Lifts a drain. */
  @UpdateMethod
  HostRecord undrain(String hostId);

  @UpdateValidatorMethod(updateName = "undrain")
  void validateUndrain(String hostId);

  /** Drops a host's record (its worker stopped after a drain). */
  @UpdateMethod
  void forget(String hostId);

  @UpdateValidatorMethod(updateName = "forget")
  void validateForget(String hostId);

  /** Every host's record, by host id. */
  @QueryMethod(description = "Every registered host's record, by host id")
  List<HostRecord> hosts();
}
