package org.llenergymeasure.campaign.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The container's fields of an experiment: {@code image}, {@code command} and {@code probe}, the
 * environment ({@code env}, {@code secrets}) and {@code labels}, {@code mounts}, and where the
 * result is ({@code resultsDir}, {@code resultFile}); the choices of {@code ipc} and {@code
 * network}. Each read reports what was wrong at the value's place and returns null.
 */
final class ContainerFields {

  static final List<String> IPC = List.of("private", "host");
  static final List<String> NETWORK = List.of("bridge", "none", "host");

  private final Fields f;

  ContainerFields(Fields fields) {
    this.f = fields;
  }

  /** An image reference, checked against Docker's grammar ({@link ImageReferences}). */
  String image(YamlNode n, String path) {
    String t = f.text(n, path);
    if (t == null) {
      return null;
    }
    String problem = ImageReferences.problem(t);
    if (problem != null) {
      f.error(n, path, problem);
      return null;
    }
    return t;
  }

  /** A command or probe: a list of words, or one string split like a shell would. */
  List<String> command(YamlNode n, String path, String key) {
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

  /** {@code user}: who the run executes as ({@link RunUser}); a number is read as its digits. */
  String user(YamlNode n, String path) {
    String t = f.text(n, path);
    if (t == null) {
      return null;
    }
    String problem = RunUser.problem(t);
    if (problem != null) {
      f.error(n, path, problem);
      return null;
    }
    return t;
  }

  /** {@code logLimit}: a size of at least 1m (a smaller saved log would hold almost nothing). */
  Long logLimit(YamlNode n, String path) {
    Long size = f.size(n, path);
    if (size != null && size < Experiment.MIN_LOG_LIMIT) {
      f.error(n, path, "is below the smallest log limit, 1m; write e.g. 64m or 1g (the default)");
      return null;
    }
    return size;
  }

  Map<String, Field> env(YamlNode n, String path) {
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

  Map<String, Field> labels(YamlNode n, String path) {
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

  List<String> secrets(YamlNode n, String path) {
    return f.nameList(n, path, ContainerFields::secretProblem, "secret");
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

  List<Mount> mounts(YamlNode n, String path) {
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
      String socket = HostMounts.socketProblem(source);
      if (socket != null) {
        f.error(m.get("source"), YamlPath.key(itemPath, "source"), socket);
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

  String resultsDir(YamlNode n, String path) {
    String p = f.absolutePath(n, path);
    if (p != null && p.replaceAll("/+", "/").equals("/")) {
      f.error(n, path, "the container's root cannot be the results folder; use e.g. /results");
      return null;
    }
    return p;
  }

  String resultFile(YamlNode n, String path) {
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
}
