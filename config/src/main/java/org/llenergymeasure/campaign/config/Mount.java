package org.llenergymeasure.campaign.config;

/** A bind mount: absolute host path, absolute container path. */
public record Mount(String source, String target, boolean readOnly) {}
