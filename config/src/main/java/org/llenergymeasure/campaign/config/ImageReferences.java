package org.llenergymeasure.campaign.config;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Docker's image reference grammar (github.com/distribution/reference), checked when the file is
 * validated so that a bad reference is not found by the engine after minutes of pull retries:
 *
 * <pre>
 *   reference := name [":" tag] ["@" digest]
 *   name      := [host [":" port] "/"] component ("/" component)*     at most 255 characters
 *   host      := domain-name | "[" IPv6 "]"; domain-name := label ("." label)*,
 *                label := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
 *   component := [a-z0-9]+ (separator [a-z0-9]+)*,  separator := "." | "_" | "__" | "-"+
 *   tag       := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 *   digest    := "sha256:" 64 hex | "sha384:" 96 hex | "sha512:" 128 hex   (lower case)
 * </pre>
 *
 * As in Docker, the first part of the name is a registry host when it contains a '.' or a ':' or is
 * {@code localhost}; otherwise it is a path component, so upper case there is a mistake (Docker
 * would take {@code Upper/x} for a registry named Upper).
 */
final class ImageReferences {

  static final int NAME_MAX = 255;
  static final int TAG_MAX = 128;

  static final String FORM =
      "an image reference is [host[:port]/]path[:tag][@sha256:<64 hex>], e.g. busybox,"
          + " ghcr.io/org/image:1.0 or localhost:5000/image@sha256:<64 hex>";

  private static final Pattern LABEL = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?");
  private static final Pattern IPV6 = Pattern.compile("\\[[a-fA-F0-9:]+\\]");
  private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern ALGORITHM = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*");

  private ImageReferences() {}

  /** Null when {@code ref} is a valid image reference, else what is wrong with it. */
  static String problem(String ref) {
    String why = reason(ref);
    return why == null ? null : "`" + ref + "` is not an image reference: " + why + "; " + FORM;
  }

  private static String reason(String ref) {
    if (ref.isEmpty()) {
      return "it is empty";
    }
    for (int i = 0; i < ref.length(); i++) {
      char c = ref.charAt(i);
      if (Character.isWhitespace(c)) {
        return "it contains a space";
      }
      if (c == '{' && Placeholders.PLACEHOLDER.matcher(ref).find()) {
        return "{axis} placeholders are not substituted in `image` (only in name, command, env"
            + " values and labels); give each variant its image, e.g. {value: vllm, image:"
            + " \"vllm/vllm-openai:v0.6.0\"}";
      }
      if (!(c >= 'a' && c <= 'z')
          && !(c >= 'A' && c <= 'Z')
          && !(c >= '0' && c <= '9')
          && "._-/:@[]".indexOf(c) < 0) {
        return c > 127
            ? "the non-ASCII character '"
                + ref.substring(i, ref.offsetByCodePoints(i, 1))
                + "'"
                + " is not allowed"
            : "'" + c + "' is not allowed";
      }
    }
    if (ref.startsWith("-")) {
      return "it starts with '-' (it would be read as an option)";
    }
    String rest = ref;
    int at = rest.indexOf('@');
    if (at >= 0) {
      String problem = digest(rest.substring(at + 1));
      if (problem != null) {
        return problem;
      }
      rest = rest.substring(0, at);
    }
    int slash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    String name = rest;
    if (colon > slash) {
      String tag = rest.substring(colon + 1);
      name = rest.substring(0, colon);
      if (tag.isEmpty()) {
        return "it ends with ':' but no tag follows; write a tag (e.g. :latest) or remove the ':'";
      }
      if (!TAG.matcher(tag).matches()) {
        return "the tag `"
            + tag
            + "` is not valid: a tag is 1 to "
            + TAG_MAX
            + " letters, digits, '_', '.' and '-', not starting with '.' or '-'";
      }
    }
    if (name.isEmpty()) {
      return "it has no repository name before the "
          + (colon > slash ? "tag" : "digest")
          + " (write e.g. busybox:1.36)";
    }
    if (name.length() > NAME_MAX) {
      return "the repository name has "
          + name.length()
          + " characters; at most "
          + NAME_MAX
          + " are allowed";
    }
    return name(name);
  }

