package org.llenergymeasure.campaign.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the experiment fields of one source mapping and turns them into a {@link Fragment}. Every
 * check that depends on one field alone happens here, once per place the user wrote it; checks
 * across fields happen after merging ({@link ExperimentResolver}).
 *
 * <p>This class knows the keys and where each may be written; the fields themselves are read by
 * {@link ContainerFields} (image, command, env, mounts, results), {@link RoutingFields} and {@link
 * GpuRequests} (GPUs, parallelism, host), {@link MeasurementFields} (retries, remeasure,
 * measurement) and {@link LlenergymeasureFields} (llenergymeasure). docs/adding-a-campaign-key.md
 * says where a new key goes.
 */
final class ExperimentFields {

  /** Where a fragment comes from; decides which keys are allowed and how to talk about it. */
  enum Source {
    DEFAULTS("defaults"),
    GRID_BASE("grid.base"),
    VARIANT("a grid variant"),
    EXPERIMENT("an experiment");

    final String label;

    Source(String label) {
      this.label = label;
    }
  }

  static final List<String> FIELD_KEYS =
      List.of(
          "image",
          "command",
          "gpus",
          "parallelism",
          "env",
          "secrets",
          "mounts",
          "resultsDir",
          "resultFile",
          "shmSize",
          "ipc",
          "timeout",
          "silenceTimeout",
          "retries",
          "memory",
          "network",
          "busy",
          "probe",
          "host",
          "labels",
          "remeasure",
          "measurement",
          "allowDangerousMounts",
          LlenergymeasureFields.KEY,
          "logLimit",
          "user");

  private final Fields f;
  private final ContainerFields container;
  private final RoutingFields routing;
  private final MeasurementFields measurement;
  private final LlenergymeasureFields llenergymeasure;

  ExperimentFields(Fields fields) {
    this.f = fields;
    this.container = new ContainerFields(fields);
    this.routing = new RoutingFields(fields);
    this.measurement = new MeasurementFields(fields);
    this.llenergymeasure = new LlenergymeasureFields(fields);
  }

  static Set<String> knownKeys(Source source) {
    Set<String> keys = new LinkedHashSet<>();
    if (source == Source.EXPERIMENT) {
      keys.add("name");
    }
    if (source == Source.VARIANT) {
      keys.add("value");
    }
    keys.addAll(FIELD_KEYS);
    return keys;
  }

  /**
   * @param axes axis names of the grid, used to check placeholders in grid sources; empty otherwise
   */
  Fragment parse(YamlMap map, String path, Source source, Set<String> axes) {
    Fragment out = new Fragment();
    Set<String> known = knownKeys(source);
    for (YamlMap.Entry e : map.all()) {
      String key = e.key();
      String keyPath = YamlPath.key(path, key);
      if (key.equals("name") && source != Source.EXPERIMENT) {
        f.sink()
            .error(
                e.keyMark(),
                keyPath,
                switch (source) {
                  case DEFAULTS ->
                      "`name` cannot be a default: every experiment needs its own name";
                  case GRID_BASE ->
                      "grid experiments are named by `grid.name`, not by `grid.base.name`";
                  default -> "a variant is named by its `value`; `{axis}` in grid.name gives it";
                });
        continue;
      }
      if (!known.contains(key)) {
        continue; // reported by checkKeys below
      }
      if (key.equals("value")) {
        continue; // the grid's, not an experiment field
      }
      Object v = parseField(key, e.value(), keyPath);
      if (v == null) {
        out.invalid.add(key);
      } else {
        out.fields.put(key, new Field(v, e.value(), keyPath));
      }
    }
    f.checkKeys(
        map, path, known, source.label, source == Source.EXPERIMENT ? Set.of() : Set.of("name"));
    if (source == Source.GRID_BASE || source == Source.VARIANT) {
      checkPlaceholders(out, axes);
    }
    return out;
  }

  private Object parseField(String key, YamlNode n, String path) {
    return switch (key) {
      case "name" -> name(n, path);
      case "image" -> container.image(n, path);
      case "command", "probe" -> container.command(n, path, key);
      case "gpus" -> new GpuRequests(f).parse(n, path);
      case "parallelism" -> routing.parallelism(n, path);
      case "env" -> container.env(n, path);
      case "labels" -> container.labels(n, path);
      case "secrets" -> container.secrets(n, path);
      case "mounts" -> container.mounts(n, path);
      case "allowDangerousMounts" -> f.bool(n, path);
      case "resultsDir" -> container.resultsDir(n, path);
      case "resultFile" -> container.resultFile(n, path);
      case "shmSize", "memory" -> f.size(n, path);
      case "logLimit" -> container.logLimit(n, path);
      case "user" -> container.user(n, path);
      case "ipc" -> f.choice(n, path, ContainerFields.IPC);
      case "network" -> f.choice(n, path, ContainerFields.NETWORK);
      case "busy" -> f.choice(n, path, RoutingFields.BUSY);
      case "timeout", "silenceTimeout" -> f.duration(n, path, true);
      case "retries" -> measurement.retries(n, path);
      case "remeasure" -> measurement.remeasure(n, path);
      case "measurement" -> measurement.measurement(n, path);
      case "host" -> routing.host(n, path);
      case LlenergymeasureFields.KEY -> llenergymeasure.parse(n, path);
      default -> throw new IllegalStateException("no parser for " + key);
    };
  }

  private String name(YamlNode n, String path) {
    String t = f.text(n, path);
    if (t == null) {
      return null;
    }
    String problem = Names.nameProblem(t);
    if (problem != null) {
      f.error(n, path, "experiment name " + problem);
      return null;
    }
    return t;
  }

  /** In grid sources a {@code {x}} must name an axis: anything else is most likely a typo. */
  private void checkPlaceholders(Fragment frag, Set<String> axes) {
    for (String key : List.of("command", "env", "labels")) {
      Field field = frag.get(key);
      if (field == null) {
        continue;
      }
      if (field.value() instanceof List<?> words) {
        for (Object w : words) {
          checkText((String) w, field.node(), field.path(), axes, frag, key);
        }
      } else if (field.value() instanceof Map<?, ?> m) {
        for (Object v : m.values()) {
          Field entry = (Field) v;
          checkText(entry.string(), entry.node(), entry.path(), axes, frag, key);
        }
      }
    }
    Field llem = frag.get(LlenergymeasureFields.KEY);
    @SuppressWarnings("unchecked")
    Field config = llem == null ? null : ((Map<String, Field>) llem.value()).get("config");
    if (config != null) {
      ConfigJson.eachText(
          config.node(),
          config.path(),
          (s, path) -> checkText(s.text(), s, path, axes, frag, LlenergymeasureFields.KEY));
    }
  }

  private void checkText(
      String text, YamlNode node, String path, Set<String> axes, Fragment frag, String key) {
    for (String name : Placeholders.names(text)) {
      if (!axes.contains(name)) {
        String near = Suggestions.nearest(name, axes);
        f.error(
            node,
            path,
            "`{"
                + name
                + "}` names no axis of the grid; axes are "
                + String.join(", ", axes)
                + (near != null ? " (did you mean {" + near + "}?)" : ""));
        frag.fields.remove(key);
        frag.invalid.add(key);
      }
    }
  }
}
