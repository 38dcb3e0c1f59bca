package org.llenergymeasure.campaign.activities.workflow;

import io.temporal.client.WorkflowStub;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.llenergymeasure.campaign.workflows.campaign.CampaignProgress;
import org.llenergymeasure.campaign.workflows.campaign.CampaignWorkflow;

/**
 * Lets the time-skipping test server skip time while the test waits (it skips only while a client
 * blocks on a workflow result), and holds the clock still while the test acts ({@link #held}): an
 * update sent while the server skips is not reliably delivered, and a run canceled while it skips
 * trips the test server's lock accounting. A {@link Ticker} bounds each jump to an hour.
 */
final class TimeSkipper implements AutoCloseable {

  private final WorkflowStub stub;
  private final CompletableFuture<CampaignProgress> result = new CompletableFuture<>();
  private final Thread thread;
  private volatile boolean hold;
  private volatile boolean parked;
  private volatile boolean stop;

  TimeSkipper(CampaignWorkflow campaign) {
    this.stub = WorkflowStub.fromTyped(campaign);
    this.thread = new Thread(this::loop, "time-skipper");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (!stop && !result.isDone()) {
      if (hold) {
        parked = true;
        sleep(2);
        continue;
      }
      parked = false;
      try {
        result.complete(stub.getResult(50, TimeUnit.MILLISECONDS, CampaignProgress.class));
      } catch (TimeoutException e) {
        // keep skipping
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    }
    parked = true;
  }

  /** Runs {@code action} with the clock standing still. */
  synchronized <T> T held(Supplier<T> action) {
    hold = true;
    while (!parked) {
      sleep(2);
    }
    try {
      return action.get();
    } finally {
      hold = false;
    }
  }

  CampaignProgress result() throws Exception {
    return result.get(120, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    stop = true;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
