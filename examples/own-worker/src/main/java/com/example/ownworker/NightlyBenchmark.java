package com.example.ownworker;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** The team's own workflow: run the nightly campaign, then act on its result. */
@WorkflowInterface
public interface NightlyBenchmark {

  /**
   * @param campaignFile the campaign file, read by the team's own activity
   * @return one line saying how the campaign ended and what was done about it
   */
  @WorkflowMethod
  String run(String campaignFile);
}
