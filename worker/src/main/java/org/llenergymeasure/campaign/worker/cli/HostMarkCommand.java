package org.llenergymeasure.campaign.worker.cli;

import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.llenergymeasure.campaign.worker.BadInput;
import org.llenergymeasure.campaign.worker.EnvironmentProblem;
import org.llenergymeasure.campaign.worker.ExitCodes;
import org.llenergymeasure.campaign.worker.host.HostRegistryClient;
import org.llenergymeasure.campaign.worker.host.RegistryCache;
import org.llenergymeasure.campaign.worker.server.ServerSession;
import org.llenergymeasure.campaign.workflows.registry.HostRecord;
import org.llenergymeasure.campaign.workflows.registry.HostRegistryWorkflowImpl;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * drain, undrain: change a host's mark in the host registry, print what it means now; an unknown
 * host is refused by the registry's validator (exit 2, naming the known hosts).
 */
abstract class HostMarkCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "HOST", description = "The host id, as `hosts` lists it.")
  String host;

  @Option(
      names = "--wait",
      paramLabel = "SECONDS",
      description = "How long to wait for a worker to apply the change (default ${DEFAULT-VALUE}).")
  long waitSeconds = 30;

  @Mixin CommonOptions common;

  /** The update to send. */
  abstract HostRecord apply(HostRegistryClient registry, String host);

  /** What to tell people, given the host's record after the change and now. */
  abstract String done(HostRecord record, long nowMs);

  /**
   * How long after the registry applied the change every worker's routing obeys it (their view of
   * the registry is at most this old): the command answers only then, so that a campaign started
   * right after {@code drain} keeps off the host, and one started right after {@code undrain} may
   * use it.
   */
  private static final Duration IN_FORCE_AFTER = RegistryCache.MAX_AGE;

  @Override
  public Integer call() {
    Console console = Console.system();
    try (ServerSession session = CampaignCommands.connect(common)) {
      HostRegistryClient registry = new HostRegistryClient(session.connection().client());
      HostRecord sent = send(registry, session.connection().address());
      // A run routed in that time may have taken GPUs: the state shown is the one now.
      pause(IN_FORCE_AFTER);
      HostRecord record =
          registry.hosts().stream()
              .filter(h -> h.hostId().equals(sent.hostId()))
              .findFirst()
              .orElse(sent);
      long now = System.currentTimeMillis();
      if (common.json()) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", true);
        out.put("host", record.hostId());
        out.put("state", record.state(now).word());
        console.json(out);
      } else {
        console.line(done(record, now));
      }
    }
    return ExitCodes.OK;
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private HostRecord send(HostRegistryClient registry, String address) {
    CompletableFuture<HostRecord> call = CompletableFuture.supplyAsync(() -> apply(registry, host));
    try {
      return call.get(Math.max(1, waitSeconds), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new EnvironmentProblem(
          "no worker answered for the host registry on "
              + address
              + " within "
              + Duration.ofSeconds(waitSeconds).toSeconds()
              + " s; is a worker running (llem-campaign worker)?");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentProblem("interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof WorkflowUpdateException refused) {
        throw new BadInput(refusal(refused));
      }
      if (HostRegistryClient.noRegistry(cause)) {
        throw new BadInput(
            HostRegistryWorkflowImpl.unknownHost(host, List.of())
                + " (no worker has registered a host on "
                + address
                + " yet)");
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(cause);
    }
  }

  /** The registry validator's own words (the innermost application failure's message). */
  private static String refusal(WorkflowUpdateException e) {
    String message = null;
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure af && af.getOriginalMessage() != null) {
        message = af.getOriginalMessage();
      }
    }
    return message != null ? message : String.valueOf(e.getMessage());
  }
}
