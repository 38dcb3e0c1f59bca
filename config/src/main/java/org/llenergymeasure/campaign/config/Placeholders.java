package org.llenergymeasure.campaign.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Grid placeholders: {@code {axis}} in a name, command, env value or label. {@code ${X}} is shell
 * syntax, not a placeholder, and is left alone, as is any {@code {…}} that is not an identifier
 * (JSON in a command argument, for instance).
 */
final class Placeholders {

  static final Pattern PLACEHOLDER = Pattern.compile("(?<!\\$)\\{([A-Za-z_][A-Za-z0-9_]*)\\}");
  static final Pattern AXIS_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private Placeholders() {}

  static List<String> names(String s) {
    List<String> out = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(s);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** Replaces placeholders that name a binding; others stay as written. */
  static String substitute(String s, Map<String, String> bindings) {
    if (bindings.isEmpty() || s.indexOf('{') < 0) {
      return s;
    }
    Matcher m = PLACEHOLDER.matcher(s);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String v = bindings.get(m.group(1));
      m.appendReplacement(sb, Matcher.quoteReplacement(v != null ? v : m.group()));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
