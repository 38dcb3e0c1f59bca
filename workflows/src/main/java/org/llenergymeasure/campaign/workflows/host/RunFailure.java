package org.llenergymeasure.campaign.workflows.host;

/** Why a run attempt failed: a stable type from FailureTypes and a readable message. */
public record RunFailure(String type, String message) {}
