package org.llenergymeasure.campaign.worker.schedule;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleListActionStartWorkflow;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.client.schedules.ScheduleUpdate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.llenergymeasure.campaign.worker.BadInput;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;
import org.llenergymeasure.campaign.workflows.TaskQueues;
import org.llenergymeasure.campaign.workflows.schedule.FiringNames;
import org.llenergymeasure.campaign.workflows.schedule.ScheduledCampaignInput;
import org.llenergymeasure.campaign.workflows.schedule.ScheduledCampaignWorkflow;

/**
 * Campaign schedules on a Temporal server: a Temporal Schedule with the id {@code schedule/<name>}
 * whose action starts a {@link ScheduledCampaignWorkflow} with the frozen campaign file, overlap
 * policy skip. How it fires (cron or interval, time zone) is kept in the schedule's memo as given.
 */
public final class CampaignSchedules {

  static final String MEMO_CRON = "cron";
  static final String MEMO_EVERY = "every";
  static final String MEMO_TIMEZONE = "timezone";

  private final ScheduleClient schedules;
  private final FiringStates states;
  private final String address;

  public CampaignSchedules(WorkflowClient client, String address) {
    this.schedules =
        ScheduleClient.newInstance(
            client.getWorkflowServiceStubs(),
            ScheduleClientOptions.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                .setDataConverter(LlemDataConverter.create())
                .build());
    this.states = new FiringStates(client, address);
    this.address = address;
  }

  /**
   * Bad input (exit 2) unless {@code name} may name a schedule: its firings must be valid names.
   */
  public static void checkName(String name) {
    String problem = org.llenergymeasure.campaign.config.Names.nameProblem(name);
    if (problem != null) {
      throw new BadInput("schedule name " + problem);
    }
    if (name.length() > FiringNames.MAX_SCHEDULE_NAME) {
      throw new BadInput(
          "schedule name `"
              + name
              + "` has "
              + name.length()
              + " characters; at most "
              + FiringNames.MAX_SCHEDULE_NAME
              + ", so that its firings' campaign names (<name>-20261207t020000z) have at most 63");
    }
  }

  /** Creates the schedule; a schedule of that name already there is refused (bad input). */
  public ScheduleView create(String name, ScheduledCampaignInput input, ScheduleTiming timing) {
    Schedule schedule =
        Schedule.newBuilder()
            .setAction(action(name, input))
            .setSpec(timing.spec())
            .setPolicy(
                SchedulePolicy.newBuilder()
                    .setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
                    .build())
            .setState(ScheduleState.newBuilder().setNote("created by llem-campaign").build())
            .build();
    Map<String, Object> memo = new LinkedHashMap<>();
    if (timing.cron() != null) {
      memo.put(MEMO_CRON, timing.cron());
      memo.put(MEMO_TIMEZONE, timing.timezone() == null ? "UTC" : timing.timezone());
    } else {
      memo.put(MEMO_EVERY, timing.every());
    }
    try {
      schedules.createSchedule(
          id(name), schedule, ScheduleOptions.newBuilder().setMemo(memo).build());
    } catch (ScheduleAlreadyRunningException e) {
      throw new BadInput(
          "a schedule named "
              + name
              + " already exists on "
              + address
              + "; change its file with `llem-campaign schedule update "
              + name
              + " FILE`, or delete it first (`llem-campaign schedule delete "
              + name
              + "`)");
    } catch (RuntimeException e) {
      throw refused(e, name);
    }
    return describe(name);
  }

  /** Freezes a new file into the schedule's action; its timing, state and firings stay. */
  public ScheduleView update(String name, ScheduledCampaignInput input) {
    ScheduleHandle handle = existing(name);
    call(
        name,
        () -> {
          handle.update(
              in ->
                  new ScheduleUpdate(
                      Schedule.newBuilder(in.getDescription().getSchedule())
                          .setAction(action(name, input))
                          .build()));
          return null;
        });
    return describe(name);
  }

