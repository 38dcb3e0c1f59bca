package org.llenergymeasure.campaign.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the experiment fields of one source mapping and turns them into a {@link Fragment}. Every
 * check that depends on one field alone happens here, once per place the user wrote it; checks
 * across fields happen after merging ({@link ExperimentResolver}).
 */
final class ExperimentFields {

  /** Where a fragment comes from; decides which keys are allowed and how to talk about it. */
  enum Source {
    DEFAULTS("defaults"),
    GRID_BASE("grid.base"),
    VARIANT("a grid variant"),
    EXPERIMENT("an experiment");

    final String label;

    Source(String label) {
      this.label = label;
    }
  }

  static final List<String> FIELD_KEYS =
      List.of(
          "image",
          "command",
          "gpus",
          "parallelism",
          "env",
          "secrets",
          "mounts",
          "resultsDir",
          "resultFile",
          "shmSize",
          "ipc",
          "timeout",
          "silenceTimeout",
          "retries",
          "memory",
          "network",
          "busy",
          "probe",
          "host",
          "labels",
          "remeasure",
          "measurement");

  static final List<String> IPC = List.of("private", "host");
  static final List<String> NETWORK = List.of("bridge", "none", "host");
  static final List<String> BUSY = List.of("wait", "fail", "ignore");
  static final int MAX_RETRIES = 100;
  static final int MAX_REMEASURE = 10;
  static final List<String> MEASUREMENT_KEYS =
      List.of("check", "energyTolerance", "compareEnergy", "allowThermalThrottle");
  static final int MAX_PARALLEL = 1024;

  private final Fields f;

  ExperimentFields(Fields fields) {
    this.f = fields;
  }

  static Set<String> knownKeys(Source source) {
    Set<String> keys = new LinkedHashSet<>();
    if (source == Source.EXPERIMENT) {
      keys.add("name");
    }
    if (source == Source.VARIANT) {
      keys.add("value");
    }
    keys.addAll(FIELD_KEYS);
    return keys;
  }

  /**
   * @param axes axis names of the grid, used to check placeholders in grid sources; empty otherwise
   */
  Fragment parse(YamlMap map, String path, Source source, Set<String> axes) {
    Fragment out = new Fragment();
    Set<String> known = knownKeys(source);
    for (YamlMap.Entry e : map.all()) {
      String key = e.key();
      String keyPath = YamlPath.key(path, key);
      if (key.equals("name") && source != Source.EXPERIMENT) {
        f.sink()
            .error(
                e.keyMark(),
                keyPath,
                switch (source) {
                  case DEFAULTS ->
                      "`name` cannot be a default: every experiment needs its own name";
                  case GRID_BASE ->
                      "grid experiments are named by `grid.name`, not by `grid.base.name`";
                  default -> "a variant is named by its `value`; `{axis}` in grid.name gives it";
                });
        continue;
      }
      if (!known.contains(key)) {
        continue; // reported by checkKeys below
      }
      if (key.equals("value")) {
        continue; // the grid's, not an experiment field
      }
      Object v = parseField(key, e.value(), keyPath);
      if (v == null) {
        out.invalid.add(key);
      } else {
        out.fields.put(key, new Field(v, e.value(), keyPath));
      }
    }
    f.checkKeys(
        map, path, known, source.label, source == Source.EXPERIMENT ? Set.of() : Set.of("name"));
    if (source == Source.GRID_BASE || source == Source.VARIANT) {
      checkPlaceholders(out, axes);
    }
    return out;
  }

  private Object parseField(String key, YamlNode n, String path) {
    return switch (key) {
      case "name" -> name(n, path);
      case "image" -> image(n, path);
      case "command", "probe" -> command(n, path, key);
      case "gpus" -> new GpuRequests(f).parse(n, path);
      case "parallelism" -> parallelism(n, path);
      case "env" -> env(n, path);
      case "labels" -> labels(n, path);
      case "secrets" -> f.nameList(n, path, ExperimentFields::secretProblem, "secret");
      case "mounts" -> mounts(n, path);
      case "resultsDir" -> resultsDir(n, path);
      case "resultFile" -> resultFile(n, path);
      case "shmSize", "memory" -> f.size(n, path);
      case "ipc" -> f.choice(n, path, IPC);
      case "network" -> f.choice(n, path, NETWORK);
      case "busy" -> f.choice(n, path, BUSY);
      case "timeout", "silenceTimeout" -> f.duration(n, path, true);
      case "retries" -> retries(n, path);
      case "remeasure" -> remeasure(n, path);
      case "measurement" -> measurement(n, path);
      case "host" -> hostId(f, n, path);
      default -> throw new IllegalStateException("no parser for " + key);
    };
  }

