package org.llenergymeasure.campaign.worker.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunMetricsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsTheKnownFieldsWhenPresent() throws Exception {
    RunMetrics m =
        RunMetrics.of(
            JSON.readTree(
                "{\"total_energy_j\": 300, \"energy_adjusted_j\": 250.5, \"energy_per_device_j\": [150, 150],"
                    + " \"avg_tokens_per_second\": \"42.5\", \"total_tokens\": 1200, \"output_tokens\": 999,"
                    + " \"thermal_throttle\": false, \"measurement_warnings\": [\"short run\", \"baseline old\"],"
                    + " \"simulated\": true, \"other\": {\"x\": 1}}"));
    assertEquals(300.0, m.energyJ());
    assertEquals(250.5, m.energyAdjustedJ());
    assertEquals(2, m.devices());
    assertEquals(42.5, m.tokensPerSecond(), "a number written as a string still counts");
    assertEquals(1200.0, m.tokens(), "total_tokens wins over output_tokens");
    assertEquals(0.25, m.energyPerTokenJ(), 1e-12);
    assertEquals("false", m.thermalThrottle());
    assertEquals(List.of("short run", "baseline old"), m.warnings());
    assertEquals(Boolean.TRUE, m.simulated());
  }

  @Test
  void outputTokensWhenNoTotalAndNothingRequired() throws Exception {
    RunMetrics m =
        RunMetrics.of(
            JSON.readTree(
                "{\"total_energy_j\": 10, \"output_tokens\": 4, \"measurement_warnings\": \"one\"}"));
    assertEquals(2.5, m.energyPerTokenJ(), 1e-12);
    assertEquals(List.of("one"), m.warnings());

    RunMetrics empty = RunMetrics.of(JSON.readTree("{}"));
    assertNull(empty.energyJ());
    assertNull(empty.energyPerTokenJ());
    assertNull(empty.simulated());
    assertTrue(empty.warnings().isEmpty());
    assertNull(
        RunMetrics.of(JSON.readTree("{\"total_energy_j\": 5, \"total_tokens\": 0}"))
            .energyPerTokenJ(),
        "no division by 0");
    assertSame(RunMetrics.NONE, RunMetrics.of(null));
    assertSame(RunMetrics.NONE, RunMetrics.of(JSON.readTree("[1, 2]")));
  }
}
