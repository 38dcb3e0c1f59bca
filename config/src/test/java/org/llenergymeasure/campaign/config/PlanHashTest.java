package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** What the plan hash covers, and what it ignores. */
class PlanHashTest {

  private static final String BASE = Yamls.read(Yamls.CAMPAIGNS.resolve("valid/spec-example.yaml"));
  private static final String HASH = hash(BASE);

  private static String hash(String yaml) {
    return Yamls.load(yaml).plan().hash();
  }

  private static void changes(String description, UnaryOperator<String> edit) {
    String edited = edit.apply(BASE);
    assertNotEquals(BASE, edited, "the edit did nothing: " + description);
    assertNotEquals(HASH, hash(edited), description + " must change the hash");
  }

  private static void keeps(String description, UnaryOperator<String> edit) {
    String edited = edit.apply(BASE);
    assertNotEquals(BASE, edited, "the edit did nothing: " + description);
    assertEquals(HASH, hash(edited), description + " must not change the hash");
  }

  @Test
  void theHashIsSha256OfTheDocumentedCanonicalForm() throws Exception {
    Campaign c = Yamls.load(BASE).campaign();
    byte[] digest =
        MessageDigest.getInstance("SHA-256")
            .digest(PlanBuilder.canonicalForm(c).getBytes(StandardCharsets.UTF_8));
    assertEquals(HexFormat.of().formatHex(digest), HASH);
  }

  @Test
  void reformattedReorderedFileWithOtherDescriptionAndLabelsHashesTheSame() {
    LoadedCampaign other = Yamls.loadResource("valid/spec-example-reformatted.yaml");
    assertEquals(Yamls.load(BASE).plan(), other.plan());
    assertEquals(HASH, other.plan().hash());
  }

  @Test
  void commentsDescriptionLabelsAndEquivalentSpellingsDoNotChangeIt() {
    keeps("comments", s -> s.replaceAll("#.*", ""));
    keeps("description", s -> s.replace("Llama 3.1 8B, PyTorch vs vLLM", "something else"));
    keeps(
        "labels",
        s -> s.replace("labels: {model: llama-3.1-8b, backend: pytorch}", "labels: {x: y}"));
    keeps("90s written as ISO-8601", s -> s.replace("gap: 60s", "gap: PT1M"));
    keeps(
        "minutes written as seconds",
        s -> s.replace("silenceTimeout: 20m", "silenceTimeout: 1200s"));
    keeps("the same size in other units", s -> s.replace("shmSize: 16g", "shmSize: 16384m"));
    keeps(
        "campaign name (it is the workflow id, not what runs)",
        s -> s.replace("campaign: llama-energy-2026-11", "campaign: renamed"));
    keeps(
        "hosts (where, not what)",
        s ->
            s.replace(
                "hosts: [gpu-node-1, gpu-node-2]", "hosts: [gpu-node-1, gpu-node-2, gpu-node-3]"));
  }

  @Test
  void secretsAreASetTheirOrderDoesNotMatter() {
    String a = BASE.replace("  secrets: [HF_TOKEN]\n", "  secrets: [HF_TOKEN, A_KEY]\n");
    String b = BASE.replace("  secrets: [HF_TOKEN]\n", "  secrets: [A_KEY, HF_TOKEN]\n");
    assertNotEquals(a, b);
    assertEquals(hash(a), hash(b));
    assertNotEquals(HASH, hash(a)); // but adding a secret does change it
  }

  @Test
  void everythingThatChangesWhatRunsChangesIt() {
    changes(
        "an image",
        s ->
            s.replace(
                "image: \"llenergymeasure/vllm:1.4\"", "image: \"llenergymeasure/vllm:1.5\""));
    changes("a command word", s -> s.replace("\"--batch-size\", \"8\"", "\"--batch-size\", \"9\""));
    changes("gpus", s -> s.replace("gpus: [0, 1]  ", "gpus: [1, 0]  "));
    changes("an env value", s -> s.replace("HF_HOME: /cache/hf", "HF_HOME: /cache/other"));
    changes("a timeout", s -> s.replace("timeout: 4h", "timeout: 5h"));
    changes("retries", s -> s.replace("retries: 1  ", "retries: 2  "));
    changes("busy", s -> s.replace("busy: wait", "busy: fail"));
    changes("cycles", s -> s.replace("cycles: 3", "cycles: 4"));
    changes("order", s -> s.replace("order: interleave", "order: reverse"));
    changes("seed", s -> s.replace("seed: 0 ", "seed: 1 "));
    changes("gap", s -> s.replace("gap: 60s", "gap: 61s"));
    changes("cooldown", s -> s.replace("maxGpuTemperatureC: 45", "maxGpuTemperatureC: 50"));
    changes("concurrency", s -> s.replace("concurrency: 1", "concurrency: 2"));
    changes("failFast", s -> s.replace("failFast: false", "failFast: true"));
    changes("attach", s -> s.replace("attach: device-request", "attach: env"));
    changes("axis order", s -> s.replace("batch: [1, 8, 32]", "batch: [8, 1, 32]"));
    changes(
        "an experiment name",
        s -> s.replace("name: llama-8b-pytorch-bs8", "name: llama-8b-pytorch-bs08"));
  }

  @Test
  void theHashDoesNotDependOnMapOrderInTheRecords() {
    Campaign c = Yamls.load(BASE).campaign();
    Experiment e = c.experiments().get(0);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("Z", "1");
    env.put("A", "2");
    Map<String, String> reversed = new LinkedHashMap<>();
    reversed.put("A", "2");
    reversed.put("Z", "1");
    Campaign one = withFirstEnv(c, e, env);
    Campaign two = withFirstEnv(c, e, reversed);
    assertEquals(PlanBuilder.plan(one).hash(), PlanBuilder.plan(two).hash());
    assertNotEquals(HASH, PlanBuilder.plan(one).hash());
  }

  private static Campaign withFirstEnv(Campaign c, Experiment e, Map<String, String> env) {
    Experiment changed =
        new Experiment(
            e.name(),
            e.image(),
            e.command(),
            e.gpus(),
            e.parallelism(),
            env,
            e.secrets(),
            e.mounts(),
            e.resultsDir(),
            e.resultFile(),
            e.shmSize(),
            e.ipc(),
            e.timeout(),
            e.silenceTimeout(),
            e.retries(),
            e.memory(),
            e.network(),
            e.busy(),
            e.probe(),
            e.host(),
            e.labels(),
            0,
            null,
            e.allowDangerousMounts(),
            null,
            null,
            null);
    List<Experiment> list = new java.util.ArrayList<>(c.experiments());
    list.set(0, changed);
    return new Campaign(c.name(), c.description(), list, c.execution(), c.attach(), c.hosts());
  }

  @Test
  void planningTwiceGivesTheSamePlan() {
    Campaign c = Yamls.load(BASE.replace("order: interleave", "order: shuffle")).campaign();
    assertEquals(PlanBuilder.plan(c), PlanBuilder.plan(c));
  }
}
