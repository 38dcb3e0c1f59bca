package org.llenergymeasure.campaign.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code llenergymeasure:} key of an experiment: {@code config} (upstream's ExperimentConfig, a
 * mapping passed on verbatim), {@code engine}, {@code version} and {@code python}. Each read
 * reports what was wrong at the value's place and returns null; the checks across fields (image,
 * command, resultFile, attach) are {@link LlenergymeasureResolver}'s.
 *
 * <p>Merging: the keys merge one by one (like {@code measurement}), and {@code config} merges
 * deeply, mapping by mapping, so {@code defaults} can hold the shared part of a config and an
 * experiment or grid variant the rest.
 */
final class LlenergymeasureFields {

  static final String KEY = "llenergymeasure";
  static final List<String> KEYS = List.of("config", "engine", "version", "python");

  /**
   * Engines with an upstream image: {@code transformers}, {@code vllm}, {@code tensorrt}, and
   * {@code pytorch}, the name of the transformers image up to upstream 0.9.0.
   */
  static final List<String> ENGINES = List.of("transformers", "vllm", "tensorrt", "pytorch");

  /** The version makes the image tag {@code v<version>}: Docker's tag grammar, less the v. */
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,126}");

  private final Fields f;

  LlenergymeasureFields(Fields fields) {
    this.f = fields;
  }

  Map<String, Field> parse(YamlNode n, String path) {
    YamlMap m = f.map(n, path);
    if (m == null) {
      return null;
    }
    f.checkKeys(m, path, KEYS, "llenergymeasure");
    Map<String, Field> out = new LinkedHashMap<>();
    boolean ok = true;
    for (YamlMap.Entry e : m.all()) {
      if (!KEYS.contains(e.key())) {
        ok = false;
        continue;
      }
      String keyPath = YamlPath.key(path, e.key());
      Object v =
          switch (e.key()) {
            case "config" -> config(e.value(), keyPath);
            case "engine" -> f.choice(e.value(), keyPath, ENGINES);
            case "version" -> version(e.value(), keyPath);
            default -> f.text(e.value(), keyPath);
          };
      if (v == null) {
        ok = false;
      } else {
        out.put(e.key(), new Field(v, e.value(), keyPath));
      }
    }
    return ok ? out : null;
  }

  /** The config mapping as written (checked to convert to JSON); converted when resolved. */
  private YamlMap config(YamlNode n, String path) {
    if (!(n instanceof YamlMap m)) {
      f.error(
          n,
          path,
          "expected upstream's ExperimentConfig as a mapping, e.g. config: {task: {model: gpt2},"
              + " engine: transformers}, found "
              + n.describe());
      return null;
    }
    ConfigJson json = new ConfigJson(f);
    json.convert(m, path, Map.of(), Map.of());
    return json.ok() ? m : null;
  }

  private String version(YamlNode n, String path) {
    String t = f.text(n, path);
    if (t == null) {
      return null;
    }
    if (t.startsWith("v") && t.length() > 1 && Character.isDigit(t.charAt(1))) {
      f.error(
          n,
          path,
          "`"
              + t
              + "` starts with v, but the image tag is v<version>; write the version alone,"
              + " e.g. "
              + t.substring(1));
      return null;
    }
    if (!VERSION.matcher(t).matches()) {
      f.error(
          n,
          path,
          "`"
              + t
              + "` cannot be part of an image tag (letters, digits, _, . and -, at most 127);"
              + " write e.g. 0.9.0");
      return null;
    }
    return t;
  }

  /** {@code incoming}'s keys over {@code existing}'s; {@code config} merges deeply. */
  static Map<String, Field> merge(Map<String, Field> existing, Map<String, Field> incoming) {
    Map<String, Field> out = new LinkedHashMap<>(existing);
    for (Map.Entry<String, Field> e : incoming.entrySet()) {
      Field old = out.get(e.getKey());
      Field add = e.getValue();
      if (e.getKey().equals("config") && old != null) {
        YamlMap merged = ConfigJson.deepMerge((YamlMap) old.value(), (YamlMap) add.value());
        out.put("config", new Field(merged, add.node(), add.path()));
      } else {
        out.put(e.getKey(), add);
      }
    }
    return out;
  }
}
