package org.llenergymeasure.campaign.activities.upstream;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.llenergymeasure.campaign.config.LlenergymeasureSpec;

/**
 * The host's side of llenergymeasure's one-experiment entry point ({@code
 * llenergymeasure.entrypoints.container}), for experiments with {@code llenergymeasure:}.
 *
 * <p>Upstream reads its ExperimentConfig from the file named by {@code LLEM_CONFIG_PATH}, writes
 * {@code <config_hash>_result.json} into the folder that holds that file (not into {@code
 * LLEM_OUTPUT_DIR}, where it leaves its other files, e.g. {@code timeseries.parquet}), and on a
 * failure writes {@code <config file's stem without "_config">_error.json} = {@code {"type",
 * "message", "traceback"}} beside it and exits non-zero. Its baseline entry point writes {@code
 * baseline_result.json} into the same folder, which is never the experiment's result. The worker
 * writes the config as {@link #CONFIG_FILE} into the attempt's run folder, so both variables name
 * the run folder as the run sees it.
 */
public final class UpstreamContract {

  /** The config file the worker writes into the run folder. */
  public static final String CONFIG_FILE = "llem_config.json";

  /** Upstream's error file for {@link #CONFIG_FILE}. */
  public static final String ERROR_FILE = "llem_error.json";

  public static final String RESULT_SUFFIX = "_result.json";
  public static final String ERROR_SUFFIX = "_error.json";

  /** Written by upstream's baseline entry point into the same folder; never the result. */
  public static final String BASELINE_RESULT = "baseline_result.json";

  public static final String CONFIG_VAR = "LLEM_CONFIG_PATH";
  public static final String OUTPUT_VAR = "LLEM_OUTPUT_DIR";

  /** The module a process-mode run executes with {@code python -m}. */
  public static final String ENTRY_MODULE = "llenergymeasure.entrypoints.container";

  /** The interpreter of a process-mode run when {@code python:} is not given. */
  public static final String DEFAULT_PYTHON = "python3";

  private UpstreamContract() {}

  /**
   * {@code LLEM_CONFIG_PATH} and {@code LLEM_OUTPUT_DIR} for a run whose run folder it sees at
   * {@code runDir} ({@code /run/llem} in a container, the folder's host path for a process).
   */
  public static Map<String, String> env(String runDir) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(CONFIG_VAR, runDir + "/" + CONFIG_FILE);
    env.put(OUTPUT_VAR, runDir);
    return env;
  }

  /** A process-mode run's command: {@code <python> -m llenergymeasure.entrypoints.container}. */
  public static List<String> processCommand(LlenergymeasureSpec spec) {
    String python =
        spec.python() == null || spec.python().isBlank() ? DEFAULT_PYTHON : spec.python();
    return List.of(python, "-m", ENTRY_MODULE);
  }

  /** Whether {@code name} (a run folder's top-level entry) is one of upstream's result files. */
  public static boolean isResult(String name) {
    return name.endsWith(RESULT_SUFFIX)
        && name.length() > RESULT_SUFFIX.length()
        && !name.equals(BASELINE_RESULT);
  }

  /** Whether {@code name} is one of upstream's error files. */
  public static boolean isError(String name) {
    return name.endsWith(ERROR_SUFFIX) && name.length() > ERROR_SUFFIX.length();
  }
}
