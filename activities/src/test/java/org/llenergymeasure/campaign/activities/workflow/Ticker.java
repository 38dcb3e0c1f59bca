package org.llenergymeasure.campaign.activities.workflow;

import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;

/**
 * A test-only workflow with a timer every hour. The time-skipping server jumps to the next timer
 * when every workflow waits; with a paused campaign (no timer of its own) the next one would be its
 * execution timeout. The ticker keeps every jump to at most an hour.
 */
@WorkflowInterface
public interface Ticker {

  @WorkflowMethod
  void tick();

  class Impl implements Ticker {
    @Override
    public void tick() {
      while (true) {
        Workflow.sleep(Duration.ofHours(1));
      }
    }
  }
}
