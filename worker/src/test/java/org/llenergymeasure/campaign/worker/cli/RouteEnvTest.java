package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.config.CampaignFileException;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.ConfigError;

/**
 * {@code route --env} refuses what validate refuses in a campaign file's env, in its words: the
 * routing variables even with the value the router would set, and names that are not variable
 * names.
 */
class RouteEnvTest {

  static final FixtureHost H1 = RouteCommandTest.H1;

  /** What validate says of {@code env: {KEY: VALUE}} in a campaign file. */
  static String validateSays(String key, String value) {
    String yaml =
        "campaign: c1\nexperiments:\n  - name: e1\n    image: img:1\n    env: {"
            + key
            + ": \""
            + value
            + "\"}\n";
    CampaignFileException e =
        assertThrows(CampaignFileException.class, () -> CampaignLoader.parse(yaml, "c.yaml"));
    assertEquals(1, e.errors().size(), e.getMessage());
    ConfigError error = e.errors().get(0);
    assertEquals("experiments[0].env." + key, error.path());
    return error.message();
  }

  @Test
  void routingVariablesAreRefusedEvenWithTheValueTheRouterSets() {
    // Each was accepted before, since it agrees with what the router sets for --gpus 1.
    List<String> agreeing =
        List.of(
            "CUDA_VISIBLE_DEVICES=0",
            "NVIDIA_VISIBLE_DEVICES=" + H1.uuid(1),
            "CUDA_DEVICE_ORDER=PCI_BUS_ID");
    for (String kv : agreeing) {
      String key = kv.substring(0, kv.indexOf('='));
      CliRun run = RouteCommandTest.route(H1, "--gpus", "1", "--env", kv, "--json");
      JsonNode error = run.assertJsonError(2, "RoutingConflict", false);
      assertEquals(
          "--env " + kv + ": " + validateSays(key, kv.substring(kv.indexOf('=') + 1)),
          error.get("message").asText());
      CliRun plain = RouteCommandTest.route(H1, "--gpus", "1", "--env", kv);
      assertEquals(2, plain.exit());
      assertEquals("", plain.out());
      assertEquals(List.of("error: " + error.get("message").asText()), plain.errLines());
    }
  }

  @Test
  void theRuleIsValidatesOwnList() {
    assertEquals(
        List.of("NVIDIA_VISIBLE_DEVICES", "CUDA_VISIBLE_DEVICES", "CUDA_DEVICE_ORDER"),
        org.llenergymeasure.campaign.config.Names.ROUTING_VARIABLES);
    assertEquals(
        "`CUDA_VISIBLE_DEVICES` is set by the GPU router from `gpus` and may not be set here;"
            + " choose GPUs with `gpus:` instead",
        validateSays("CUDA_VISIBLE_DEVICES", "0"));
  }

  @Test
  void aNameThatIsNotAVariableNameIsBadInput() {
    JsonNode error =
        RouteCommandTest.route(H1, "--gpus", "1", "--env", "hf_home=/x", "--json")
            .assertJsonError(2, "BadInput", false);
    assertEquals(
        "--env hf_home=/x: " + validateSays("hf_home", "/x"), error.get("message").asText());
  }

  @Test
  void ordinaryVariablesStillRoute() {
    CliRun run = RouteCommandTest.route(H1, "--gpus", "1", "--env", "HF_HOME=/cache", "--json");
    assertEquals(0, run.exit(), run.err());
    assertEquals(H1.uuid(1), run.json().get("devices").get(0).get("uuid").asText());
  }
}
