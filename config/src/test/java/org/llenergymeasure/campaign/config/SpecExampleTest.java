package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example of campaign-format.md, copied verbatim, loads with every value as documented. */
class SpecExampleTest {

  private final LoadedCampaign loaded = Yamls.loadResource("valid/spec-example.yaml");
  private final Campaign campaign = loaded.campaign();

  @Test
  void topLevel() {
    assertEquals("llama-energy-2026-11", campaign.name());
    assertEquals("campaign/llama-energy-2026-11", campaign.workflowId());
    assertEquals("Llama 3.1 8B, PyTorch vs vLLM, batch 1-32", campaign.description());
    assertEquals(AttachMode.DEVICE_REQUEST, campaign.attach());
    assertEquals(List.of("gpu-node-1", "gpu-node-2"), campaign.hosts());
    assertEquals(
        new Execution(
            3,
            RunOrder.INTERLEAVE,
            0,
            Duration.ofSeconds(60),
            Duration.ofMinutes(5),
            new Cooldown(45, Duration.ofMinutes(15), false, null, null),
            1,
            false,
            10),
        campaign.execution());
  }

  @Test
  void explicitExperimentHasEveryFieldAsWritten() {
    Experiment e = campaign.experiments().get(0);
    assertEquals(
        new Experiment(
            "llama-8b-pytorch-bs8",
            "llenergymeasure/pytorch:1.4",
            List.of(
                "llem", "experiment", "--model", "meta-llama/Llama-3.1-8B", "--batch-size", "8"),
            GpuRequest.of(List.of("0", "1")),
            new Parallelism(2, 1),
            Map.of("HF_HOME", "/cache/hf"),
            List.of("HF_TOKEN"),
            List.of(new Mount("/data/hf-cache", "/cache/hf", true)),
            "/results",
            "result.json",
            16L * 1024 * 1024 * 1024,
            "private",
            Duration.ofHours(4),
            Duration.ofMinutes(20),
            1,
            64L * 1024 * 1024 * 1024,
            "bridge",
            BusyPolicy.WAIT,
            List.of("nvidia-smi", "-L"),
            "gpu-node-1",
            Map.of("model", "llama-3.1-8b", "backend", "pytorch"),
            0,
            null,
            false,
            null,
            null,
            null),
        e);
  }

  @Test
  void gridExpandsFirstAxisOutermostAfterTheExplicitExperiments() {
    List<String> names = campaign.experiments().stream().map(Experiment::name).toList();
    assertEquals(
        List.of(
            "llama-8b-pytorch-bs8",
            "pytorch-llama-3.1-8b-bs1",
            "pytorch-llama-3.1-8b-bs8",
            "pytorch-llama-3.1-8b-bs32",
            "pytorch-qwen2.5-7b-bs1",
            "pytorch-qwen2.5-7b-bs8",
            "pytorch-qwen2.5-7b-bs32",
            "vllm-llama-3.1-8b-bs1",
            "vllm-llama-3.1-8b-bs8",
            "vllm-llama-3.1-8b-bs32",
            "vllm-qwen2.5-7b-bs1",
            "vllm-qwen2.5-7b-bs8",
            "vllm-qwen2.5-7b-bs32"),
        names);
  }

  @Test
  void gridExperimentsMergeDefaultsBaseAndVariant() {
    Experiment vllm = campaign.experiment("vllm-qwen2.5-7b-bs8");
    assertEquals("llenergymeasure/vllm:1.4", vllm.image()); // variant over defaults
    assertEquals("host", vllm.ipc()); // variant
    assertEquals(GpuRequest.of(List.of("0")), vllm.gpus()); // defaults
    assertEquals(List.of("HF_TOKEN"), vllm.secrets()); // defaults
    assertEquals("/results", vllm.resultsDir()); // base
    assertNull(vllm.command()); // the image's default
    assertNull(vllm.parallelism());
    Experiment pytorch = campaign.experiment("pytorch-llama-3.1-8b-bs1");
    assertEquals("llenergymeasure/pytorch:1.4", pytorch.image());
    assertEquals("private", pytorch.ipc()); // format default
    assertEquals(Duration.ofHours(12), pytorch.timeout());
    assertEquals(Duration.ofMinutes(30), pytorch.silenceTimeout());
    assertEquals(0, pytorch.retries());
    assertEquals("bridge", pytorch.network());
    assertEquals(BusyPolicy.WAIT, pytorch.busy());
    assertEquals("result.json", pytorch.resultFile());
    assertNull(pytorch.host());
    assertNull(pytorch.memory());
    assertNull(pytorch.shmSize());
    assertNull(pytorch.probe());
  }

  @Test
  void planInterleavesThirteenExperimentsOverThreeCycles() {
    Plan plan = loaded.plan();
    assertEquals("llama-energy-2026-11", plan.campaign());
    assertEquals(39, plan.runs().size());
    assertEquals(
        new PlannedRun("llama-8b-pytorch-bs8.c1", "llama-8b-pytorch-bs8", 1, 0),
        plan.runs().get(0));
    assertEquals(
        new PlannedRun("llama-8b-pytorch-bs8.c2", "llama-8b-pytorch-bs8", 2, 13),
        plan.runs().get(13));
    assertEquals(
        new PlannedRun("vllm-qwen2.5-7b-bs32.c3", "vllm-qwen2.5-7b-bs32", 3, 38),
        plan.runs().get(38));
    assertTrue(plan.hash().matches("[0-9a-f]{64}"), plan.hash());
  }

  @Test
  void gridExperimentsThatDifferOnlyInTheirNameAreReportedAsEquivalent() {
    // {model} and {batch} appear only in the name, so within a backend all six are the same.
    assertEquals(2, loaded.warnings().size(), String.join("\n", loaded.warnings()));
    String first = loaded.warnings().get(0);
    assertTrue(
        first.startsWith(
            "src/test/resources/campaigns/valid/spec-example.yaml:40:9:"
                + " grid.name: experiments `pytorch-llama-3.1-8b-bs1`, `pytorch-llama-3.1-8b-bs8`"),
        first);
    assertTrue(first.contains("are equivalent"), first);
    assertTrue(loaded.warnings().get(1).contains("`vllm-llama-3.1-8b-bs1`"));
  }

  @Test
  void usingTheAxesInTheCommandRemovesTheWarning() {
    LoadedCampaign varied = Yamls.loadResource("valid/spec-example-varied.yaml");
    assertEquals(List.of(), varied.warnings());
    assertEquals(
        List.of("llem", "experiment", "--model", "qwen2.5-7b", "--batch-size", "32"),
        varied.campaign().experiment("vllm-qwen2.5-7b-bs32").command());
  }
}
