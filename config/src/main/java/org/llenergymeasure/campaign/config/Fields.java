package org.llenergymeasure.campaign.config;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Typed reads of YAML nodes. Each method returns the value, or null after reporting to the sink
 * what was wrong and what would be right. Scalars keep the text as written, so YAML 1.1's {@code
 * yes} is "yes" where text is expected and refused where a boolean is.
 */
final class Fields {

  static final String PRIVILEGED =
      "`privileged` is refused: a privileged container sees every GPU, whatever the routing"
          + " says; remove it and choose GPUs with `gpus:`";

  private final ErrorSink sink;

  Fields(ErrorSink sink) {
    this.sink = sink;
  }

  ErrorSink sink() {
    return sink;
  }

  void error(YamlNode node, String path, String message) {
    sink.error(node.mark(), path, message);
  }

  /**
   * Reports keys of {@code map} not in {@code known} (with a suggestion) and refuses {@code
   * privileged} wherever it appears. {@code here} names the mapping in messages.
   */
  void checkKeys(YamlMap map, String path, Collection<String> known, String here) {
    checkKeys(map, path, known, here, Set.of());
  }

  /** As above; keys in {@code reportedElsewhere} are refused by the caller, in its words. */
  void checkKeys(
      YamlMap map,
      String path,
      Collection<String> known,
      String here,
      Set<String> reportedElsewhere) {
    for (YamlMap.Entry e : map.all()) {
      if (known.contains(e.key()) || reportedElsewhere.contains(e.key())) {
        continue;
      }
      String keyPath = YamlPath.key(path, e.key());
      if (e.key().equals("privileged")) {
        sink.error(e.keyMark(), keyPath, PRIVILEGED);
      } else if (e.key().equals("<<")) {
        sink.error(
            e.keyMark(),
            keyPath,
            "YAML merge keys (<<) are not supported; use `defaults` or"
                + " `grid.base`, or write the keys out");
      } else {
        sink.error(e.keyMark(), keyPath, Suggestions.forUnknownKey(e.key(), known, here));
      }
    }
  }

  YamlMap map(YamlNode node, String path) {
    if (node instanceof YamlMap m) {
      return m;
    }
    error(node, path, "expected a mapping (key: value), found " + node.describe());
    return null;
  }

  YamlList list(YamlNode node, String path) {
    if (node instanceof YamlList l) {
      return l;
    }
    error(node, path, "expected a list, found " + node.describe());
    return null;
  }

  /** A non-empty scalar as text; numbers and booleans give the digits/word as written. */
  String text(YamlNode node, String path) {
    if (node instanceof YamlScalar s && !s.isNull()) {
      if (s.text().isEmpty()) {
        error(node, path, "is empty; give a value or remove the key");
        return null;
      }
      return s.text();
    }
    if (node instanceof YamlScalar) {
      error(node, path, "has no value; give a value or remove the key");
    } else {
      error(node, path, "expected a single value, found " + node.describe());
    }
    return null;
  }

  Integer integer(YamlNode node, String path, long min, long max) {
    Long v = longValue(node, path, min, max);
    return v == null ? null : v.intValue();
  }

  Long longValue(YamlNode node, String path, long min, long max) {
    if (!(node instanceof YamlScalar s)
        || s.kind() != YamlScalar.Kind.INT
        || !s.text().matches("[-+]?[0-9]+")) {
      String hint = "";
      if (node instanceof YamlScalar s2
          && s2.kind() == YamlScalar.Kind.STRING
          && s2.text().strip().matches("[-+]?[0-9]+")) {
        hint = " (remove the quotes)";
      }
      error(
          node,
          path,
          "expected a whole number" + range(min, max) + ", found " + node.describe() + hint);
      return null;
    }
    long v;
    try {
      v = Long.parseLong(s.text().startsWith("+") ? s.text().substring(1) : s.text());
    } catch (NumberFormatException e) {
      error(node, path, s.text() + " is too large; expected a whole number" + range(min, max));
      return null;
    }
    if (v < min || v > max) {
      error(node, path, v + " is out of range; expected a whole number" + range(min, max));
      return null;
    }
    return v;
  }

