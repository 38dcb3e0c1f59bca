package org.llenergymeasure.campaign.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Upstream's expansion of a study into experiment configs (its {@code expand_grid}): the shared
 * fields, then the {@code sweep:} (independent axes crossed; dependent groups, lists of mappings,
 * whose entries are alternatives and may hold mini-grids; dotted keys routed into nested sections;
 * keys starting with an engine apply to that engine's experiments only), then the explicit {@code
 * experiments:}, each merged over the shared fields (top-level keys replace). Engine sections of
 * other engines inherited from the shared fields are dropped, as upstream does.
 */
final class StudySweep {

  static final List<String> ENGINES = List.of("transformers", "vllm", "tensorrt");
  static final String DEFAULT_ENGINE = "transformers";

  private final StudyNotes notes;

  StudySweep(StudyNotes notes) {
    this.notes = notes;
  }

  /** The sweep's configs, in upstream's order (per engine, groups outermost). */
  List<Map<String, Object>> sweep(
      Map<String, Object> sweep, YamlMap sweepNode, Map<String, Object> fixed) {
    if (sweep.isEmpty()) {
      if (fixed.get("task") instanceof Map<?, ?> task && task.get("model") != null) {
        return List.of(stripOtherEngines(fixed, engineOf(fixed)));
      }
      return List.of();
    }
    Map<String, List<Object>> universal = new LinkedHashMap<>();
    Map<String, Map<String, List<Object>>> scoped = new LinkedHashMap<>();
    Map<String, List<Map<String, Object>>> groups = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : sweep.entrySet()) {
      String key = e.getKey();
      Object values = e.getValue();
      if (values instanceof List<?> l && l.stream().anyMatch(v -> v instanceof Map)) {
        if (!l.stream().allMatch(v -> v instanceof Map)) {
          notes.add(
              sweepNode.entries().get(key).keyMark(),
              YamlPath.key("sweep", key),
              "mixes mappings and values; upstream refuses such a sweep entry, so it is left"
                  + " out");
          continue;
        }
        List<Map<String, Object>> variants = new ArrayList<>();
        for (Object entry : l) {
          @SuppressWarnings("unchecked")
          Map<String, Object> m = (Map<String, Object>) entry;
          variants.addAll(miniGrid(m));
        }
        groups.put(key, variants);
        continue;
      }
      List<Object> list = values instanceof List<?> l ? new ArrayList<>(l) : List.of(values);
      String prefix = key.contains(".") ? key.substring(0, key.indexOf('.')) : null;
      if (prefix != null && ENGINES.contains(prefix)) {
        scoped.computeIfAbsent(prefix, k -> new LinkedHashMap<>()).put(key, list);
      } else {
        universal.put(key, list);
      }
    }
    Map<String, List<Map<String, Object>>> universalGroups = new LinkedHashMap<>();
    Map<String, Map<String, List<Map<String, Object>>>> scopedGroups = new LinkedHashMap<>();
    for (Map.Entry<String, List<Map<String, Object>>> g : groups.entrySet()) {
      String prefix = g.getKey().contains(".") ? g.getKey().split("\\.", 2)[0] : null;
      if (prefix != null && ENGINES.contains(prefix)) {
        scopedGroups
            .computeIfAbsent(prefix, k -> new LinkedHashMap<>())
            .put(g.getKey(), g.getValue());
      } else {
        universalGroups.put(g.getKey(), g.getValue());
      }
    }
    List<String> engines = new ArrayList<>();
    Object fixedEngine = fixed.getOrDefault("engine", DEFAULT_ENGINE);
    if (fixedEngine instanceof List<?> l) {
      l.forEach(x -> engines.add(String.valueOf(x)));
    } else if (!scoped.isEmpty() || !scopedGroups.isEmpty()) {
      java.util.TreeSet<String> implied = new java.util.TreeSet<>(scoped.keySet());
      implied.addAll(scopedGroups.keySet());
      engines.addAll(implied);
    } else {
      engines.add(String.valueOf(fixedEngine));
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (String engine : engines) {
      Map<String, List<Map<String, Object>>> applicable = new LinkedHashMap<>(universalGroups);
      applicable.putAll(scopedGroups.getOrDefault(engine, Map.of()));
      Map<String, List<Object>> axes = new LinkedHashMap<>(universal);
      axes.putAll(scoped.getOrDefault(engine, Map.of()));
      Map<String, Object> base = stripOtherEngines(fixed, engine);
      base.put("engine", engine);
      for (List<Map<String, Object>> groupCombo : product(new ArrayList<>(applicable.values()))) {
        for (List<Object> axisCombo : product(new ArrayList<>(axes.values()))) {
          Map<String, Object> config = copy(base);
          int i = 0;
          for (String key : axes.keySet()) {
            route(config, key, axisCombo.get(i++));
          }
          for (Map<String, Object> variant : groupCombo) {
            variant.forEach((k, v) -> route(config, k, v));
          }
          out.add(config);
        }
      }
    }
    return out;
  }