  public ScheduleView describe(String name) {
    ScheduleDescription d = call(name, () -> schedules.getHandle(id(name)).describe());
    if (!(d.getSchedule().getAction() instanceof ScheduleActionStartWorkflow start)
        || !start.getWorkflowType().equals(workflowType())) {
      throw new BadInput("schedule " + id(name) + " on " + address + " is not a campaign schedule");
    }
    ScheduledCampaignInput input = start.getArguments().get(0, ScheduledCampaignInput.class);
    return ScheduleViews.of(name, id(name), d, input, states);
  }

  /** Every campaign schedule on the server, by name. */
  public List<ScheduleView> list() {
    List<String> names = new ArrayList<>();
    call(
        "",
        () -> {
          schedules
              .listSchedules(null)
              .filter(CampaignSchedules::isCampaignSchedule)
              .map(s -> s.getScheduleId().substring(id("").length()))
              .forEach(names::add);
          return null;
        });
    List<ScheduleView> out = new ArrayList<>();
    for (String name : names) {
      try {
        out.add(describe(name));
      } catch (BadInput deletedMeanwhile) {
        // listed a moment ago, gone now
      }
    }
    out.sort(Comparator.comparing(ScheduleView::schedule));
    return out;
  }

  public void pause(String name, String note) {
    ScheduleHandle handle = existing(name);
    call(name, () -> run(() -> handle.pause(note == null ? "paused by llem-campaign" : note)));
  }

  public void unpause(String name, String note) {
    ScheduleHandle handle = existing(name);
    call(name, () -> run(() -> handle.unpause(note == null ? "unpaused by llem-campaign" : note)));
  }

  /** Fires once now, under the same overlap policy: skipped while a firing runs. */
  public void trigger(String name) {
    ScheduleHandle handle = existing(name);
    call(name, () -> run(() -> handle.trigger(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)));
  }

  /** Deletes the schedule; firings that run go on as campaigns of their own. */
  public void delete(String name) {
    ScheduleHandle handle = existing(name);
    call(name, () -> run(handle::delete));
  }

  public static String id(String name) {
    return ScheduledCampaignWorkflow.actionWorkflowId(name);
  }

  private ScheduleHandle existing(String name) {
    describe(name);
    return schedules.getHandle(id(name));
  }

  private static boolean isCampaignSchedule(ScheduleListDescription s) {
    return s.getScheduleId().startsWith(id(""))
        && s.getSchedule().getAction() instanceof ScheduleListActionStartWorkflow start
        && start.getWorkflow().equals(workflowType());
  }

  private static String workflowType() {
    return ScheduledCampaignWorkflow.class.getSimpleName();
  }

  private static ScheduleActionStartWorkflow action(String name, ScheduledCampaignInput input) {
    return ScheduleActionStartWorkflow.newBuilder()
        .setWorkflowType(ScheduledCampaignWorkflow.class)
        .setOptions(
            WorkflowOptions.newBuilder()
                .setWorkflowId(ScheduledCampaignWorkflow.actionWorkflowId(name))
                .setTaskQueue(TaskQueues.CAMPAIGNS)
                .build())
        .setArguments(input)
        .build();
  }

  private static Void run(Runnable r) {
    r.run();
    return null;
  }

  private <T> T call(String name, Supplier<T> request) {
    try {
      return request.get();
    } catch (RuntimeException e) {
      throw refused(e, name);
    }
  }

  /** A refusal of the server as bad input with its words; anything else as it is. */
  private RuntimeException refused(RuntimeException e, String name) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s) {
        Status.Code code = s.getStatus().getCode();
        if (code == Status.Code.NOT_FOUND) {
          return new BadInput(
              "no schedule named "
                  + name
                  + " on "
                  + address
                  + "; `llem-campaign schedule list` shows the schedules there");
        }
        if (code == Status.Code.INVALID_ARGUMENT) {
          return new BadInput(
              "the server refused schedule " + name + ": " + s.getStatus().getDescription());
        }
        break;
      }
    }
    return e;
  }
}
