package org.llenergymeasure.campaign.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a merged {@link Fragment} into an {@link Experiment}: substitutes grid placeholders,
 * applies the defaults of campaign-format.md and runs the checks that need several fields.
 */
final class ExperimentResolver {

  static final String DEFAULT_RESULTS_DIR = "/results";
  static final String DEFAULT_RESULT_FILE = "result.json";
  static final Duration DEFAULT_TIMEOUT = Duration.ofHours(12);
  static final Duration DEFAULT_SILENCE_TIMEOUT = Duration.ofMinutes(30);

  /**
   * Where an experiment was defined, for messages: an explicit experiment's mapping, or the grid's
   * name template (with the expanded name as the subject of grouped errors).
   */
  record Origin(Mark mark, String path, String gridSubject) {}

  private final ErrorSink sink;
  private final List<String> hosts;
  private final boolean hostsInvalid;
  private final LlenergymeasureResolver llenergymeasure;

  /**
   * @param hostsInvalid the campaign's {@code hosts} had errors, so pinned hosts are not checked
   *     against it
   * @param attach the campaign's attach mode ({@code llenergymeasure.python} needs {@code process})
   */
  ExperimentResolver(Fields f, List<String> hosts, boolean hostsInvalid, AttachMode attach) {
    this.sink = f.sink();
    this.hosts = hosts;
    this.hostsInvalid = hostsInvalid;
    this.llenergymeasure = new LlenergymeasureResolver(f, attach);
  }

