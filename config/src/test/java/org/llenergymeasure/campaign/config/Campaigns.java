package org.llenergymeasure.campaign.config;

import java.util.ArrayList;
import java.util.List;

/** Builds campaigns directly from records, for plan tests that need no YAML. */
final class Campaigns {

  private Campaigns() {}

  static Experiment experiment(String name) {
    return new Experiment(
        name,
        "img:1",
        null,
        GpuRequest.none(),
        null,
        null,
        null,
        null,
        "/results",
        "result.json",
        null,
        "private",
        java.time.Duration.ofHours(12),
        java.time.Duration.ofMinutes(30),
        0,
        null,
        "bridge",
        BusyPolicy.WAIT,
        null,
        null,
        null,
        0,
        null,
        false,
        null,
        null,
        null);
  }

  static Campaign of(int experiments, int cycles, RunOrder order, long seed) {
    List<Experiment> list = new ArrayList<>();
    for (int i = 0; i < experiments; i++) {
      list.add(experiment("e" + i));
    }
    Execution x =
        new Execution(
            cycles,
            order,
            seed,
            java.time.Duration.ZERO,
            java.time.Duration.ZERO,
            null,
            1,
            false,
            10);
    return new Campaign("c", null, list, x, AttachMode.DEVICE_REQUEST, List.of());
  }
}
