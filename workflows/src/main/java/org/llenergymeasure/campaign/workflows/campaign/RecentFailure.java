package org.llenergymeasure.campaign.workflows.campaign;

/** A run that failed for good, with its failure type (FailureTypes) and message. */
public record RecentFailure(String runId, String type, String message) {}
