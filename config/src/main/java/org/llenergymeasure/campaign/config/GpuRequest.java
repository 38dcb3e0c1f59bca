package org.llenergymeasure.campaign.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What an experiment asks for: a list of selectors (index, {@code GPU-<uuid>} or unique prefix,
 * {@code MIG-<uuid>}, {@code <gpu>:<mig>}), or all GPUs, or none, or any N idle GPUs. Selector
 * syntax is checked by the config; resolving against a host is the router's job.
 *
 * @param kind which form was used
 * @param selectors the selectors as written (indices as decimal strings); empty unless LIST
 * @param count the number of GPUs for COUNT; 0 otherwise
 * @param model for COUNT, a {@link GpuModelGlob} the chosen GPUs' names must match; null for any
 *     model (and always for the other kinds)
 */
public record GpuRequest(
    Kind kind,
    List<String> selectors,
    int count,
    @JsonInclude(JsonInclude.Include.NON_NULL) String model) {

  public enum Kind {
    LIST,
    ALL,
    NONE,
    COUNT
  }

  public GpuRequest {
    selectors = selectors == null ? List.of() : List.copyOf(selectors);
  }

  /** A request without a model glob. */
  public GpuRequest(Kind kind, List<String> selectors, int count) {
    this(kind, selectors, count, null);
  }

  public static GpuRequest none() {
    return new GpuRequest(Kind.NONE, List.of(), 0);
  }

  public static GpuRequest all() {
    return new GpuRequest(Kind.ALL, List.of(), 0);
  }

  public static GpuRequest of(List<String> selectors) {
    return new GpuRequest(Kind.LIST, selectors, 0);
  }

  public static GpuRequest count(int n) {
    return new GpuRequest(Kind.COUNT, List.of(), n);
  }

  /** Any {@code n} idle GPUs whose names match {@code model} (null: any model). */
  public static GpuRequest count(int n, String model) {
    return new GpuRequest(Kind.COUNT, List.of(), n, model);
  }

  /** The number of GPUs this request selects, when known without a host (LIST, COUNT, NONE). */
  public Integer knownCount() {
    return switch (kind) {
      case LIST -> selectors.size();
      case COUNT -> count;
      case NONE -> 0;
      case ALL -> null;
    };
  }

  /**
   * As a user would write it: {@code [0, 1]}, {@code all}, {@code none}, {@code {count: 2}}, {@code
   * {count: 2, model: "*H100*"}}.
   */
  @Override
  public String toString() {
    return switch (kind) {
      case LIST -> "[" + String.join(", ", selectors) + "]";
      case ALL -> "all";
      case NONE -> "none";
      case COUNT -> "{count: " + count + (model == null ? "" : ", model: \"" + model + "\"") + "}";
    };
  }
}
