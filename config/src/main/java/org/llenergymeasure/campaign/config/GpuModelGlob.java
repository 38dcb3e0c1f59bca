package org.llenergymeasure.campaign.config;

import java.util.Locale;

/**
 * A GPU model glob ({@code gpus.model}, a host selector's {@code gpuModel}) matched against the
 * product name nvidia-smi gives ({@code NVIDIA H100 80GB HBM3}): {@code *} is any text, {@code ?}
 * one character, everything else itself, ignoring case. The whole name must match, so {@code
 * *H100*} rather than {@code H100}. Pure: the placement rule runs it in workflow code.
 */
public final class GpuModelGlob {

  private GpuModelGlob() {}

  /** Whether {@code name} matches {@code glob}; a null name (unknown model) matches nothing. */
  public static boolean matches(String glob, String name) {
    if (name == null) {
      return false;
    }
    String g = glob.toLowerCase(Locale.ROOT);
    String n = name.toLowerCase(Locale.ROOT);
    int gi = 0;
    int ni = 0;
    int star = -1;
    int mark = 0;
    while (ni < n.length()) {
      if (gi < g.length() && (g.charAt(gi) == '?' || g.charAt(gi) == n.charAt(ni))) {
        gi++;
        ni++;
      } else if (gi < g.length() && g.charAt(gi) == '*') {
        star = gi++;
        mark = ni;
      } else if (star >= 0) {
        gi = star + 1;
        ni = ++mark;
      } else {
        return false;
      }
    }
    while (gi < g.length() && g.charAt(gi) == '*') {
      gi++;
    }
    return gi == g.length();
  }
}
