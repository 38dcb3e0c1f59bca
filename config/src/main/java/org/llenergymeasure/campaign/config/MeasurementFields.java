package org.llenergymeasure.campaign.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * When an attempt is measured again and when a measurement counts: {@code retries}, {@code
 * remeasure} and the {@code measurement} checks. Each read reports what was wrong at the value's
 * place and returns null.
 */
final class MeasurementFields {

  static final int MAX_RETRIES = 100;
  static final int MAX_REMEASURE = 10;
  static final List<String> MEASUREMENT_KEYS =
      List.of(
          "check",
          "energyTolerance",
          "compareEnergy",
          "allowThermalThrottle",
          "rules",
          "minDuration");

  private final Fields f;

  MeasurementFields(Fields fields) {
    this.f = fields;
  }

  Integer retries(YamlNode n, String path) {
    return attempts(n, path, "retries counts extra attempts", MAX_RETRIES);
  }

  Integer remeasure(YamlNode n, String path) {
    return attempts(
        n, path, "remeasure counts extra attempts after an invalid measurement", MAX_REMEASURE);
  }

  /**
   * A count of extra attempts, 0 (the default) to {@code max}; a negative one says what it counts.
   */
  private Integer attempts(YamlNode n, String path, String meaning, int max) {
    if (n instanceof YamlScalar s && s.kind() == YamlScalar.Kind.INT && s.text().startsWith("-")) {
      f.error(n, path, s.text() + " is negative; " + meaning + ": 0 (the default) to " + max);
      return null;
    }
    return f.integer(n, path, 0, max);
  }

  /** The {@code measurement} mapping; merges key by key like env (Fragment.MAP_FIELDS). */
  Map<String, Field> measurement(YamlNode n, String path) {
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
            case "rules" -> rules(e.value(), keyPath);
            case "minDuration" -> f.duration(e.value(), keyPath, true);
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

  /**
   * {@code rules}: a mode per reason code, e.g. {@code {SAMPLE_GAP: fail, UPSTREAM_WARNING: off}};
   * an unknown code or mode is reported at its place with the valid ones.
   */
  private Map<String, String> rules(YamlNode n, String path) {
    YamlMap m = f.map(n, path);
    if (m == null) {
      return null;
    }
    Map<String, String> out = new TreeMap<>();
    boolean ok = true;
    for (YamlMap.Entry e : m.all()) {
      String keyPath = YamlPath.key(path, e.key());
      if (!Measurement.CODES.contains(e.key())) {
        String near = Suggestions.nearest(e.key(), Measurement.CODES);
        f.sink()
            .error(
                e.keyMark(),
                keyPath,
                "unknown reason code `"
                    + e.key()
                    + "`; expected one of "
                    + String.join(", ", Measurement.CODES)
                    + (near != null ? " (did you mean `" + near + "`?)" : ""));
        ok = false;
        continue;
      }
      String mode = f.choice(e.value(), keyPath, Measurement.MODES);
      if (mode == null) {
        ok = false;
      } else {
        out.put(e.key(), mode);
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
}
