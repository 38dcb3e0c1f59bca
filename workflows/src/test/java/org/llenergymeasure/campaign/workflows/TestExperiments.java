package org.llenergymeasure.campaign.workflows;

import java.time.Duration;
import org.llenergymeasure.campaign.config.BusyPolicy;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.GpuRequest;

/** Experiments for the plain unit tests of the workflows' helpers. */
public final class TestExperiments {

  private TestExperiments() {}

  public static Experiment experiment(String name, String host, GpuRequest gpus) {
    return experiment(name, host, gpus, Duration.ofHours(1));
  }

  public static Experiment experiment(String name, String host, GpuRequest gpus, Duration timeout) {
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
        timeout,
        Duration.ofMinutes(30),
        0,
        null,
        "bridge",
        BusyPolicy.WAIT,
        null,
        host,
        null,
        0,
        null,
        false,
        null,
        null,
        null);
  }
}