  private String name(YamlNode n, String path) {
    String t = f.text(n, path);
    if (t == null) {
      return null;
    }
    String problem = Names.nameProblem(t);
    if (problem != null) {
      f.error(n, path, "experiment name " + problem);
      return null;
    }
    return t;
  }

  private String image(YamlNode n, String path) {
    String t = f.text(n, path);
    if (t == null) {
      return null;
    }
    if (!t.equals(t.strip()) || t.chars().anyMatch(Character::isWhitespace)) {
      f.error(
          n,
          path,
          "`" + t + "` contains spaces; an image reference is like" + " registry/repository:tag");
      return null;
    }
    if (t.startsWith("-")) {
      f.error(n, path, "`" + t + "` starts with '-'; an image reference is like repository:tag");
      return null;
    }
    return t;
  }

  /** A command or probe: a list of words, or one string split like a shell would. */
  private List<String> command(YamlNode n, String path, String key) {
    if (n instanceof YamlList l) {
      if (l.items().isEmpty()) {
        f.error(
            n,
            path,
            "is empty; "
                + (key.equals("probe")
                    ? "remove `probe` to use the default GPU check"
                    : "remove `command` to run the image's default command"));
        return null;
      }
      List<String> words = new ArrayList<>();
      boolean ok = true;
      for (int i = 0; i < l.items().size(); i++) {
        YamlNode item = l.items().get(i);
        String itemPath = YamlPath.index(path, i);
        if (item instanceof YamlScalar s && !s.isNull()) {
          words.add(s.text());
        } else {
          f.error(
              item,
              itemPath,
              "expected a word of the "
                  + key
                  + ", found "
                  + item.describe()
                  + (item instanceof YamlScalar ? " (write \"\" for an empty argument)" : ""));
          ok = false;
        }
      }
      return ok ? words : null;
    }
    String t = f.text(n, path);
    if (t == null) {
      return null;
    }
    try {
      List<String> words = ShellWords.split(t);
      if (words.isEmpty()) {
        f.error(n, path, "is blank; remove it or give a command");
        return null;
      }
      return words;
    } catch (IllegalArgumentException e) {
      f.error(n, path, e.getMessage());
      return null;
    }
  }

  private Map<String, Field> parallelism(YamlNode n, String path) {
    YamlMap m = f.map(n, path);
    if (m == null) {
      if (n instanceof YamlScalar s && s.kind() == YamlScalar.Kind.INT) {
        f.sink()
            .error(n.mark(), path, "write parallelism as {tensor: " + s.text() + ", pipeline: 1}");
      }
      return null;
    }
    f.checkKeys(m, path, List.of("tensor", "pipeline"), "parallelism");
    Map<String, Field> out = new LinkedHashMap<>();
    boolean ok = true;
    for (String k : List.of("tensor", "pipeline")) {
      YamlNode v = m.get(k);
      if (v == null) {
        continue;
      }
      Integer i = f.integer(v, YamlPath.key(path, k), 1, MAX_PARALLEL);
      if (i == null) {
        ok = false;
      } else {
        out.put(k, new Field(i, v, YamlPath.key(path, k)));
      }
    }
    if (ok && m.entries().isEmpty()) {
      f.error(n, path, "is empty; give tensor (and pipeline), e.g. {tensor: 2}, or remove it");
      return null;
    }
    return ok && !out.isEmpty() ? out : null;
  }

  private Map<String, Field> env(YamlNode n, String path) {
    YamlMap m = f.map(n, path);
    if (m == null) {
      if (n instanceof YamlList) {
        f.sink().error(n.mark(), path, "write env as a mapping, e.g. env: {HF_HOME: /cache/hf}");
      }
      return null;
    }
    Map<String, Field> out = new LinkedHashMap<>();
    boolean ok = true;
    for (YamlMap.Entry e : m.all()) {
      String keyPath = YamlPath.key(path, e.key());
      String problem = Names.envKeyProblem(e.key());
      if (problem != null) {
        f.sink().error(e.keyMark(), keyPath, problem);
        ok = false;
        continue;
      }
      String v = scalarValue(e.value(), keyPath, "an environment value");
      if (v == null) {
        ok = false;
        continue;
      }
      out.put(e.key(), new Field(v, e.value(), keyPath));
    }
    return ok ? out : null;
  }

