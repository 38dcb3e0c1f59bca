package org.llenergymeasure.campaign.workflows.campaign;

import java.time.Duration;
import org.llenergymeasure.campaign.config.BusyPolicy;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.GpuRequest;

/** Experiments for the plain unit tests of the campaign's helpers. */
final class TestExperiments {

  private TestExperiments() {}

  static Experiment experiment(String name, String host, GpuRequest gpus) {
    return new Experiment(
        name,
        "fake:1",
        null,
        gpus,
        null,
        null,
        null,
        null,
        "/results",
        "result.json",
        null,
        "private",
        Duration.ofHours(1),
        Duration.ofMinutes(30),
        0,
        null,
        "bridge",
        BusyPolicy.WAIT,
        null,
        host,
        null);
  }
}
