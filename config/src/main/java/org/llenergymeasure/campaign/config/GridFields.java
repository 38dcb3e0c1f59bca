package org.llenergymeasure.campaign.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks the {@code grid} section; returns null when it cannot be expanded. */
final class GridFields {

  static final List<String> KEYS = List.of("name", "base", "axes");
  static final long MAX_EXPERIMENTS = 100_000;

  private final Fields f;
  private final ExperimentFields experimentFields;

  GridFields(Fields f, ExperimentFields experimentFields) {
    this.f = f;
    this.experimentFields = experimentFields;
  }

  Grid parse(YamlNode node, String path) {
    YamlMap m = f.map(node, path);
    if (m == null) {
      return null;
    }
    f.checkKeys(m, path, KEYS, "grid");
    boolean ok = true;

    // Axis names first: placeholders in base and variants are checked against them.
    String axesPath = YamlPath.key(path, "axes");
    YamlMap axesMap = null;
    if (!m.has("axes")) {
      f.error(m, axesPath, "is missing; a grid needs axes, e.g. axes: {batch: [1, 8, 32]}");
      ok = false;
    } else {
      axesMap = f.map(m.get("axes"), axesPath);
      if (axesMap != null && axesMap.entries().isEmpty()) {
        f.error(axesMap, axesPath, "has no axes; add at least one, e.g. batch: [1, 8, 32]");
        axesMap = null;
      }
      ok &= axesMap != null;
    }
    Set<String> axisNames = new LinkedHashSet<>();
    if (axesMap != null) {
      for (YamlMap.Entry e : axesMap.all()) {
        if (Placeholders.AXIS_NAME.matcher(e.key()).matches()) {
          axisNames.add(e.key());
        } else {
          f.sink()
              .error(
                  e.keyMark(),
                  YamlPath.key(axesPath, e.key()),
                  "`"
                      + e.key()
                      + "` is not a valid axis name: letters, digits and '_', not starting with a digit"
                      + " (it is used as {"
                      + e.key()
                      + "})");
          ok = false;
        }
      }
    }

    Fragment base = new Fragment();
    if (m.has("base")) {
      YamlMap b = f.map(m.get("base"), YamlPath.key(path, "base"));
      if (b != null) {
        base =
            experimentFields.parse(
                b, YamlPath.key(path, "base"), ExperimentFields.Source.GRID_BASE, axisNames);
      }
    }

    List<Grid.Axis> axes = new ArrayList<>();
    if (axesMap != null) {
      for (YamlMap.Entry e : axesMap.all()) {
        if (!axisNames.contains(e.key())) {
          continue;
        }
        Grid.Axis axis = axis(e, YamlPath.key(axesPath, e.key()), axisNames);
        if (axis == null) {
          ok = false;
        } else {
          axes.add(axis);
        }
      }
    }

    String namePath = YamlPath.key(path, "name");
    YamlNode nameNode = m.get("name");
    String template = null;
    if (nameNode == null) {
      f.error(
          m,
          namePath,
          "is missing; a grid needs a name template such as"
              + " \"{backend}-bs{batch}\" that gives every experiment its own name");
      ok = false;
    } else {
      template = f.text(nameNode, namePath);
      ok &= template != null && ok && checkTemplate(template, nameNode, namePath, axes);
    }
    if (!ok) {
      return null;
    }
    Grid grid = new Grid(template, nameNode, namePath, base, axes);
    if (grid.size() > MAX_EXPERIMENTS) {
      f.error(
          axesMap,
          axesPath,
          "expands to "
              + (grid.size() == Long.MAX_VALUE ? "too many" : String.valueOf(grid.size()))
              + " experiments; at most "
              + MAX_EXPERIMENTS
              + " are allowed, so use fewer axis values");
      return null;
    }
    return grid;
  }

  private Grid.Axis axis(YamlMap.Entry e, String path, Set<String> axisNames) {
    YamlList l = f.list(e.value(), path);
    if (l == null) {
      return null;
    }
    if (l.items().isEmpty()) {
      f.error(
          l,
          path,
          "axis `"
              + e.key()
              + "` has no values, so the grid would expand to no"
              + " experiment; give at least one value or remove the axis");
      return null;
    }
    List<Grid.Variant> variants = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean ok = true;
    for (int i = 0; i < l.items().size(); i++) {
      YamlNode item = l.items().get(i);
      String itemPath = YamlPath.index(path, i);
      String value;
      Fragment fragment = new Fragment();
      YamlNode valueNode = item;
      if (item instanceof YamlMap vm) {
        valueNode = vm.get("value");
        fragment = experimentFields.parse(vm, itemPath, ExperimentFields.Source.VARIANT, axisNames);
        if (valueNode == null) {
          f.error(
              vm,
              YamlPath.key(itemPath, "value"),
              "is missing; a variant mapping needs"
                  + " `value:`, what {"
                  + e.key()
                  + "} gives, e.g. {value: vllm, image: …}");
          ok = false;
          continue;
        }
        value = f.text(valueNode, YamlPath.key(itemPath, "value"));
      } else {
        value = f.text(item, itemPath);
      }
      if (value == null) {
        ok = false;
        continue;
      }
      Integer first = seen.putIfAbsent(value, i);
      if (first != null) {
        f.error(
            valueNode,
            itemPath,
            "`"
                + value
                + "` appears twice in axis "
                + e.key()
                + " (also "
                + YamlPath.index(path, first)
                + "); list each value once");
        ok = false;
        continue;
      }
      variants.add(new Grid.Variant(value, valueNode, fragment));
    }
    return ok ? new Grid.Axis(e.key(), variants) : null;
  }

  private boolean checkTemplate(String template, YamlNode node, String path, List<Grid.Axis> axes) {
    Set<String> names = new LinkedHashSet<>();
    for (Grid.Axis a : axes) {
      names.add(a.name());
    }
    boolean ok = true;
    List<String> used = Placeholders.names(template);
    for (String p : used) {
      if (!names.contains(p)) {
        String near = Suggestions.nearest(p, names);
        f.error(
            node,
            path,
            "`{"
                + p
                + "}` names no axis; the axes are "
                + String.join(", ", names)
                + (near != null ? " (did you mean {" + near + "}?)" : ""));
        ok = false;
      }
    }
    if (!ok) {
      return false;
    }
    long size = new Grid(template, node, path, new Fragment(), axes).size();
    if (used.isEmpty() && size > 1) {
      f.error(
          node,
          path,
          "`"
              + template
              + "` has no {axis} placeholder, but the grid expands to "
              + size
              + " experiments that would all be named `"
              + template
              + "`; add placeholders"
              + " such as {"
              + axes.get(0).name()
              + "}");
      return false;
    }
    for (Grid.Axis a : axes) {
      if (a.variants().size() > 1 && !used.contains(a.name())) {
        f.error(
            node,
            path,
            "`"
                + template
                + "` has no {"
                + a.name()
                + "}, but axis "
                + a.name()
                + " has "
                + a.variants().size()
                + " values, so experiment names would collide; add {"
                + a.name()
                + "} to the name");
        ok = false;
      }
    }
    return ok;
  }
}
