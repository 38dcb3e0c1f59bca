package org.llenergymeasure.campaign.workflows.campaign;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where one experiment of an adaptive campaign stands: the Student-t interval of the metric over
 * its valid runs so far.
 *
 * @param n valid values so far
 * @param mean their mean; null before the first
 * @param halfWidth the interval's half-width; null below two values
 * @param relativeHalfWidth halfWidth / |mean| (0.02 = ±2 %); null below two values or at a zero
 *     mean
 * @param converged whether the interval is within the target (then no further cycle is planned)
 * @param cycles the cycles planned for it so far
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExperimentConvergence(
    String experiment,
    int n,
    Double mean,
    Double halfWidth,
    Double relativeHalfWidth,
    boolean converged,
    int cycles) {}
