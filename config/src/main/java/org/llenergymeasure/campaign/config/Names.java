package org.llenergymeasure.campaign.config;

import java.util.regex.Pattern;

/**
 * Name rules: campaign and experiment names, host ids, environment variable names. Public for the
 * environment variable rule, which the CLI's {@code route --env} applies as validate does.
 */
public final class Names {

  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  static final Pattern HOST_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  static final Pattern ENV_KEY = Pattern.compile("[A-Z_][A-Z0-9_]*");

  static final String NAME_RULE =
      "names are 1-63 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit";
  static final String HOST_RULE =
      "host ids are 1-63 characters of letters, digits, '.', '_' and '-', starting with a letter"
          + " or digit (the worker's --host-id)";
  static final String ENV_RULE =
      "variable names are upper-case letters, digits and '_', not starting with a digit";

  /** Variables the GPU router sets; a user value would contradict the routing. */
  public static final java.util.List<String> ROUTING_VARIABLES =
      java.util.List.of("NVIDIA_VISIBLE_DEVICES", "CUDA_VISIBLE_DEVICES", "CUDA_DEVICE_ORDER");

  private Names() {}

  /** Null when {@code name} is a valid campaign/experiment name, else what is wrong with it. */
  public static String nameProblem(String name) {
    if (NAME.matcher(name).matches()) {
      return null;
    }
    return "`" + name + "` is not allowed: " + nameReason(name) + "; " + NAME_RULE;
  }

  private static String nameReason(String name) {
    if (name.isEmpty()) {
      return "it is empty";
    }
    if (name.length() > 63) {
      return "it has " + name.length() + " characters";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\') {
        return "it contains '" + c + "' (names become folder names)";
      }
      if (Character.isWhitespace(c)) {
        return "it contains a space";
      }
      if (c > 127) {
        String ch = name.substring(i, name.offsetByCodePoints(i, 1));
        return "it contains the non-ASCII character '" + ch + "'";
      }
      if (c >= 'A' && c <= 'Z') {
        return "it contains upper-case letters (write `"
            + name.toLowerCase(java.util.Locale.ROOT)
            + "`)";
      }
    }
    char first = name.charAt(0);
    if (!Character.isLetterOrDigit(first)) {
      return "it starts with '" + first + "'";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && ".-_".indexOf(c) < 0) {
        return "it contains '" + c + "'";
      }
    }
    return "it does not match [a-z0-9][a-z0-9._-]{0,62}";
  }

  /**
   * Null when {@code key} may be set in a run's {@code env}, else why not: a routing variable (set
   * by the GPU router from {@code gpus}) or not a valid variable name.
   */
  public static String envKeyProblem(String key) {
    if (ROUTING_VARIABLES.contains(key)) {
      return "`"
          + key
          + "` is set by the GPU router from `gpus` and may not be set here;"
          + " choose GPUs with `gpus:` instead";
    }
    if (!ENV_KEY.matcher(key).matches()) {
      return "`" + key + "` is not a valid variable name: " + ENV_RULE;
    }
    return null;
  }
}
