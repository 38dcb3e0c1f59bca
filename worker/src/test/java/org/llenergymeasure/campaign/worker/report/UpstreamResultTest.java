package org.llenergymeasure.campaign.worker.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mapping's edges that the two real result files do not reach. */
class UpstreamResultTest {

  private static ObjectNode result(String json) throws Exception {
    return (ObjectNode) UpstreamLedger.JSON.readTree(json);
  }

  @Test
  void onlyAResultWithItsEnergyFieldsAndAShapeMarkerIsLlenergymeasures() throws Exception {
    assertFalse(UpstreamResult.recognises(result(UpstreamLedger.OTHER)), "no shape marker");
    assertFalse(
        UpstreamResult.recognises(result("{\"schema_version\": \"3.0\", \"total_energy_j\": 1}")),
        "no avg_energy_per_token_j");
    assertFalse(UpstreamResult.recognises(UpstreamLedger.JSON.readTree("[1]")));
    assertFalse(UpstreamResult.recognises(null));
    assertNull(UpstreamResult.of(result(UpstreamLedger.OTHER)));
    assertTrue(
        UpstreamResult.recognises(
            result(
                "{\"llenergymeasure_version\": \"0.9.0\", \"total_energy_j\": null,"
                    + " \"avg_energy_per_token_j\": null}")));
  }

  @Test
  void tokensFallBackToOutputAloneAndNumbersAsTextAreRead() throws Exception {
    UpstreamResult u =
        UpstreamResult.of(
            result(
                "{\"bundle_version\": \"2.0\", \"total_energy_j\": \"12.5\","
                    + " \"avg_energy_per_token_j\": 0.5, \"total_tokens\": null,"
                    + " \"input_tokens\": null, \"output_tokens\": 25,"
                    + " \"avg_tokens_per_second\": \"fast\", \"energy_adjusted_j\": null,"
                    + " \"energy_breakdown\": {\"adjusted_j\": 7.5},"
                    + " \"throttle\": {\"detected\": \"yes\"},"
                    + " \"aggregation\": {\"warnings\": [\"rank 1 late\"]}}"));
    assertEquals(25.0, u.tokens());
    assertEquals(UpstreamResult.OUTPUT_ONLY, u.tokensSource());
    assertEquals(12.5, u.energyJ(), "a number given as text");
    assertNull(u.tokensPerS(), "text that is no number is absent");
    assertEquals(7.5, u.adjustedEnergyJ(), "energy_breakdown.adjusted_j");
    assertNull(u.throttled(), "detected must be a boolean");
    assertEquals(List.of("rank 1 late"), u.warnings(), "aggregation.warnings");
    assertEquals("bundle 2.0", u.shape());
    assertNull(u.version());
  }
}
