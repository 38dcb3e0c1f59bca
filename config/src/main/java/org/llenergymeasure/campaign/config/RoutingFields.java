package org.llenergymeasure.campaign.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where and on what an experiment runs, besides {@code gpus} ({@link GpuRequests}): {@code
 * parallelism}, the pinned {@code host}, and the {@code busy} policy's choices. Each read reports
 * what was wrong at the value's place and returns null.
 */
final class RoutingFields {

  static final List<String> BUSY = List.of("wait", "fail", "ignore");
  static final int MAX_PARALLEL = 1024;

  private final Fields f;

  RoutingFields(Fields fields) {
    this.f = fields;
  }

  Map<String, Field> parallelism(YamlNode n, String path) {
    YamlMap m = f.map(n, path);
    if (m == null) {
      if (n instanceof YamlScalar s && s.kind() == YamlScalar.Kind.INT) {
        f.sink()
            .error(n.mark(), path, "write parallelism as {tensor: " + s.text() + ", pipeline: 1}");
      }
      return null;
    }
    f.checkKeys(m, path, List.of("tensor", "pipeline"), "parallelism");
    Map<String, Field> out = new LinkedHashMap<>();
    boolean ok = true;
    for (String k : List.of("tensor", "pipeline")) {
      YamlNode v = m.get(k);
      if (v == null) {
        continue;
      }
      Integer i = f.integer(v, YamlPath.key(path, k), 1, MAX_PARALLEL);
      if (i == null) {
        ok = false;
      } else {
        out.put(k, new Field(i, v, YamlPath.key(path, k)));
      }
    }
    if (ok && m.entries().isEmpty()) {
      f.error(n, path, "is empty; give tensor (and pipeline), e.g. {tensor: 2}, or remove it");
      return null;
    }
    return ok && !out.isEmpty() ? out : null;
  }

  String host(YamlNode n, String path) {
    String t = f.text(n, path);
    if (t == null) {
      return null;
    }
    if (!Names.HOST_ID.matcher(t).matches()) {
      f.error(n, path, "`" + t + "` is not a valid host id: " + Names.HOST_RULE);
      return null;
    }
    return t;
  }
}
