package org.llenergymeasure.campaign.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Converts an upstream llenergymeasure study file into a campaign file (cli-contract.md, {@code
 * import}): upstream's expansion of shared fields, {@code sweep:} and {@code experiments:} gives
 * one experiment per config, each with {@code llenergymeasure: {config: …}} and {@code gpus:
 * {count: tensor × pipeline}}; {@code study_execution:} gives {@code execution:} and the
 * experiments' timeouts; {@code runners:} gives {@code attach:} (all {@code local}: {@code
 * process}) and images. What cannot be carried over is returned as notes at its place. The caller
 * validates the result with {@link CampaignLoader}.
 */
public final class StudyImport {

  /** Study keys that are not experiment fields (upstream's loader strips them). */
  static final List<String> STUDY_KEYS =
      List.of(
          "study_name",
          "name",
          "version",
          "runners",
          "images",
          "output",
          "study_execution",
          "sweep",
          "experiments",
          "base");

  /** The fields of upstream's ExperimentConfig (its main branch and the 0.7.0 package). */
  static final List<String> EXPERIMENT_KEYS =
      List.of(
          "task",
          "engine",
          "serving_mode",
          "measurement",
          "sampling_preset",
          "transformers",
          "vllm",
          "tensorrt",
          "lora",
          "server",
          "offline",
          "passthrough_kwargs");

  /** The campaign file's text, its name and size, and the notes. */
  public record Result(String campaign, String yaml, int experiments, List<ImportNote> notes) {}

  /** A study that converts to no usable campaign, with the notes found until then. */
  public static final class Refused extends CampaignFileException {
    private static final long serialVersionUID = 1L;

    private final transient List<ImportNote> notes;

    Refused(List<ConfigError> errors, List<ImportNote> notes) {
      super(errors);
      this.notes = List.copyOf(notes);
    }

    public List<ImportNote> notes() {
      return notes;
    }
  }

  private final String file;
  private final StudyNotes notes;
  private final StudyYaml yaml;

  private StudyImport(String file) {
    this.file = file;
    this.notes = new StudyNotes(file);
    this.yaml = new StudyYaml(notes);
  }

  /**
   * Converts the study file {@code study}, images at the default version.
   *
   * @throws CampaignFileException when the study cannot be read, is not YAML, or has no experiments
   */
  public static Result convert(Path study) throws CampaignFileException {
    return convert(study, null);
  }

  /**
   * Converts the study file {@code study}.
   *
   * @param upstreamVersion written as {@code defaults.llenergymeasure.version} (the image tag of
   *     every experiment without an image of its own); null = the default version
   */
  public static Result convert(Path study, String upstreamVersion) throws CampaignFileException {
    return new StudyImport(study.toString()).run(study, upstreamVersion);
  }

  private Result run(Path study, String upstreamVersion) throws CampaignFileException {
    YamlMap root = read(study, file);
    @SuppressWarnings("unchecked")
    Map<String, Object> raw = (Map<String, Object>) yaml.plain(root, YamlPath.ROOT);

    Map<String, Object> fixed = new LinkedHashMap<>();
    if (raw.get("base") instanceof String base) {
      fixed.putAll(base(study, base, root));
    }
    fixed.putAll(experimentFields(raw, root, YamlPath.ROOT, true));
    StudySweep sweep = new StudySweep(notes);
    List<Map<String, Object>> configs = new ArrayList<>();
    if (raw.get("sweep") instanceof Map<?, ?> s) {
      @SuppressWarnings("unchecked")
      Map<String, Object> sw = (Map<String, Object>) s;
      configs.addAll(sweep.sweep(sw, (YamlMap) root.get("sweep"), fixed));
    } else {
      configs.addAll(sweep.sweep(Map.of(), null, fixed));
    }
    if (raw.get("experiments") instanceof List<?> list) {
      YamlNode listNode = root.get("experiments");
      for (int i = 0; i < list.size(); i++) {
        String path = YamlPath.index("experiments", i);
        YamlNode itemNode = listNode instanceof YamlList l ? l.items().get(i) : listNode;
        if (list.get(i) instanceof Map<?, ?> m && itemNode instanceof YamlMap im) {
          @SuppressWarnings("unchecked")
          Map<String, Object> own = experimentFields((Map<String, Object>) m, im, path, false);
          configs.add(StudySweep.explicit(fixed, own));
        } else {
          notes.add(itemNode, path, "is not a mapping (an experiment config); left out");
        }
      }
    }
    if (configs.isEmpty()) {
      throw new CampaignFileException(
          List.of(
              new ConfigError(
                  file,
                  1,
                  1,
                  YamlPath.ROOT,
                  "the study has no experiments: no `sweep:`, no `experiments:` and no"
                      + " task.model")));
    }
    StudyExecution exec = execution(raw, root);
    configs = dedup(configs, exec.deduplicate(), root);
    StudyRunners runners = new StudyRunners(notes, raw, root);
    boolean process = runners.process(configs);
    if (raw.get("study_name") == null && raw.get("name") instanceof String) {
      notes.add(
          root.entries().get("name").keyMark(),
          "name",
          "taken as the study's name; upstream's loader reads `study_name` (and would pass"
              + " `name` to every experiment config, which refuses it)");
    }
    checkSize(configs.size(), exec, root);
    String campaign = campaignName(raw, study);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("campaign", campaign);
    out.put("description", "imported from llenergymeasure study " + study.getFileName());
    if (upstreamVersion != null) {
      exec.defaults.put(LlenergymeasureFields.KEY, Map.of("version", upstreamVersion));
    }
    if (!exec.defaults.isEmpty()) {
      out.put("defaults", exec.defaults);
    }
    out.put("experiments", experiments(configs, runners, exec.defaults.containsKey("gpus")));
    out.put("execution", exec.execution);
    if (process) {
      out.put("attach", "process");
    }
    String text = write(out, study);
    if (text.length() > YamlLimits.MAX_FILE_BYTES) {
      throw tooLarge(
          root,
          "the study expands to "
              + configs.size()
              + " experiments, a campaign file of "
              + (text.length() >> 20)
              + " MiB; a campaign file holds at most "
              + (YamlLimits.MAX_FILE_BYTES >> 20)
              + " MiB: use fewer sweep values, or split the study into several");
    }
    return new Result(campaign, text, configs.size(), notes.all());
  }

