package org.llenergymeasure.campaign.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Upstream's {@code runners:} ({@code local}, {@code docker}/{@code container}, or either with
 * {@code :<image>}) and {@code images:} per engine: a campaign has one attach mode, so only a study
 * whose every used engine runs {@code local} becomes {@code attach: process}; a mix is noted and
 * runs in containers.
 */
final class StudyRunners {

  private final StudyNotes notes;
  private final Map<String, String> runners = new TreeMap<>();
  private final Map<String, String> images = new TreeMap<>();
  private final YamlMap root;

  StudyRunners(StudyNotes notes, Map<String, Object> raw, YamlMap root) {
    this.notes = notes;
    this.root = root;
    if (raw.get("runners") instanceof Map<?, ?> r) {
      r.forEach((k, v) -> runners.put(String.valueOf(k), String.valueOf(v)));
    }
    if (raw.get("images") instanceof Map<?, ?> i) {
      i.forEach((k, v) -> images.put(String.valueOf(k), String.valueOf(v)));
    }
  }

  private String mode(String engine) {
    String r = runners.getOrDefault(engine, "docker");
    String kind = r.contains(":") ? r.substring(0, r.indexOf(':')) : r;
    if (kind.equals("local")) {
      return "local";
    }
    if (!kind.equals("docker") && !kind.equals("container") && !kind.equals("auto")) {
      notes.add(
          root.entries().get("runners").keyMark(),
          YamlPath.key("runners", engine),
          "`"
              + r
              + "` is not an upstream runner (local, docker, docker:<image>); a container is"
              + " used");
    }
    return "container";
  }

  /** True when every experiment's engine runs {@code local}; a mix is noted. */
  boolean process(List<Map<String, Object>> configs) {
    Map<String, String> used = new TreeMap<>();
    for (Map<String, Object> c : configs) {
      String engine = StudySweep.engineOf(c);
      used.put(engine, mode(engine));
    }
    boolean anyLocal = used.containsValue("local");
    boolean anyContainer = used.containsValue("container");
    if (anyLocal && anyContainer) {
      notes.add(
          root.entries().get("runners").keyMark(),
          "runners",
          "the experiments' runners mix local and container "
              + used
              + "; a campaign has one attach mode, so every experiment runs in a container");
    }
    return anyLocal && !anyContainer;
  }

  /** The image a runner or {@code images:} names for {@code engine}, else null (derived). */
  String image(String engine) {
    String r = runners.get(engine);
    if (r != null && r.contains(":") && !r.startsWith("local")) {
      return r.substring(r.indexOf(':') + 1);
    }
    return images.get(engine);
  }

  /** Upstream gives a run tensor × pipeline GPUs (its {@code range(tp*pp)}). */
  static long gpuCount(Map<String, Object> config) {
    String engine = StudySweep.engineOf(config);
    Object section = config.get(engine);
    if (!(section instanceof Map<?, ?> s)) {
      return 1;
    }
    Map<?, ?> m = s;
    if (engine.equals("vllm") && s.get("engine") instanceof Map<?, ?> inner) {
      m = inner;
    }
    if (engine.equals("transformers")) {
      return positive(m.get("tp_size"));
    }
    return positive(m.get("tensor_parallel_size")) * positive(m.get("pipeline_parallel_size"));
  }

  private static long positive(Object v) {
    return v instanceof Long n && n > 0 ? n : 1;
  }
}
