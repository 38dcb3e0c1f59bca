package org.llenergymeasure.campaign.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * A YAML tree as a JSON value ({@link CanonicalJson} writes it): mappings, lists, text, whole
 * numbers, decimals, booleans and null. What JSON cannot hold, or YAML 1.1 reads differently from
 * other tools, is refused at its place: {@code yes}/{@code on} as booleans, octal or hexadecimal
 * numbers, {@code .inf} and {@code .nan}. Grid placeholders in text are substituted; a text that is
 * exactly {@code "{axis}"} takes the axis value's own type, so {@code batch_size: "{batch}"} with
 * {@code batch: [1, 8]} gives the numbers 1 and 8.
 */
final class ConfigJson {

  private static final Pattern DECIMAL_INT = Pattern.compile("[-+]?(0|[1-9][0-9]*)");
  private static final Pattern DECIMAL =
      Pattern.compile("[-+]?([0-9]+\\.[0-9]*|\\.[0-9]+|[0-9]+)([eE][-+]?[0-9]+)?");
  private static final Pattern EXACT_PLACEHOLDER =
      Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)\\}");

  private final Fields f;
  private boolean ok = true;

  ConfigJson(Fields fields) {
    this.f = fields;
  }

  /** The JSON value of {@code node}; check {@link #ok()} afterwards. */
  Object convert(
      YamlNode node, String path, Map<String, String> bindings, Map<String, YamlNode> typed) {
    if (node instanceof YamlMap m) {
      Map<String, Object> out = new TreeMap<>();
      for (YamlMap.Entry e : m.all()) {
        out.put(e.key(), convert(e.value(), YamlPath.key(path, e.key()), bindings, typed));
      }
      return out;
    }
    if (node instanceof YamlList l) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < l.items().size(); i++) {
        out.add(convert(l.items().get(i), YamlPath.index(path, i), bindings, typed));
      }
      return out;
    }
    YamlScalar s = (YamlScalar) node;
    if (s.kind() == YamlScalar.Kind.STRING) {
      var exact = EXACT_PLACEHOLDER.matcher(s.text());
      if (exact.matches() && typed.containsKey(exact.group(1))) {
        YamlNode axisValue = typed.get(exact.group(1));
        return scalar((YamlScalar) axisValue, path + " (the value of {" + exact.group(1) + "})");
      }
      return Placeholders.substitute(s.text(), bindings);
    }
    return scalar(s, path);
  }

  boolean ok() {
    return ok;
  }

  private Object scalar(YamlScalar s, String path) {
    String t = s.text().strip();
    return switch (s.kind()) {
      case NULL -> null;
      case BOOL -> {
        Boolean b = f.bool(s, path);
        ok &= b != null;
        yield b;
      }
      case INT -> {
        if (DECIMAL_INT.matcher(t).matches()) {
          BigInteger v = new BigInteger(t.startsWith("+") ? t.substring(1) : t);
          yield v.bitLength() < 64 ? (Object) v.longValueExact() : v;
        }
        yield refuse(
            s,
            path,
            "`"
                + t
                + "` is not a whole number in decimal (YAML 1.1 reads a leading 0 as octal, 0x as"
                + " hexadecimal and ignores _); write it in decimal digits, or quote it if it is"
                + " text");
      }
      case FLOAT -> {
        if (DECIMAL.matcher(t).matches()) {
          yield new BigDecimal(t.startsWith("+") ? t.substring(1) : t);
        }
        yield refuse(
            s,
            path,
            "`"
                + t
                + "` is not a decimal number JSON can hold (no infinity, NaN or _); write e.g."
                + " 0.5, or quote it if it is text");
      }
      default -> s.text();
    };
  }

  private Object refuse(YamlScalar s, String path, String message) {
    f.error(s, path, message);
    ok = false;
    return null;
  }

  /** Calls {@code each} with every text scalar of the tree and its path. */
  static void eachText(YamlNode node, String path, BiConsumer<YamlScalar, String> each) {
    if (node instanceof YamlMap m) {
      for (YamlMap.Entry e : m.all()) {
        eachText(e.value(), YamlPath.key(path, e.key()), each);
      }
    } else if (node instanceof YamlList l) {
      for (int i = 0; i < l.items().size(); i++) {
        eachText(l.items().get(i), YamlPath.index(path, i), each);
      }
    } else if (node instanceof YamlScalar s && s.kind() == YamlScalar.Kind.STRING) {
      each.accept(s, path);
    }
  }

  /**
   * {@code overlay} merged into {@code base}: mappings key by key, at every depth; lists and values
   * replace. Positions stay those of the nodes as written.
   */
  static YamlMap deepMerge(YamlMap base, YamlMap overlay) {
    Map<String, YamlMap.Entry> entries = new java.util.LinkedHashMap<>(base.entries());
    for (YamlMap.Entry e : overlay.all()) {
      YamlMap.Entry old = entries.get(e.key());
      if (old != null && old.value() instanceof YamlMap a && e.value() instanceof YamlMap b) {
        entries.put(e.key(), new YamlMap.Entry(e.key(), e.keyMark(), deepMerge(a, b)));
      } else {
        entries.put(e.key(), e);
      }
    }
    return new YamlMap(overlay.mark(), entries);
  }
}