  private static String range(long min, long max) {
    if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) {
      return "";
    }
    if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) {
      return " of at least " + min;
    }
    return " from " + min + " to " + max;
  }

  Boolean bool(YamlNode node, String path) {
    if (node instanceof YamlScalar s && s.kind() == YamlScalar.Kind.BOOL) {
      if (s.text().equalsIgnoreCase("true")) {
        return true;
      }
      if (s.text().equalsIgnoreCase("false")) {
        return false;
      }
      error(
          node,
          path,
          "`"
              + s.text()
              + "` is ambiguous (YAML 1.1 reads it as a boolean,"
              + " other tools do not); write true or false");
      return null;
    }
    error(node, path, "expected true or false, found " + node.describe());
    return null;
  }

  /** One of {@code allowed}, with a "did you mean" for near misses. */
  String choice(YamlNode node, String path, List<String> allowed) {
    String t = text(node, path);
    if (t == null) {
      return null;
    }
    if (allowed.contains(t)) {
      return t;
    }
    String near = Suggestions.nearest(t, allowed);
    error(
        node,
        path,
        "`"
            + t
            + "` is not allowed; expected one of "
            + String.join(", ", allowed)
            + (near != null ? " (did you mean `" + near + "`?)" : ""));
    return null;
  }

  /** A duration; {@code positive} refuses zero. */
  Duration duration(YamlNode node, String path, boolean positive) {
    String t = text(node, path);
    if (t == null) {
      return null;
    }
    try {
      Duration d = Durations.parse(t);
      if (positive && d.isZero()) {
        error(node, path, "must be longer than 0; write e.g. 30m or 4h");
        return null;
      }
      return d;
    } catch (IllegalArgumentException e) {
      error(node, path, e.getMessage());
      return null;
    }
  }

  Long size(YamlNode node, String path) {
    String t = text(node, path);
    if (t == null) {
      return null;
    }
    try {
      return Sizes.parse(t);
    } catch (IllegalArgumentException e) {
      error(node, path, e.getMessage());
      return null;
    }
  }

  /** An absolute path without {@code ..} segments. */
  String absolutePath(YamlNode node, String path) {
    String t = text(node, path);
    if (t == null) {
      return null;
    }
    if (!t.startsWith("/")) {
      error(
          node,
          path,
          "`"
              + t
              + "` is not an absolute path; write it from the root, e.g. /"
              + t.replaceFirst("^\\./", ""));
      return null;
    }
    if (hasDotDot(t)) {
      error(node, path, "`" + t + "` contains `..`; write the path without going up a folder");
      return null;
    }
    return t;
  }

  static boolean hasDotDot(String p) {
    for (String seg : p.split("/", -1)) {
      if (seg.equals("..")) {
        return true;
      }
    }
    return false;
  }

  /** A list of distinct names matching {@code check} (which returns a problem or null). */
  List<String> nameList(
      YamlNode node, String path, java.util.function.UnaryOperator<String> check, String what) {
    YamlList l = list(node, path);
    if (l == null) {
      return null;
    }
    List<String> out = new java.util.ArrayList<>();
    java.util.Map<String, Integer> seen = new java.util.HashMap<>();
    boolean ok = true;
    for (int i = 0; i < l.items().size(); i++) {
      YamlNode item = l.items().get(i);
      String itemPath = YamlPath.index(path, i);
      String t = text(item, itemPath);
      if (t == null) {
        ok = false;
        continue;
      }
      String problem = check.apply(t);
      if (problem != null) {
        error(item, itemPath, problem);
        ok = false;
        continue;
      }
      Integer first = seen.putIfAbsent(t, i);
      if (first != null) {
        error(
            item,
            itemPath,
            "`"
                + t
                + "` is listed twice (also "
                + YamlPath.index(path, first)
                + "); list each "
                + what
                + " once");
        ok = false;
        continue;
      }
      out.add(t);
    }
    return ok ? out : null;
  }
}
