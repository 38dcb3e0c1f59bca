package org.llenergymeasure.campaign.config;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The syntax of one GPU selector in a {@code gpus} list (gpu-routing.md). Checked strictly because
 * CUDA is lenient in harmful ways: it reads {@code 0a} as GPU 0 and stops at the first bad entry.
 * Whether a selector exists on a host is the router's question, not this one's.
 */
final class GpuSelectors {

  /** What every selector error ends with. */
  static final String FORMS =
      "a selector is a GPU index (0, 1, …), GPU-<uuid> or a unique prefix of it, MIG-<uuid>,"
          + " or <gpu>:<mig> such as 0:1";

  private static final String UUID_TEMPLATE = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
  private static final Pattern INDEX = Pattern.compile("0|[1-9][0-9]{0,3}");
  private static final Pattern MIG_PAIR =
      Pattern.compile("(0|[1-9][0-9]{0,3}):(0|[1-9][0-9]{0,2})");
  private static final Pattern LEGACY_MIG =
      Pattern.compile("(?i)MIG-GPU-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/[0-9]+/[0-9]+");

  enum Form {
    INDEX,
    GPU_UUID,
    MIG_UUID,
    MIG_PAIR
  }

  private GpuSelectors() {}

  /** The selector's form, or throws {@link IllegalArgumentException} saying what is wrong. */
  static Form classify(String s) {
    if (INDEX.matcher(s).matches()) {
      return Form.INDEX;
    }
    if (MIG_PAIR.matcher(s).matches()) {
      return Form.MIG_PAIR;
    }
    String upper = s.toUpperCase(Locale.ROOT);
    if (upper.startsWith("MIG-")) {
      if (LEGACY_MIG.matcher(s).matches() || isUuidPrefix(s.substring(4), true)) {
        return Form.MIG_UUID;
      }
      throw new IllegalArgumentException(
          "`" + s + "` is not a MIG device UUID; write the full MIG-<uuid> from `nvidia-smi -L`");
    }
    if (upper.startsWith("GPU-")) {
      String rest = s.substring(4);
      if (rest.isEmpty()) {
        throw new IllegalArgumentException(
            "`"
                + s
                + "` has no UUID after GPU-; write the full GPU-<uuid> or its first"
                + " characters");
      }
      if (isUuidPrefix(rest, false)) {
        return Form.GPU_UUID;
      }
      throw new IllegalArgumentException(
          "`"
              + s
              + "` is not a GPU UUID or a prefix of one (hex digits in the pattern "
              + UUID_TEMPLATE
              + "); copy it from `nvidia-smi -L`");
    }
    if (s.matches("0[0-9]+")) {
      throw new IllegalArgumentException(
          "`" + s + "` has a leading zero; write the index as " + s.replaceFirst("^0+(?=.)", ""));
    }
    if (s.matches("[0-9]+[^0-9].*")) {
      throw new IllegalArgumentException(
          "`"
              + s
              + "` is not a GPU selector (CUDA would silently read it as "
              + s.replaceFirst("[^0-9].*", "")
              + "); "
              + FORMS);
    }
    if (s.equals("all") || s.equals("none")) {
      throw new IllegalArgumentException(
          "`" + s + "` inside a list is not a selector; write `gpus: " + s + "` without brackets");
    }
    throw new IllegalArgumentException("`" + s + "` is not a GPU selector; " + FORMS);
  }

  /** Selectors that name the same device whatever the host: case-insensitive UUIDs. */
  static String normalise(String s, Form form) {
    return form == Form.GPU_UUID || form == Form.MIG_UUID ? s.toLowerCase(Locale.ROOT) : s;
  }

  private static boolean isUuidPrefix(String s, boolean full) {
    if (s.length() > UUID_TEMPLATE.length() || (full && s.length() != UUID_TEMPLATE.length())) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = Character.toLowerCase(s.charAt(i));
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      boolean ok = UUID_TEMPLATE.charAt(i) == '-' ? c == '-' : hex;
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