  private static String name(String name) {
    String[] parts = name.split("/", -1);
    int first = 0;
    if (parts.length > 1 && isHost(parts[0])) {
      String problem = host(parts[0]);
      if (problem != null) {
        return problem;
      }
      first = 1;
    }
    if (HEX64.matcher(name).matches()) {
      return "a repository name may not be 64 hexadecimal digits (that is an image id; write"
          + " the repository, or @sha256:<64 hex> for a digest)";
    }
    for (int i = first; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty()) {
        return i == parts.length - 1 && i > 0
            ? "it ends with '/'"
            : i == 0 ? "it starts with '/'" : "it has an empty path component ('//')";
      }
      if (!COMPONENT.matcher(part).matches()) {
        return componentReason(part);
      }
    }
    return null;
  }

  private static boolean isHost(String first) {
    return first.indexOf('.') >= 0
        || first.indexOf(':') >= 0
        || first.equals("localhost")
        || first.startsWith("[");
  }

  private static String host(String host) {
    String h = host;
    int colon = h.startsWith("[") ? h.indexOf(':', h.indexOf(']')) : h.lastIndexOf(':');
    if (colon >= 0) {
      String port = h.substring(colon + 1);
      if (port.isEmpty() || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return "the registry port `" + port + "` is not a number (e.g. localhost:5000/image)";
      }
      h = h.substring(0, colon);
    }
    if (h.startsWith("[")) {
      return IPV6.matcher(h).matches()
          ? null
          : "the registry host `" + h + "` is not an IPv6 address in brackets";
    }
    for (String label : h.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return "the registry host `"
            + h
            + "` is not a host name: its parts are letters, digits and '-', separated by '.',"
            + " neither starting nor ending with '-'";
      }
    }
    return null;
  }

  private static String componentReason(String part) {
    if (!part.equals(part.toLowerCase(Locale.ROOT))) {
      return "upper case is not allowed in a repository name (write `"
          + part.toLowerCase(Locale.ROOT)
          + "`)";
    }
    if (part.indexOf('@') >= 0 || part.indexOf('[') >= 0 || part.indexOf(']') >= 0) {
      return "`" + part + "` is not a repository name component";
    }
    if (part.indexOf(':') >= 0) {
      return "only the registry host (before the first '/') and the tag (after the last '/') may"
          + " contain ':'";
    }
    return "the path component `"
        + part
        + "` is not valid: lower-case letters and digits, separated by '.', '_', '__' or"
        + " dashes, starting and ending with a letter or digit";
  }

  private static String digest(String digest) {
    if (digest.indexOf('@') >= 0) {
      return "it has more than one '@'";
    }
    int colon = digest.indexOf(':');
    String algorithm = colon < 0 ? "" : digest.substring(0, colon);
    String hex = colon < 0 ? "" : digest.substring(colon + 1);
    if (colon < 0 || !ALGORITHM.matcher(algorithm).matches()) {
      return "`" + digest + "` is not a digest: a digest needs sha256:<64 hex>";
    }
    int expected =
        switch (algorithm) {
          case "sha256" -> 64;
          case "sha384" -> 96;
          case "sha512" -> 128;
          default -> -1;
        };
    if (expected < 0) {
      return "the digest algorithm `"
          + algorithm
          + "` is not supported: a digest needs sha256:<64 hex> (or sha384, sha512)";
    }
    if (hex.length() != expected || !hex.chars().allMatch(ImageReferences::isLowerHex)) {
      return "`"
          + digest
          + "` is not a digest: a digest needs "
          + algorithm
          + ":<"
          + expected
          + " hex> (lower-case hexadecimal digits"
          + (hex.length() != expected ? "; this has " + hex.length() + " characters)" : ")");
    }
    return null;
  }

  private static boolean isLowerHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }
}
