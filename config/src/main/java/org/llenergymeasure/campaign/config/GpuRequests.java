package org.llenergymeasure.campaign.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code gpus} value: {@code all}, {@code none}, {@code {count: N}} (with an optional
 * {@code model} glob) or a list of selectors. Selectors keep the text as written (YAML {@code 1}
 * becomes "1").
 */
final class GpuRequests {

  static final int MAX_COUNT = 1024;

  private final Fields f;

  GpuRequests(Fields f) {
    this.f = f;
  }

  GpuRequest parse(YamlNode n, String path) {
    if (n instanceof YamlMap m) {
      return count(m, path);
    }
    if (n instanceof YamlList l) {
      return list(l, path);
    }
    YamlScalar s = (YamlScalar) n;
    switch (s.kind()) {
      case NULL -> {
        f.error(
            n,
            path,
            "has no value; write none for no GPU, all, a list such as [0, 1]," + " or {count: 2}");
        return null;
      }
      case INT -> {
        f.error(
            n,
            path,
            "a bare number is ambiguous; write ["
                + s.text()
                + "] for GPU "
                + s.text()
                + " or {count: "
                + s.text()
                + "} for any "
                + s.text()
                + " idle GPUs");
        return null;
      }
      default -> {}
    }
    String t = s.text();
    if (t.equals("all")) {
      return GpuRequest.all();
    }
    if (t.equals("none")) {
      return GpuRequest.none();
    }
    if (t.contains(",")) {
      f.error(
          n,
          path,
          "`" + t + "` is one text; write a YAML list such as [" + t.replace(",", ", ") + "]");
      return null;
    }
    String near = Suggestions.nearest(t, List.of("all", "none"));
    f.error(
        n,
        path,
        "`"
            + t
            + "` is not a GPU selection; write all, none, a list such as [0, 1]"
            + " or {count: 2}"
            + (near != null && s.kind() == YamlScalar.Kind.STRING
                ? " (did you mean `" + near + "`?)"
                : ""));
    return null;
  }

  private GpuRequest count(YamlMap m, String path) {
    f.checkKeys(m, path, List.of("count", "model"), "gpus");
    YamlNode c = m.get("count");
    String model = m.has("model") ? model(m.get("model"), YamlPath.key(path, "model")) : null;
    if (c == null) {
      if (m.entries().isEmpty()) {
        f.error(m, path, "is empty; write {count: N} for any N idle GPUs");
      } else if (m.has("model")) {
        f.error(
            m,
            path,
            "model needs a count: write {count: 1, model: \"*H100*\"} for any one idle GPU"
                + " of that model");
      }
      return null;
    }
    String countPath = YamlPath.key(path, "count");
    if (c instanceof YamlScalar s
        && s.kind() == YamlScalar.Kind.INT
        && s.text().matches("-?[0-9]+")
        && Long.parseLong(s.text()) < 1) {
      f.error(
          c,
          countPath,
          s.text()
              + " GPUs is not a request; count is at least 1 (write"
              + " gpus: none for no GPU)");
      return null;
    }
    Integer n = f.integer(c, countPath, 1, MAX_COUNT);
    int known = m.has("model") ? 2 : 1;
    if (n == null || m.entries().size() != known || (m.has("model") && model == null)) {
      return null;
    }
    return GpuRequest.count(n, model);
  }

  /** {@code gpus.model}: one non-empty glob. */
  private String model(YamlNode n, String path) {
    if (n instanceof YamlList) {
      f.error(
          n,
          path,
          "model is one glob of the GPU's name such as \"*H100*\", not a list; to name GPUs"
              + " by index write gpus: [0, 1] (without count or model)");
      return null;
    }
    if (n instanceof YamlScalar s && s.kind() == YamlScalar.Kind.INT) {
      f.error(
          n,
          path,
          "model is a glob of the GPU's name such as \"*H100*\"; to name GPU "
              + s.text()
              + " write gpus: ["
              + s.text()
              + "]");
      return null;
    }
    if (n instanceof YamlScalar s && !s.isNull() && s.text().isBlank()) {
      f.error(
          n, path, "is an empty glob; write a GPU name glob such as \"*H100*\" or remove model");
      return null;
    }
    return f.text(n, path);
  }

  private GpuRequest list(YamlList l, String path) {
    if (l.items().isEmpty()) {
      f.error(l, path, "an empty list selects no GPU; write gpus: none to say so");
      return null;
    }
    List<String> selectors = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    int migs = 0;
    int fulls = 0;
    boolean ok = true;
    for (int i = 0; i < l.items().size(); i++) {
      YamlNode item = l.items().get(i);
      String itemPath = YamlPath.index(path, i);
      if (!(item instanceof YamlScalar s)
          || s.isNull()
          || s.kind() == YamlScalar.Kind.BOOL
          || s.kind() == YamlScalar.Kind.FLOAT) {
        f.error(
            item,
            itemPath,
            "expected a GPU selector, found " + item.describe() + "; " + GpuSelectors.FORMS);
        ok = false;
        continue;
      }
      GpuSelectors.Form form;
      try {
        form = GpuSelectors.classify(s.text());
      } catch (IllegalArgumentException e) {
        f.error(item, itemPath, e.getMessage());
        ok = false;
        continue;
      }
      Integer first = seen.putIfAbsent(GpuSelectors.normalise(s.text(), form), i);
      if (first != null) {
        f.error(
            item,
            itemPath,
            "`"
                + s.text()
                + "` is already selected by "
                + YamlPath.index(path, first)
                + "; select each GPU once");
        ok = false;
        continue;
      }
      if (form == GpuSelectors.Form.MIG_UUID || form == GpuSelectors.Form.MIG_PAIR) {
        migs++;
      } else {
        fulls++;
      }
      selectors.add(s.text());
    }
    if (ok && migs > 1) {
      f.error(
          l,
          path,
          "selects "
              + migs
              + " MIG devices; a CUDA process can use only one MIG"
              + " device, so select one");
      return null;
    }
    if (ok && migs > 0 && fulls > 0) {
      f.error(
          l,
          path,
          "mixes a MIG device with full GPUs; CUDA cannot use both in one process,"
              + " so select either one MIG device or full GPUs");
      return null;
    }
    return ok ? GpuRequest.of(selectors) : null;
  }
}
