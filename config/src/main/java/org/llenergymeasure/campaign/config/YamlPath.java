package org.llenergymeasure.campaign.config;

import java.util.regex.Pattern;

/**
 * Builds the YAML paths used in messages: {@code experiments[2].gpus[1]}, {@code
 * grid.axes.backend[0].image}. The whole file is {@code $}.
 */
final class YamlPath {

  static final String ROOT = "$";

  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

  private YamlPath() {}

  static String key(String parent, String key) {
    if (!PLAIN_KEY.matcher(key).matches()) {
      String quoted = "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
      return isRoot(parent) ? ROOT + quoted : parent + quoted;
    }
    return isRoot(parent) ? key : parent + "." + key;
  }

  static String index(String parent, int i) {
    return (isRoot(parent) ? ROOT : parent) + "[" + i + "]";
  }

  private static boolean isRoot(String parent) {
    return parent == null || parent.isEmpty() || parent.equals(ROOT);
  }
}
