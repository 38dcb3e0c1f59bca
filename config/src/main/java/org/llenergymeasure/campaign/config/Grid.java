package org.llenergymeasure.campaign.config;

import java.util.List;

/**
 * A checked {@code grid} section, ready to expand: the name template, the base fragment and the
 * axes in the order written (the first axis is the outermost loop).
 */
record Grid(String template, YamlNode nameNode, String namePath, Fragment base, List<Axis> axes) {

  /**
   * One value of an axis: what {@code {axis}} gives, the scalar it was written as (its type is kept
   * where a config value is exactly {@code "{axis}"}), and the experiment fields it sets.
   */
  record Variant(String value, YamlNode valueNode, Fragment fragment) {}

  record Axis(String name, List<Variant> variants) {}

  /** The number of experiments the grid expands to (saturating, to report huge grids). */
  long size() {
    long n = 1;
    for (Axis a : axes) {
      n =
          Math.multiplyHigh(n, a.variants().size()) != 0
              ? Long.MAX_VALUE
              : Math.min(Long.MAX_VALUE, n * a.variants().size());
    }
    return n;
  }
}
