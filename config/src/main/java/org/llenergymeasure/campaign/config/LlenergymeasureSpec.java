package org.llenergymeasure.campaign.config;

/**
 * An experiment of llenergymeasure itself ({@code llenergymeasure:} in campaign-format.md): the
 * container (or, under {@code attach: process}, the interpreter) runs upstream's one-experiment
 * entry point, which reads {@code config} from the file named by {@code LLEM_CONFIG_PATH} and
 * writes {@code <config_hash>_result.json} (or, on a failure, its error file) into the folder that
 * holds that file; {@code LLEM_OUTPUT_DIR} gets its other files.
 *
 * @param config upstream's ExperimentConfig as canonical JSON text (keys sorted, no whitespace),
 *     grid placeholders substituted; passed on verbatim, validated by upstream
 * @param engine the engine whose image runs it: {@code engine:}, else the config's {@code engine}
 *     (or, in configs of upstream 0.9.0 and before, {@code backend}), else {@code transformers}
 * @param version upstream's version whose image runs it ({@code version:}, else the default when
 *     the image was derived); null when an explicit {@code image:} was given without one
 * @param python the interpreter whose llenergymeasure runs it under {@code attach: process}; null =
 *     the host side's default
 */
public record LlenergymeasureSpec(String config, String engine, String version, String python) {}