  private Map<String, Field> labels(YamlNode n, String path) {
    YamlMap m = f.map(n, path);
    if (m == null) {
      return null;
    }
    Map<String, Field> out = new LinkedHashMap<>();
    boolean ok = true;
    for (YamlMap.Entry e : m.all()) {
      String keyPath = YamlPath.key(path, e.key());
      if (e.key().isBlank()) {
        f.sink().error(e.keyMark(), keyPath, "a label needs a name");
        ok = false;
        continue;
      }
      String v = scalarValue(e.value(), keyPath, "a label value");
      if (v == null) {
        ok = false;
        continue;
      }
      out.put(e.key(), new Field(v, e.value(), keyPath));
    }
    return ok ? out : null;
  }

  /** A literal scalar value as written; empty strings are fine, a missing value is not. */
  private String scalarValue(YamlNode v, String path, String what) {
    if (v instanceof YamlScalar s && !s.isNull()) {
      return s.text();
    }
    if (v instanceof YamlScalar) {
      f.error(v, path, "has no value; write \"\" for an empty string");
    } else {
      f.error(
          v,
          path,
          "expected "
              + what
              + " (text, number or boolean), found "
              + v.describe()
              + "; quote it if it is meant as text");
    }
    return null;
  }

  private static String secretProblem(String name) {
    if (Names.ROUTING_VARIABLES.contains(name)) {
      return "`" + name + "` is a routing variable set by the GPU router; it cannot be a secret";
    }
    if (!Names.ENV_KEY.matcher(name).matches()) {
      return "`"
          + name
          + "` is not a valid secret name: secrets are passed as environment"
          + " variables, and "
          + Names.ENV_RULE;
    }
    return null;
  }

  private List<Mount> mounts(YamlNode n, String path) {
    YamlList l = f.list(n, path);
    if (l == null) {
      return null;
    }
    List<Mount> out = new ArrayList<>();
    Map<String, Integer> targets = new HashMap<>();
    boolean ok = true;
    for (int i = 0; i < l.items().size(); i++) {
      String itemPath = YamlPath.index(path, i);
      YamlMap m = f.map(l.items().get(i), itemPath);
      if (m == null) {
        ok = false;
        continue;
      }
      f.checkKeys(m, itemPath, List.of("source", "target", "readOnly"), "a mount");
      String source = required(m, itemPath, "source", "/data/hf-cache");
      String target = required(m, itemPath, "target", "/cache/hf");
      Boolean readOnly = false;
      if (m.has("readOnly")) {
        readOnly = f.bool(m.get("readOnly"), YamlPath.key(itemPath, "readOnly"));
      }
      if (source == null || target == null || readOnly == null) {
        ok = false;
        continue;
      }
      Integer first = targets.putIfAbsent(target, i);
      if (first != null) {
        f.error(
            m.get("target"),
            YamlPath.key(itemPath, "target"),
            "`"
                + target
                + "` is already the target of "
                + YamlPath.index(path, first)
                + "; each container path can be mounted once");
        ok = false;
        continue;
      }
      out.add(new Mount(source, target, readOnly));
    }
    return ok ? out : null;
  }

  private String required(YamlMap m, String path, String key, String example) {
    YamlNode v = m.get(key);
    if (v == null) {
      f.error(
          m,
          YamlPath.key(path, key),
          "is missing; a mount needs an absolute " + key + ", e.g. " + key + ": " + example);
      return null;
    }
    return f.absolutePath(v, YamlPath.key(path, key));
  }

  private String resultsDir(YamlNode n, String path) {
    String p = f.absolutePath(n, path);
    if (p != null && p.replaceAll("/+", "/").equals("/")) {
      f.error(n, path, "the container's root cannot be the results folder; use e.g. /results");
      return null;
    }
    return p;
  }

  private String resultFile(YamlNode n, String path) {
    String t = f.text(n, path);
    if (t == null) {
      return null;
    }
    if (t.startsWith("/")) {
      f.error(
          n,
          path,
          "`" + t + "` is absolute; resultFile is relative to resultsDir, e.g." + " result.json");
      return null;
    }
    if (Fields.hasDotDot(t)) {
      f.error(n, path, "`" + t + "` contains `..`; the result file must be inside resultsDir");
      return null;
    }
    if (t.endsWith("/")) {
      f.error(n, path, "`" + t + "` names a folder; name the JSON file, e.g. result.json");
      return null;
    }
    return t;
  }

