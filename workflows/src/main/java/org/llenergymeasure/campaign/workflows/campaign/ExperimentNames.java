package org.llenergymeasure.campaign.workflows.campaign;

import org.llenergymeasure.campaign.config.Experiment;

/**
 * Run names of amended experiments: {@code <experiment>@v<version>} (an experiment's name never
 * holds {@code @}, so the tag cannot be mistaken for part of it).
 */
final class ExperimentNames {

  private ExperimentNames() {}

  /** The experiment's own name of a run name: {@code c@v2} -> {@code c}. */
  static String base(String runName) {
    int at = runName.indexOf('@');
    return at < 0 ? runName : runName.substring(0, at);
  }

  /** {@code e} under another name, otherwise the same. */
  static Experiment named(Experiment e, String name) {
    if (name.equals(e.name())) {
      return e;
    }
    return e.withName(name);
  }
}
