package org.llenergymeasure.campaign.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the top-level {@code hosts}: {@code any}, or a list whose items are host ids or selectors
 * {@code {gpuModel: glob, minMemoryGiB: N}}. Each mistake is reported at its place.
 */
final class HostsFields {

  static final List<String> SELECTOR_KEYS = List.of("gpuModel", "minMemoryGiB");
  static final int MAX_MEMORY_GIB = 1 << 20;

  /**
   * What {@code hosts} said.
   *
   * @param names the host ids listed ({@link Campaign#hosts()})
   * @param spec the placement form, or null when absent or a list of host ids only
   */
  record Read(List<String> names, HostsSpec spec) {}

  private static final Read NONE = new Read(List.of(), null);

  private final Fields f;

  HostsFields(Fields f) {
    this.f = f;
  }

  Read parse(YamlMap root) {
    if (!root.has("hosts")) {
      return NONE;
    }
    YamlNode n = root.get("hosts");
    if (n instanceof YamlScalar s && !s.isNull() && s.kind() == YamlScalar.Kind.STRING) {
      if (s.text().equals("any")) {
        return new Read(List.of(), HostsSpec.anyHost());
      }
      String near = Suggestions.nearest(s.text(), List.of("any"));
      f.error(
          n,
          "hosts",
          "`"
              + s.text()
              + "` is not a hosts form; write any (every registered host) or a list of host ids"
              + " and selectors such as [gpu-node-1, {gpuModel: \"*H100*\"}]"
              + (near != null ? " (did you mean `any`?)" : ""));
      return NONE;
    }
    YamlList l = f.list(n, "hosts");
    if (l == null) {
      return NONE;
    }
    if (l.items().isEmpty()) {
      f.error(
          n,
          "hosts",
          "is empty, so no host could run anything; remove `hosts` to use the host `run` starts"
              + " on, or write hosts: any for every registered host");
      return NONE;
    }
    return list(l);
  }

  private Read list(YamlList l) {
    List<String> names = new ArrayList<>();
    List<HostSelector> selectors = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean ok = true;
    for (int i = 0; i < l.items().size(); i++) {
      YamlNode item = l.items().get(i);
      String path = YamlPath.index("hosts", i);
      if (item instanceof YamlMap m) {
        HostSelector s = selector(m, path);
        ok &= s != null;
        if (s != null) {
          selectors.add(s);
        }
        continue;
      }
      String t = f.text(item, path);
      if (t == null) {
        ok = false;
      } else if (t.equals("any")) {
        f.error(
            item, path, "any means every registered host; write hosts: any alone, not in a list");
        ok = false;
      } else if (!Names.HOST_ID.matcher(t).matches()) {
        f.error(item, path, "`" + t + "` is not a valid host id: " + Names.HOST_RULE);
        ok = false;
      } else if (seen.putIfAbsent(t, i) != null) {
        f.error(
            item,
            path,
            "`"
                + t
                + "` is listed twice (also "
                + YamlPath.index("hosts", seen.get(t))
                + "); list each host once");
        ok = false;
      } else {
        names.add(t);
      }
    }
    if (!ok) {
      return NONE;
    }
    return new Read(names, selectors.isEmpty() ? null : new HostsSpec(false, names, selectors));
  }

  private HostSelector selector(YamlMap m, String path) {
    int errors = f.sink().errorCount();
    f.checkKeys(m, path, SELECTOR_KEYS, "a host selector");
    if (m.entries().isEmpty()) {
      f.error(
          m,
          path,
          "is an empty selector, which would match every host; write hosts: any for that, or"
              + " give gpuModel and/or minMemoryGiB");
      return null;
    }
    String model = null;
    YamlNode g = m.get("gpuModel");
    if (g != null) {
      String gp = YamlPath.key(path, "gpuModel");
      if (g instanceof YamlScalar s && !s.isNull() && s.text().isBlank()) {
        f.error(g, gp, "is an empty glob; write a GPU name glob such as \"*H100*\"");
      } else {
        model = f.text(g, gp);
      }
    }
    Integer memory = null;
    YamlNode mem = m.get("minMemoryGiB");
    if (mem != null) {
      memory = f.integer(mem, YamlPath.key(path, "minMemoryGiB"), 1, MAX_MEMORY_GIB);
    }
    if (f.sink().errorCount() > errors || (model == null && memory == null)) {
      return null;
    }
    return new HostSelector(model, memory);
  }
}
