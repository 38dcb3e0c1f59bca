package org.llenergymeasure.campaign.activities.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.activities.RunCanceledException;
import org.llenergymeasure.campaign.activities.container.Heartbeater;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;

/** The step signals' rate limit, cap and "newest wins", on a clock the test moves. */
class StepSignalsTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private final List<AwaitProgress> beats = new CopyOnWriteArrayList<>();

  private static AwaitProgress at(String step) {
    return new AwaitProgress("h", 0, 0, 0, "line", step);
  }

  private StepSignals signals(Consumer<String> send, int cap) {
    return new StepSignals(beats::add, send, now::get, Duration.ofSeconds(5), cap, "r.c1-a1");
  }

  /** Heartbeats once and waits until the sender thread has nothing in flight. */
  private static void beat(StepSignals s, AwaitProgress p) throws InterruptedException {
    s.heartbeat(p);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (s.sending() && System.nanoTime() < until) {
      Thread.sleep(5);
    }
  }

  @Test
  void aNewStepGoesAtOnceThenAtMostOneEveryIntervalAndTheNewestWins() throws Exception {
    try (StepSignals s = signals(sent::add, 200)) {
      beat(s, at(null));
      beat(s, at("model: Loading model (gpt2)"));
      beat(s, at("model: Loading model (gpt2)"));
      now.addAndGet(1000);
      beat(s, at("warmup: 1/50 prompts"));
      now.addAndGet(1000);
      beat(s, at("warmup: 2/50 prompts"));
      assertEquals(List.of("model: Loading model (gpt2)"), sent, "within 5 s of the first");
      now.addAndGet(3000);
      beat(s, at("warmup: 3/50 prompts"));
      beat(s, at("warmup: 3/50 prompts"));
      assertEquals(List.of("model: Loading model (gpt2)", "warmup: 3/50 prompts"), sent);
      assertEquals(7, beats.size(), "every heartbeat went on");
    }
  }

  @Test
  void theCapEndsTheSignalsAndAFailedSignalIsIgnored() throws Exception {
    try (StepSignals s =
        signals(
            step -> {
              sent.add(step);
              throw new IllegalStateException("workflow already completed");
            },
            3)) {
      for (int i = 0; i < 10; i++) {
        beat(s, at("step " + i));
        now.addAndGet(5000);
      }
      assertEquals(List.of("step 0", "step 1", "step 2"), sent);
      assertEquals(10, beats.size());
    }
  }

  @Test
  void aCanceledHeartbeatIsThrownAndSignalsNothing() {
    Heartbeater canceled =
        p -> {
          throw new RunCanceledException("the run was canceled", null);
        };
    try (StepSignals s =
        new StepSignals(canceled, sent::add, now::get, Duration.ofSeconds(5), 200, "r")) {
      assertThrows(RunCanceledException.class, () -> s.heartbeat(at("model started")));
    }
    assertEquals(List.of(), sent);
  }
}