  /** An explicit experiment over the shared fields, as upstream merges it. */
  static Map<String, Object> explicit(Map<String, Object> fixed, Map<String, Object> own) {
    Map<String, Object> merged = copy(fixed);
    merged.putAll(copy(own));
    Object engine = merged.getOrDefault("engine", fixed.getOrDefault("engine", DEFAULT_ENGINE));
    for (String e : ENGINES) {
      if (!e.equals(engine) && merged.containsKey(e) && !own.containsKey(e)) {
        merged.remove(e);
      }
    }
    return merged;
  }

  static String engineOf(Map<String, Object> config) {
    Object e = config.get("engine");
    return e instanceof String s ? s : DEFAULT_ENGINE;
  }

  /** A group entry with list values is a mini-grid of entries; other values pass through. */
  private static List<Map<String, Object>> miniGrid(Map<String, Object> entry) {
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(new LinkedHashMap<>());
    for (Map.Entry<String, Object> e : entry.entrySet()) {
      List<Object> values =
          e.getValue() instanceof List<?> l
                  && !l.isEmpty()
                  && !(l.get(0) instanceof List || l.get(0) instanceof Map)
              ? new ArrayList<>(l)
              : java.util.Collections.singletonList(e.getValue());
      List<Map<String, Object>> next = new ArrayList<>();
      for (Map<String, Object> partial : out) {
        for (Object v : values) {
          Map<String, Object> m = new LinkedHashMap<>(partial);
          m.put(e.getKey(), v);
          next.add(m);
        }
      }
      out = next;
    }
    return out;
  }

  /**
   * Upstream's routing: {@code a.b.c: v} deep-merges {@code {a: {b: {c: v}}}}; a key without a dot
   * is set as it is.
   */
  @SuppressWarnings("unchecked")
  private static void route(Map<String, Object> config, String key, Object value) {
    String[] parts = key.split("\\.", -1);
    Map<String, Object> node = config;
    for (int i = 0; i < parts.length - 1; i++) {
      Object child = node.get(parts[i]);
      if (!(child instanceof Map)) {
        child = new LinkedHashMap<String, Object>();
        node.put(parts[i], child);
      }
      node = (Map<String, Object>) child;
    }
    Object v = copyValue(value);
    Object old = node.get(parts[parts.length - 1]);
    if (parts.length > 1 && old instanceof Map && v instanceof Map) {
      deepMerge((Map<String, Object>) old, (Map<String, Object>) v);
    } else {
      node.put(parts[parts.length - 1], v);
    }
  }

  @SuppressWarnings("unchecked")
  private static void deepMerge(Map<String, Object> base, Map<String, Object> overlay) {
    for (Map.Entry<String, Object> e : overlay.entrySet()) {
      Object old = base.get(e.getKey());
      if (old instanceof Map && e.getValue() instanceof Map) {
        deepMerge((Map<String, Object>) old, (Map<String, Object>) e.getValue());
      } else {
        base.put(e.getKey(), e.getValue());
      }
    }
  }

  private static Map<String, Object> stripOtherEngines(Map<String, Object> fixed, String engine) {
    Map<String, Object> out = copy(fixed);
    for (String e : ENGINES) {
      if (!e.equals(engine)) {
        out.remove(e);
      }
    }
    return out;
  }

  /** Every combination of one element per list, the last list turning fastest. */
  private static <T> List<List<T>> product(List<? extends List<? extends T>> lists) {
    List<List<T>> out = new ArrayList<>();
    out.add(new ArrayList<>());
    for (List<? extends T> l : lists) {
      List<List<T>> next = new ArrayList<>();
      for (List<T> partial : out) {
        for (T v : l) {
          List<T> c = new ArrayList<>(partial);
          c.add(v);
          next.add(c);
        }
      }
      out = next;
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> copy(Map<String, Object> m) {
    return (Map<String, Object>) copyValue(m);
  }

  private static Object copyValue(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put((String) k, copyValue(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(copyValue(x)));
      return out;
    }
    return v;
  }
}