  /**
   * Null when a check failed (and was reported).
   *
   * @param bindings the grid's axis values as text ({@code {axis}} in names, commands, env, labels)
   * @param typed the same values as written, for config values that are exactly {@code "{axis}"}
   */
  Experiment resolve(
      String name,
      Fragment m,
      Map<String, String> bindings,
      Map<String, YamlNode> typed,
      Origin origin) {
    boolean ok = true;
    String image = str(m, "image");
    Long shmSize = m.get("shmSize") != null ? (Long) m.get("shmSize").value() : null;
    LlenergymeasureSpec llem = null;
    boolean llemSet = m.get(LlenergymeasureFields.KEY) != null;
    if (llemSet) {
      LlenergymeasureResolver.Resolved r =
          llenergymeasure.resolve(
              m, bindings, typed, (at, message) -> report(origin, name, at, message));
      ok &= r != null;
      if (r != null) {
        llem = r.spec();
        image = r.image();
        shmSize = r.shmSize();
      }
    }
    if (image == null
        && !llemSet
        && !m.invalid.contains("image")
        && !m.invalid.contains(LlenergymeasureFields.KEY)) {
      if (origin.gridSubject() == null) {
        sink.error(
            origin.mark(),
            origin.path(),
            "has no image; add `image:` to this experiment" + " or to `defaults`");
      } else {
        sink.errorFor(
            origin.mark(),
            origin.path(),
            "grid experiments need an image; add"
                + " `image:` to grid.base, to the variants of an axis, or to defaults",
            origin.gridSubject());
      }
      ok = false;
    }
    List<String> command = words(m, "command", bindings);
    GpuRequest gpus =
        m.get("gpus") != null ? (GpuRequest) m.get("gpus").value() : GpuRequest.none();
    Parallelism parallelism = parallelism(m);
    Map<String, String> env = strings(m, "env", bindings);
    @SuppressWarnings("unchecked")
    List<String> secrets =
        m.get("secrets") != null ? (List<String>) m.get("secrets").value() : List.of();
    @SuppressWarnings("unchecked")
    List<Mount> mounts =
        m.get("mounts") != null ? (List<Mount>) m.get("mounts").value() : List.of();
    String resultsDir = orDefault(str(m, "resultsDir"), DEFAULT_RESULTS_DIR);
    String resultFile = orDefault(str(m, "resultFile"), DEFAULT_RESULT_FILE);
    String ipc = orDefault(str(m, "ipc"), "private");
    Duration timeout =
        m.get("timeout") != null ? (Duration) m.get("timeout").value() : DEFAULT_TIMEOUT;
    Duration silence =
        m.get("silenceTimeout") != null
            ? (Duration) m.get("silenceTimeout").value()
            : DEFAULT_SILENCE_TIMEOUT;
    int retries = m.get("retries") != null ? (Integer) m.get("retries").value() : 0;
    Long memory = m.get("memory") != null ? (Long) m.get("memory").value() : null;
    String network = orDefault(str(m, "network"), "bridge");
    BusyPolicy busy = BusyPolicy.fromYaml(orDefault(str(m, "busy"), "wait"));
    List<String> probe = words(m, "probe", Map.of());
    String host = str(m, "host");
    Map<String, String> labels = strings(m, "labels", bindings);
    int remeasure = m.get("remeasure") != null ? (Integer) m.get("remeasure").value() : 0;
    Measurement measurement = measurement(m);
    boolean allowDangerousMounts =
        m.get("allowDangerousMounts") != null && (Boolean) m.get("allowDangerousMounts").value();
    Long logLimit = m.get("logLimit") != null ? (Long) m.get("logLimit").value() : null;
    String user = str(m, "user");

    Integer selected = gpus.knownCount();
    if (parallelism != null
        && selected != null
        && parallelism.gpus() != selected
        && !m.invalid.contains("parallelism")
        && !m.invalid.contains("gpus")) {
      Field at = m.get("parallelism");
      ok &=
          report(
              origin,
              name,
              at,
              "tensor "
                  + parallelism.tensor()
                  + " × pipeline "
                  + parallelism.pipeline()
                  + " = "
                  + parallelism.gpus()
                  + " GPUs, but gpus ("
                  + gpus
                  + ") selects "
                  + selected
                  + "; make them equal");
    }
    for (int i = 0; i < mounts.size(); i++) {
      if (normalise(mounts.get(i).target()).equals(normalise(resultsDir))
          && !m.invalid.contains("resultsDir")) {
        ok &=
            report(
                origin,
                name,
                mountField(m.get("mounts"), i, "target"),
                "`"
                    + mounts.get(i).target()
                    + "` is where the run's results folder (resultsDir) is mounted; mount it elsewhere");
      }
    }
    for (int i = 0; i < mounts.size(); i++) {
      Mount mount = mounts.get(i);
      String what = HostMounts.systemFolder(mount.source());
      if (what == null) {
        continue;
      }
      Field at = mountField(m.get("mounts"), i, "source");
      if (allowDangerousMounts) {
        sink.warning(
            at.mark(), at.path(), HostMounts.systemWarning(mount.source(), what, mount.readOnly()));
      } else if (!m.invalid.contains("allowDangerousMounts")) {
        ok &= report(origin, name, at, HostMounts.systemProblem(mount.source(), what));
      }
    }
    for (String s : secrets) {
      if (env.containsKey(s) && !m.invalid.contains("env")) {
        ok &=
            report(
                origin,
                name,
                m.get("secrets"),
                "`" + s + "` is both a secret and set in env;" + " keep one of them");
      }
    }
    if (host != null && !hosts.isEmpty() && !hosts.contains(host) && !hostsInvalid) {
      ok &=
          report(
              origin,
              name,
              m.get("host"),
              "`"
                  + host
                  + "` is not one of this campaign's"
                  + " hosts ("
                  + String.join(", ", hosts)
                  + "); add it to `hosts` or pin another host");
    }
    if (!ok) {
      return null;
    }
    return new Experiment(
        name,
        image,
        command,
        gpus,
        parallelism,
        env,
        secrets,
        mounts,
        resultsDir,
        resultFile,
        shmSize,
        ipc,
        timeout,
        silence,
        retries,
        memory,
        network,
        busy,
        probe,
        host,
        labels,
        remeasure,
        measurement,
        allowDangerousMounts,
        llem,
        logLimit,
        user);
  }