  /** A study too large for one campaign is refused before anything is written. */
  private void checkSize(int experiments, StudyExecution exec, YamlMap root)
      throws CampaignFileException {
    long cycles = ((Number) exec.execution.get("cycles")).longValue();
    long runs = experiments * cycles;
    if (runs <= CampaignValidator.MAX_RUNS) {
      return;
    }
    throw tooLarge(
        root,
        "the study expands to "
            + experiments
            + " experiments × "
            + cycles
            + " cycles = "
            + runs
            + " runs; a campaign has at most "
            + CampaignValidator.MAX_RUNS
            + " runs: use fewer sweep values, or split the study into several");
  }

  /** Located at {@code sweep} (else {@code experiments}), which makes a study large. */
  private Refused tooLarge(YamlMap root, String message) {
    YamlMap.Entry at =
        root.entries().containsKey("sweep")
            ? root.entries().get("sweep")
            : root.entries().get("experiments");
    return new Refused(
        List.of(
            new ConfigError(
                file,
                at == null ? 1 : at.keyMark().line(),
                at == null ? 1 : at.keyMark().column(),
                at == null ? YamlPath.ROOT : at.key(),
                message)),
        notes.all());
  }

  private static YamlMap read(Path path, String name) throws CampaignFileException {
    String text = CampaignLoader.read(path, name);
    ErrorSink sink = new ErrorSink(name);
    YamlMap root;
    try {
      root = YamlTreeReader.read(text, sink);
    } catch (YamlSyntaxException e) {
      throw new CampaignFileException(
          List.of(
              new ConfigError(name, e.mark().line(), e.mark().column(), e.path(), e.getMessage())));
    }
    if (sink.hasErrors()) {
      throw new CampaignFileException(sink.errors());
    }
    return root;
  }

