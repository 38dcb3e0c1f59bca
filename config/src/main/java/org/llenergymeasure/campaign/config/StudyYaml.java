package org.llenergymeasure.campaign.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An upstream study file's YAML as upstream reads it (PyYAML, YAML 1.1): {@code yes}/{@code on} are
 * booleans, {@code 010} is octal, {@code 1_000} is a thousand, and merge keys ({@code <<}) merge
 * the mapping (or list of mappings) they name under the keys written beside them. A merge key that
 * names anything else cannot be resolved and is noted. The result is plain Java: maps, lists, text,
 * {@link Long}/{@link BigInteger}, {@link BigDecimal}, {@link Boolean} and null.
 */
final class StudyYaml {

  private final StudyNotes notes;

  StudyYaml(StudyNotes notes) {
    this.notes = notes;
  }

  Object plain(YamlNode node, String path) {
    if (node instanceof YamlMap m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (YamlMap.Entry e : m.all()) {
        if (!e.key().equals("<<")) {
          out.put(e.key(), plain(e.value(), YamlPath.key(path, e.key())));
        }
      }
      YamlMap.Entry merge = m.entries().get("<<");
      if (merge != null) {
        mergeInto(out, merge, YamlPath.key(path, "<<"));
      }
      return out;
    }
    if (node instanceof YamlList l) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < l.items().size(); i++) {
        out.add(plain(l.items().get(i), YamlPath.index(path, i)));
      }
      return out;
    }
    return scalar((YamlScalar) node, path);
  }

  /** YAML's merge: the named mappings' keys, where the mapping does not set them itself. */
  private void mergeInto(Map<String, Object> out, YamlMap.Entry merge, String path) {
    List<YamlNode> sources =
        merge.value() instanceof YamlList l ? l.items() : List.of(merge.value());
    for (YamlNode source : sources) {
      if (!(source instanceof YamlMap)) {
        notes.add(
            merge.keyMark(),
            path,
            "a merge key names "
                + source.describe()
                + ", not a mapping (or an alias of one); it cannot be resolved and is left out");
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> add = (Map<String, Object>) plain(source, path);
      add.forEach(out::putIfAbsent);
    }
  }

  private Object scalar(YamlScalar s, String path) {
    String t = s.text().strip();
    return switch (s.kind()) {
      case NULL -> null;
      case BOOL ->
          switch (t.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "y" -> true;
            default -> false;
          };
      case INT -> integer(s, t, path);
      case FLOAT -> decimal(s, t, path);
      default -> s.text();
    };
  }

  private Object decimal(YamlScalar s, String t, String path) {
    String d = t.replace("_", "");
    try {
      return new BigDecimal(d.startsWith("+") ? d.substring(1) : d);
    } catch (NumberFormatException e) {
      notes.add(
          s,
          path,
          "`" + t + "` (infinity or NaN) cannot be written as JSON; it is kept as the text");
      return t;
    }
  }

  private Object integer(YamlScalar s, String t, String path) {
    String d = t.replace("_", "");
    boolean negative = d.startsWith("-");
    if (d.startsWith("-") || d.startsWith("+")) {
      d = d.substring(1);
    }
    int radix = 10;
    if (d.startsWith("0x") || d.startsWith("0X")) {
      radix = 16;
      d = d.substring(2);
    } else if (d.startsWith("0b") || d.startsWith("0B")) {
      radix = 2;
      d = d.substring(2);
    } else if (d.startsWith("0o")) {
      radix = 8;
      d = d.substring(2);
    } else if (d.length() > 1 && d.startsWith("0")) {
      radix = 8; // YAML 1.1, as PyYAML reads it
    }
    try {
      BigInteger v = new BigInteger(d, radix);
      v = negative ? v.negate() : v;
      return v.bitLength() < 64 ? (Object) v.longValueExact() : v;
    } catch (NumberFormatException e) {
      notes.add(s, path, "`" + t + "` is not a number upstream can read; it is kept as the text");
      return t;
    }
  }
}
