package org.llenergymeasure.campaign.config;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A YAML mapping; entries keep the order they were written in. */
record YamlMap(Mark mark, Map<String, Entry> entries) implements YamlNode {

  /** One key of a mapping, with the key's own position (unknown-key errors point at it). */
  record Entry(String key, Mark keyMark, YamlNode value) {}

  YamlMap {
    entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
  }

  YamlNode get(String key) {
    Entry e = entries.get(key);
    return e == null ? null : e.value();
  }

  boolean has(String key) {
    return entries.containsKey(key);
  }

  Collection<Entry> all() {
    return entries.values();
  }

  @Override
  public String describe() {
    return "a mapping";
  }
}