  /** The merged {@code measurement} keys over the defaults of Measurement.DEFAULT. */
  private static Measurement measurement(Fragment m) {
    Field f = m.get("measurement");
    Measurement d = Measurement.DEFAULT;
    if (f == null) {
      return d;
    }
    @SuppressWarnings("unchecked")
    Map<String, Field> map = (Map<String, Field>) f.value();
    return new Measurement(
        map.containsKey("check") ? (Boolean) map.get("check").value() : d.check(),
        map.containsKey("energyTolerance")
            ? (Double) map.get("energyTolerance").value()
            : d.energyTolerance(),
        map.containsKey("compareEnergy") ? map.get("compareEnergy").string() : d.compareEnergy(),
        map.containsKey("allowThermalThrottle")
            ? (Boolean) map.get("allowThermalThrottle").value()
            : d.allowThermalThrottle(),
        map.containsKey("rules") ? rules(map.get("rules")) : d.rules(),
        map.containsKey("minDuration")
            ? (java.time.Duration) map.get("minDuration").value()
            : d.minDuration());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> rules(Field f) {
    return (Map<String, String>) f.value();
  }

  /**
   * Reports a cross-field error at the field that set it. When that field is not inside the
   * experiment itself (it came from defaults or the grid), the message names the experiment.
   */
  private boolean report(Origin origin, String name, Field at, String message) {
    boolean own =
        origin.gridSubject() == null
            && (at.path().equals(origin.path())
                || at.path().startsWith(origin.path() + ".")
                || at.path().startsWith(origin.path() + "["));
    if (own) {
      sink.error(at.mark(), at.path(), message);
    } else {
      String subject = origin.gridSubject() != null ? origin.gridSubject() : name;
      sink.errorFor(at.mark(), at.path(), message, subject);
    }
    return false;
  }

  /** The {@code key} node ({@code source}, {@code target}) of mount {@code i}, for its position. */
  private static Field mountField(Field mounts, int i, String key) {
    if (mounts.node() instanceof YamlList l
        && l.items().get(i) instanceof YamlMap mm
        && mm.get(key) != null) {
      String path = YamlPath.key(YamlPath.index(mounts.path(), i), key);
      return new Field(null, mm.get(key), path);
    }
    return mounts;
  }

  private static Parallelism parallelism(Fragment m) {
    Field p = m.get("parallelism");
    if (p == null) {
      return null;
    }
    @SuppressWarnings("unchecked")
    Map<String, Field> map = (Map<String, Field>) p.value();
    int tensor = map.containsKey("tensor") ? (Integer) map.get("tensor").value() : 1;
    int pipeline = map.containsKey("pipeline") ? (Integer) map.get("pipeline").value() : 1;
    return new Parallelism(tensor, pipeline);
  }

  private static String str(Fragment m, String key) {
    Field f = m.get(key);
    return f == null ? null : f.string();
  }

  private static List<String> words(Fragment m, String key, Map<String, String> bindings) {
    Field f = m.get(key);
    if (f == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (Object w : (List<?>) f.value()) {
      out.add(Placeholders.substitute((String) w, bindings));
    }
    return out;
  }

  private static Map<String, String> strings(Fragment m, String key, Map<String, String> bindings) {
    Field f = m.get(key);
    Map<String, String> out = new LinkedHashMap<>();
    if (f == null) {
      return out;
    }
    @SuppressWarnings("unchecked")
    Map<String, Field> map = (Map<String, Field>) f.value();
    for (Map.Entry<String, Field> e : map.entrySet()) {
      out.put(e.getKey(), Placeholders.substitute(e.getValue().string(), bindings));
    }
    return out;
  }

  private static String orDefault(String v, String d) {
    return v == null ? d : v;
  }

  private static String normalise(String p) {
    String s = p.replaceAll("/+", "/");
    return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
