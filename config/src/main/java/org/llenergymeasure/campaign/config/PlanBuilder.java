package org.llenergymeasure.campaign.config;

/**
 * Expands a campaign into its runs in execution order and hashes them. Pure and deterministic:
 * the workflow re-derives the plan with it, so it must never read the clock, the environment or
 * iterate a hash-ordered collection.
 */
public final class PlanBuilder {

  private PlanBuilder() {}

  public static Plan plan(Campaign campaign) {
    throw new UnsupportedOperationException("TODO");
  }
}
