package org.llenergymeasure.campaign.config;

import java.util.Map;

/**
 * Resolves an experiment's merged {@code llenergymeasure:} key: the config as JSON with the grid's
 * placeholders substituted, the engine, the image derived from engine and version when no {@code
 * image:} is given, the {@code shmSize} default of vLLM, and the checks across fields ({@code
 * command} and {@code resultFile} are upstream's, {@code python} needs {@code attach: process}).
 */
final class LlenergymeasureResolver {

  /**
   * Upstream's newest release tag (v0.9.0, 2026-03-20, in the GitHub repository
   * henrycgbaker/llenergymeasure; also the version of its pyproject.toml at the newest commit).
   */
  static final String DEFAULT_VERSION = "0.9.0";

  static final String IMAGE_REPOSITORY = "ghcr.io/henrycgbaker/llenergymeasure/";
  static final String DEFAULT_ENGINE = "transformers";

  /** vLLM's workers share tensors through /dev/shm; Docker's 64 MiB default is too small. */
  static final long VLLM_SHM_BYTES = 8L << 30;

  /** Reports a problem at a field (the experiment resolver words it); always false. */
  interface Reporter {
    boolean report(Field at, String message);
  }

  /**
   * @param image the explicit image, else the derived one
   * @param shmSize the explicit shmSize, else 8g for vLLM, else null
   */
  record Resolved(LlenergymeasureSpec spec, String image, Long shmSize) {}

  private final Fields f;
  private final AttachMode attach;

  LlenergymeasureResolver(Fields fields, AttachMode attach) {
    this.f = fields;
    this.attach = attach;
  }

  /** Null when a check failed (and was reported). */
  Resolved resolve(
      Fragment m, Map<String, String> bindings, Map<String, YamlNode> typed, Reporter reporter) {
    Field llem = m.get(LlenergymeasureFields.KEY);
    @SuppressWarnings("unchecked")
    Map<String, Field> keys = (Map<String, Field>) llem.value();
    boolean ok = true;
    if (m.get("command") != null) {
      ok &=
          reporter.report(
              m.get("command"),
              "`command` cannot be used with `llenergymeasure:`: the image's own command runs the"
                  + " experiment (upstream's entry point reads the config from LLEM_CONFIG_PATH);"
                  + " remove `command`");
    }
    if (m.get("resultFile") != null) {
      ok &=
          reporter.report(
              m.get("resultFile"),
              "`resultFile` cannot be used with `llenergymeasure:`: the result is upstream's"
                  + " <config_hash>_result.json, named by a hash upstream computes from the"
                  + " config; remove `resultFile`");
    }
    Field python = keys.get("python");
    if (python != null && attach != AttachMode.PROCESS) {
      ok &=
          reporter.report(
              python,
              "`python` is the interpreter of a local run and applies only to `attach: process`;"
                  + " this campaign runs containers (attach: "
                  + attach.yamlName()
                  + "): remove it, or set `attach: process`");
    }
    Field configField = keys.get("config");
    if (configField == null) {
      reporter.report(
          llem,
          "has no `config`; give upstream's ExperimentConfig, e.g. config: {task: {model: gpt2},"
              + " engine: transformers}");
      return null;
    }
    YamlMap configNode = (YamlMap) configField.value();
    ConfigJson json = new ConfigJson(f);
    @SuppressWarnings("unchecked")
    Map<String, Object> config =
        (Map<String, Object>) json.convert(configNode, configField.path(), bindings, typed);
    ok &= json.ok();

    String image = m.get("image") == null ? null : m.get("image").string();
    Field engineField = keys.get("engine");
    String engine;
    String configKey = config.containsKey("engine") ? "engine" : "backend";
    Object configEngine = config.get(configKey);
    if (engineField != null) {
      engine = engineField.string();
      if (configEngine instanceof String ce && !ce.equals(engine)) {
        ok &=
            reporter.report(
                engineField,
                "engine `"
                    + engine
                    + "` differs from the config's "
                    + configKey
                    + " `"
                    + ce
                    + "`; the image must be that of the engine the config runs: make them equal"
                    + " or remove `engine`");
      }
    } else if (configEngine == null) {
      engine = DEFAULT_ENGINE;
    } else if (configEngine instanceof String ce && LlenergymeasureFields.ENGINES.contains(ce)) {
      engine = ce;
    } else {
      engine = String.valueOf(configEngine);
      if (image == null) {
        YamlNode at = configNode.get(configKey);
        ok &=
            reporter.report(
                new Field(null, at == null ? configNode : at, configField.path() + "." + configKey),
                "the config's "
                    + configKey
                    + " `"
                    + engine
                    + "` has no upstream image; expected one of "
                    + String.join(", ", LlenergymeasureFields.ENGINES)
                    + ", or give `image:`");
      }
    }
    String version = keys.get("version") == null ? null : keys.get("version").string();
    if (image == null) {
      if (version == null && configKey.equals("engine") && configEngine != null) {
        f.sink()
            .warning(
                configNode.get("engine").mark(),
                configField.path() + ".engine",
                "the default image (upstream "
                    + DEFAULT_VERSION
                    + ", its newest release) reads configs with `backend:`; a config with"
                    + " `engine:` is upstream's newer format: set `version:` (or `image:`) to an"
                    + " image built from that code");
      }
      version = version == null ? DEFAULT_VERSION : version;
      image = IMAGE_REPOSITORY + engine + ":v" + version;
    }
    Long shmSize = m.get("shmSize") != null ? (Long) m.get("shmSize").value() : null;
    if (shmSize == null && engine.equals("vllm")) {
      shmSize = VLLM_SHM_BYTES;
    }
    if (!ok) {
      return null;
    }
    String text = CanonicalJson.write(config);
    return new Resolved(
        new LlenergymeasureSpec(text, engine, version, python == null ? null : python.string()),
        image,
        shmSize);
  }
}