  private Integer retries(YamlNode n, String path) {
    if (n instanceof YamlScalar s && s.kind() == YamlScalar.Kind.INT && s.text().startsWith("-")) {
      f.error(
          n,
          path,
          s.text()
              + " is negative; retries counts extra attempts: 0 (the default)"
              + " to "
              + MAX_RETRIES);
      return null;
    }
    return f.integer(n, path, 0, MAX_RETRIES);
  }

  private Integer remeasure(YamlNode n, String path) {
    if (n instanceof YamlScalar s && s.kind() == YamlScalar.Kind.INT && s.text().startsWith("-")) {
      f.error(
          n,
          path,
          s.text()
              + " is negative; remeasure counts extra attempts after an"
              + " invalid measurement: 0 (the default) to "
              + MAX_REMEASURE);
      return null;
    }
    return f.integer(n, path, 0, MAX_REMEASURE);
  }

  /** The {@code measurement} mapping; merges key by key like env (Fragment.MAP_FIELDS). */
  private Map<String, Field> measurement(YamlNode n, String path) {
    YamlMap m = f.map(n, path);
    if (m == null) {
      return null;
    }
    f.checkKeys(m, path, MEASUREMENT_KEYS, "measurement");
    Map<String, Field> out = new LinkedHashMap<>();
    boolean ok = true;
    for (YamlMap.Entry e : m.all()) {
      if (!MEASUREMENT_KEYS.contains(e.key())) {
        ok = false;
        continue;
      }
      String keyPath = YamlPath.key(path, e.key());
      Object v =
          switch (e.key()) {
            case "check", "allowThermalThrottle" -> f.bool(e.value(), keyPath);
            case "compareEnergy" -> f.choice(e.value(), keyPath, Measurement.COMPARE_ENERGY);
            default -> fraction(e.value(), keyPath);
          };
      if (v == null) {
        ok = false;
      } else {
        out.put(e.key(), new Field(v, e.value(), keyPath));
      }
    }
    return ok ? out : null;
  }

  /** A share: {@code 5%} or {@code 0.05}; more than 0, at most 100%. */
  private Double fraction(YamlNode n, String path) {
    String hint = "; write a percentage such as 5% (or the fraction 0.05)";
    if (!(n instanceof YamlScalar s) || s.isNull()) {
      f.error(n, path, "expected a percentage, found " + n.describe() + hint);
      return null;
    }
    String t = s.text().strip();
    double v;
    try {
      v =
          t.endsWith("%")
              ? Double.parseDouble(t.substring(0, t.length() - 1).strip()) / 100.0
              : Double.parseDouble(t);
    } catch (NumberFormatException e) {
      f.error(n, path, "`" + t + "` is not a percentage" + hint);
      return null;
    }
    if (!(v > 0) || v > 1 || Double.isNaN(v)) {
      f.error(
          n, path, "`" + t + "` is out of range; expected more than 0% and at most 100%" + hint);
      return null;
    }
    return v;
  }

  static String hostId(Fields f, YamlNode n, String path) {
    String t = f.text(n, path);
    if (t == null) {
      return null;
    }
    if (!Names.HOST_ID.matcher(t).matches()) {
      f.error(n, path, "`" + t + "` is not a valid host id: " + Names.HOST_RULE);
      return null;
    }
    return t;
  }

  /** In grid sources a {@code {x}} must name an axis: anything else is most likely a typo. */
  private void checkPlaceholders(Fragment frag, Set<String> axes) {
    for (String key : List.of("command", "env", "labels")) {
      Field field = frag.get(key);
      if (field == null) {
        continue;
      }
      if (field.value() instanceof List<?> words) {
        for (Object w : words) {
          checkText((String) w, field.node(), field.path(), axes, frag, key);
        }
      } else if (field.value() instanceof Map<?, ?> m) {
        for (Object v : m.values()) {
          Field entry = (Field) v;
          checkText(entry.string(), entry.node(), entry.path(), axes, frag, key);
        }
      }
    }
  }

  private void checkText(
      String text, YamlNode node, String path, Set<String> axes, Fragment frag, String key) {
    for (String name : Placeholders.names(text)) {
      if (!axes.contains(name)) {
        String near = Suggestions.nearest(name, axes);
        f.error(
            node,
            path,
            "`{"
                + name
                + "}` names no axis of the grid; axes are "
                + String.join(", ", axes)
                + (near != null ? " (did you mean {" + near + "}?)" : ""));
        frag.fields.remove(key);
        frag.invalid.add(key);
      }
    }
  }
}