  /** The experiment fields of a mapping; unknown keys are noted and left out. */
  private Map<String, Object> experimentFields(
      Map<String, Object> m, YamlMap node, String path, boolean studyLevel) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : m.entrySet()) {
      String key = e.getKey();
      if (studyLevel && STUDY_KEYS.contains(key)) {
        continue;
      }
      if (EXPERIMENT_KEYS.contains(key)) {
        out.put(key, e.getValue());
        continue;
      }
      Set<String> known = new LinkedHashSet<>(EXPERIMENT_KEYS);
      if (studyLevel) {
        known.addAll(STUDY_KEYS);
      }
      String near = Suggestions.nearest(key, known);
      YamlMap.Entry at = node.entries().get(key);
      notes.add(
          at != null ? at.keyMark() : node.mark(),
          YamlPath.key(path, key),
          "unknown key `"
              + key
              + "`"
              + (near != null ? " (did you mean `" + near + "`?)" : "")
              + ": not a field of upstream's ExperimentConfig, so upstream would refuse the"
              + " config; left out");
    }
    return out;
  }

  /** A {@code base:} experiment file, relative to the study's folder. */
  private Map<String, Object> base(Path study, String base, YamlMap root) {
    Path p = study.toAbsolutePath().getParent().resolve(base);
    YamlMap.Entry at = root.entries().get("base");
    if (!Files.isRegularFile(p)) {
      notes.add(at.keyMark(), "base", "`" + base + "` is not a file (" + p + "); left out");
      return Map.of();
    }
    try {
      YamlMap b = read(p, p.toString());
      StudyImport inner = new StudyImport(p.toString());
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) inner.yaml.plain(b, YamlPath.ROOT);
      Map<String, Object> out = inner.experimentFields(m, b, YamlPath.ROOT, true);
      inner.notes.all().forEach(n -> notes.add(new Mark(n.line(), 1), n.path(), n.message()));
      return out;
    } catch (CampaignFileException e) {
      notes.add(at.keyMark(), "base", "`" + base + "` cannot be read: " + e.getMessage());
      return Map.of();
    }
  }

  private StudyExecution execution(Map<String, Object> raw, YamlMap root) {
    @SuppressWarnings("unchecked")
    Map<String, Object> x =
        raw.get("study_execution") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    YamlMap node = root.get("study_execution") instanceof YamlMap m ? m : null;
    StudyExecution exec = new StudyExecution(notes, x, node, root);
    exec.map();
    if (raw.get("output") instanceof Map<?, ?> o && !o.isEmpty()) {
      notes.add(
          root.entries().get("output").keyMark(),
          "output",
          "not carried over: results go to the worker's --results folder, one folder per run"
              + " and attempt");
    }
    return exec;
  }

  private List<Map<String, Object>> dedup(
      List<Map<String, Object>> configs, boolean dedup, YamlMap root) {
    if (!dedup) {
      return configs;
    }
    Map<String, Map<String, Object>> unique = new LinkedHashMap<>();
    for (Map<String, Object> c : configs) {
      unique.putIfAbsent(CanonicalJson.write(c), c);
    }
    int dropped = configs.size() - unique.size();
    if (dropped > 0) {
      notes.add(
          root,
          YamlPath.ROOT,
          dropped
              + " generated config(s) are identical to an earlier one and are left out (upstream's"
              + " deduplicate_equivalent also merges configs that differ only in settings the"
              + " engine ignores; this import does not)");
    }
    return new ArrayList<>(unique.values());
  }

  private List<Map<String, Object>> experiments(
      List<Map<String, Object>> configs, StudyRunners runners, boolean gpusInDefaults) {
    int width = Math.max(3, String.valueOf(configs.size()).length());
    List<Map<String, Object>> out = new ArrayList<>();
    int i = 0;
    for (Map<String, Object> config : configs) {
      String engine = StudySweep.engineOf(config);
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", String.format(Locale.ROOT, "%s-%0" + width + "d", engine, ++i));
      if (!gpusInDefaults) {
        e.put("gpus", Map.of("count", StudyRunners.gpuCount(config)));
      }
      String image = runners.image(engine);
      if (image != null) {
        e.put("image", image);
      }
      Map<String, Object> labels = new LinkedHashMap<>();
      labels.put("engine", engine);
      if (config.get("task") instanceof Map<?, ?> t && t.get("model") instanceof String model) {
        labels.put("model", model);
      }
      e.put("labels", labels);
      e.put(LlenergymeasureFields.KEY, Map.of("config", config));
      out.add(e);
    }
    return out;
  }

  private static String campaignName(Map<String, Object> raw, Path study) {
    Object n = raw.get("study_name") != null ? raw.get("study_name") : raw.get("name");
    String base =
        n instanceof String s ? s : study.getFileName().toString().replaceAll("\\.ya?ml$", "");
    String name = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
    name = name.length() > 63 ? name.substring(0, 63) : name;
    name = name.replaceAll("^[^a-z0-9]+", "").replaceAll("[^a-z0-9]+$", "");
    return name.isEmpty() ? "imported-study" : name;
  }

  private String write(Map<String, Object> out, Path study) {
    YAMLMapper mapper =
        new YAMLMapper(
            YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .build());
    StringBuilder sb = new StringBuilder();
    sb.append("# Imported by `llem-campaign import` from the llenergymeasure study ")
        .append(study.getFileName())
        .append(".\n");
    List<ImportNote> all = notes.all();
    if (!all.isEmpty()) {
      sb.append("# Not carried over, or only approximately (study file line: what):\n");
      for (ImportNote n : all) {
        sb.append("#   line ").append(n.line()).append(": ").append(n.path()).append(": ");
        sb.append(n.message().replace('\n', ' ')).append('\n');
      }
    }
    try {
      return sb.append(mapper.writeValueAsString(out)).toString();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the campaign file: " + e.getMessage(), e);
    }
  }
}
