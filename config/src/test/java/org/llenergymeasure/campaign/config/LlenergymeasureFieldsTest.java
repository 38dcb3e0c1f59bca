package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code llenergymeasure:}: the derived image and engine, the vLLM shm default, deep merging, typed
 * grid substitution inside the config, the located errors, and the plan hash.
 */
class LlenergymeasureFieldsTest {

  private static final String VLLM =
      """
      campaign: c1
      experiments:
        - name: qwen-05b-bs8
          llenergymeasure:
            config:
              task: {model: Qwen/Qwen2.5-0.5B, dataset: {n_prompts: 50}}
              engine: vllm
              vllm: {engine: {gpu_memory_utilization: 0.90, enforce_eager: true}}
          gpus: [0, 1]
      """;

  private static Experiment only(String yaml) {
    return Yamls.load(yaml).campaign().experiments().get(0);
  }

  @Test
  void theImageIsDerivedFromTheConfigsEngineAndTheDefaultVersion() {
    Experiment e = only(VLLM);
    assertEquals("ghcr.io/henrycgbaker/llenergymeasure/vllm:v0.9.0", e.image());
    assertEquals(
        new LlenergymeasureSpec(
            "{\"engine\":\"vllm\",\"task\":{\"dataset\":{\"n_prompts\":50},"
                + "\"model\":\"Qwen/Qwen2.5-0.5B\"},\"vllm\":{\"engine\":{\"enforce_eager\":true,"
                + "\"gpu_memory_utilization\":0.9}}}",
            "vllm",
            "0.9.0",
            null),
        e.llenergymeasure());
    assertEquals(8L << 30, e.shmSize(), "vLLM gets --shm-size 8g by default");
    assertNull(e.command(), "the image's own command runs");
  }

  @Test
  void engineAndVersionGiveTheImageAnExplicitImageWinsAndShmSizeStaysAsGiven() {
    Experiment e =
        only(
            VLLM.replace(
                "    llenergymeasure:\n",
                "    shmSize: 16g\n    llenergymeasure:\n      engine: vllm\n      version:"
                    + " \"2.0.0\"\n"));
    assertEquals("ghcr.io/henrycgbaker/llenergymeasure/vllm:v2.0.0", e.image());
    assertEquals("2.0.0", e.llenergymeasure().version());
    assertEquals(16L << 30, e.shmSize());

    Experiment own = only(VLLM.replace("    gpus:", "    image: my/vllm:dev\n    gpus:"));
    assertEquals("my/vllm:dev", own.image());
    assertNull(own.llenergymeasure().version(), "no version when the image is explicit");
    assertEquals("vllm", own.llenergymeasure().engine());
  }

  @Test
  void withoutAnEngineFieldTheEngineIsTransformersAndOldConfigsNameItBackend() {
    String base =
        """
        campaign: c1
        experiments:
          - name: a
            llenergymeasure: {config: {task: {model: gpt2}}}
          - name: b
            llenergymeasure: {config: {model: gpt2, backend: pytorch}}
        """;
    List<Experiment> es = Yamls.load(base).campaign().experiments();
    assertEquals("ghcr.io/henrycgbaker/llenergymeasure/transformers:v0.9.0", es.get(0).image());
    assertNull(es.get(0).shmSize(), "the shm default is vLLM's only");
    assertEquals("ghcr.io/henrycgbaker/llenergymeasure/pytorch:v0.9.0", es.get(1).image());
  }

  @Test
  void theConfigMergesDeeplyFromDefaultsAndTheKeysOneByOne() {
    Experiment e =
        only(
            """
            campaign: c1
            defaults:
              llenergymeasure:
                version: "2.0.0"
                config:
                  task: {model: gpt2, dataset: {n_prompts: 10, order: grouped}}
                  measurement: {baseline: {enabled: false}}
            experiments:
              - name: e1
                llenergymeasure:
                  config:
                    task: {dataset: {n_prompts: 99}}
                    engine: transformers
            """);
    assertEquals(
        "{\"engine\":\"transformers\",\"measurement\":{\"baseline\":{\"enabled\":false}},"
            + "\"task\":{\"dataset\":{\"n_prompts\":99,\"order\":\"grouped\"},\"model\":\"gpt2\"}}",
        e.llenergymeasure().config());
    assertEquals("ghcr.io/henrycgbaker/llenergymeasure/transformers:v2.0.0", e.image());
  }

  @Test
  void aValueThatIsExactlyAnAxisTakesTheAxisValuesTypeOthersAreText() {
    LoadedCampaign lc =
        Yamls.load(
            """
            campaign: c1
            grid:
              name: "bs{batch}-{eager}-{tag}"
              base:
                llenergymeasure:
                  config:
                    task: {model: "gpt2", note: "batch {batch}"}
                    engine: vllm
                    vllm: {engine: {max_num_seqs: "{batch}", enforce_eager: "{eager}", x: "{tag}"}}
              axes:
                batch: [8, 32]
                eager: [true]
                tag: ["16"]
            """);
    List<Experiment> es = lc.campaign().experiments();
    assertEquals(2, es.size());
    assertEquals(
        "{\"engine\":\"vllm\",\"task\":{\"model\":\"gpt2\",\"note\":\"batch 8\"},"
            + "\"vllm\":{\"engine\":{\"enforce_eager\":true,\"max_num_seqs\":8,\"x\":\"16\"}}}",
        es.get(0).llenergymeasure().config());
    assertTrue(es.get(1).llenergymeasure().config().contains("\"max_num_seqs\":32"));
  }

  @Test
  void decimalsAreWrittenOneWayAndStayDecimals() {
    String yaml = VLLM.replace("0.90", "%s");
    for (String[] c :
        new String[][] {{"0.90", "0.9"}, {"1.0", "1.0"}, {"1e3", "1E+3"}, {"+.5", "0.5"}}) {
      String config = only(String.format(yaml, c[0])).llenergymeasure().config();
      assertTrue(config.contains("\"gpu_memory_utilization\":" + c[1] + "}"), c[0] + ": " + config);
    }
  }

  @Test
  void pythonIsForProcessRuns() {
    String yaml =
        """
        campaign: c1
        attach: process
        experiments:
          - name: e1
            llenergymeasure: {config: {task: {model: gpt2}}, python: /opt/llem/bin/python}
        """;
    assertEquals("/opt/llem/bin/python", only(yaml).llenergymeasure().python());
    assertEquals(
        List.of(
            "4:62: experiments[0].llenergymeasure.python: `python` is the interpreter of a local"
                + " run and applies only to `attach: process`; this campaign runs containers"
                + " (attach: device-request): remove it, or set `attach: process`"),
        Yamls.errors(yaml.replace("attach: process\n", "")));
  }

  @Test
  void commandAndResultFileAreUpstreamsAndRefusedWithTheReason() {
    List<String> errors =
        Yamls.errors(
            """
            campaign: c1
            defaults:
              resultFile: out.json
            experiments:
              - name: e1
                command: [llem, run]
                llenergymeasure: {config: {task: {model: gpt2}}}
            """);
    assertEquals(
        List.of(
            "3:15: defaults.resultFile: `resultFile` cannot be used with `llenergymeasure:`: the"
                + " result is upstream's <config_hash>_result.json, named by a hash upstream"
                + " computes from the config; remove `resultFile` (experiment e1)",
            "6:14: experiments[0].command: `command` cannot be used with `llenergymeasure:`: the"
                + " image's own command runs the experiment (upstream's entry point reads the"
                + " config from LLEM_CONFIG_PATH); remove `command`"),
        errors);
  }

  @Test
  void eachRefusedValueIsReportedAtItsPlace() {
    List<String> errors =
        Yamls.errors(
            """
            campaign: c1
            experiments:
              - name: a
                llenergymeasure: {config: [gpt2]}
              - name: b
                llenergymeasure: {config: {task: {model: gpt2}}, engin: vllm}
              - name: c
                llenergymeasure: {config: {engine: jax}}
              - name: d
                llenergymeasure: {config: {engine: vllm}, engine: tensorrt, version: v2.0.0}
              - name: e
                llenergymeasure:
                  config: {t: yes, n: 010, x: .inf}
              - name: f
                llenergymeasure: {engine: vllm}
              - name: g
                llenergymeasure: {config: {engine: vllm}, engine: tensorrt}
            """);
    assertEquals(
        List.of(
            "4:31: experiments[0].llenergymeasure.config: expected upstream's ExperimentConfig"
                + " as a mapping, e.g. config: {task: {model: gpt2}, engine: transformers}, found"
                + " a list",
            "6:54: experiments[1].llenergymeasure.engin: unknown key `engin`; did you mean"
                + " `engine`?",
            "8:40: experiments[2].llenergymeasure.config.engine: the config's engine `jax` has"
                + " no upstream image; expected one of transformers, vllm, tensorrt, pytorch, or"
                + " give `image:`",
            "10:74: experiments[3].llenergymeasure.version: `v2.0.0` starts with v, but the"
                + " image tag is v<version>; write the version alone, e.g. 2.0.0",
            "13:19: experiments[4].llenergymeasure.config.t: `yes` is ambiguous (YAML 1.1 reads"
                + " it as a boolean, other tools do not); write true or false",
            "13:27: experiments[4].llenergymeasure.config.n: `010` is not a whole number in"
                + " decimal (YAML 1.1 reads a leading 0 as octal, 0x as hexadecimal and ignores"
                + " _); write it in decimal digits, or quote it if it is text",
            "13:35: experiments[4].llenergymeasure.config.x: `.inf` is not a decimal number JSON"
                + " can hold (no infinity, NaN or _); write e.g. 0.5, or quote it if it is text",
            "15:22: experiments[5].llenergymeasure: has no `config`; give upstream's"
                + " ExperimentConfig, e.g. config: {task: {model: gpt2}, engine: transformers}",
            "17:55: experiments[6].llenergymeasure.engine: engine `tensorrt` differs from the"
                + " config's engine `vllm`; the image must be that of the engine the config runs:"
                + " make them equal or remove `engine`"),
        errors);
  }

  @Test
  void aPlaceholderInAGridConfigMustNameAnAxis() {
    List<String> errors =
        Yamls.errors(
            """
            campaign: c1
            grid:
              name: "bs{batch}"
              base:
                llenergymeasure: {config: {vllm: {engine: {max_num_seqs: "{bacth}"}}}}
              axes:
                batch: [8, 32]
            """);
    assertEquals(
        List.of(
            "5:62: grid.base.llenergymeasure.config.vllm.engine.max_num_seqs: `{bacth}` names no"
                + " axis of the grid; axes are batch (did you mean {batch}?)"),
        errors);
  }

  @Test
  void theDefaultVersionWithTheNewerConfigFormatIsAWarning() {
    LoadedCampaign lc = Yamls.load(VLLM);
    assertEquals(1, lc.warnings().size(), lc.warnings().toString());
    assertTrue(
        lc.warnings()
            .get(0)
            .startsWith(
                "test.yaml:7:17: experiments[0].llenergymeasure.config.engine: the default image"
                    + " (upstream 0.9.0, its newest release) reads configs with `backend:`"),
        lc.warnings().get(0));
    assertEquals(List.of(), Yamls.load(VLLM.replace("engine: vllm", "backend: vllm")).warnings());
  }

  @Test
  void theKeyChangesThePlanHashOnlyWhereItIsSetAndNotByHowTheConfigIsWritten() {
    String plain = "campaign: c1\nexperiments:\n  - {name: e1, image: img:1}\n";
    assertTrue(
        !PlanBuilder.canonicalForm(Yamls.load(plain).campaign()).contains("llenergymeasure"));
    String hash = Yamls.load(VLLM).plan().hash();
    String sameImage =
        VLLM.substring(0, VLLM.indexOf("    llenergymeasure:"))
            + "    image: ghcr.io/henrycgbaker/llenergymeasure/vllm:v0.9.0\n    shmSize: 8g\n"
            + "    gpus: [0, 1]\n";
    assertNotEquals(Yamls.load(sameImage).plan().hash(), hash);
    assertNotEquals(hash, Yamls.load(VLLM.replace("n_prompts: 50", "n_prompts: 51")).plan().hash());
    assertEquals(
        hash,
        Yamls.load(
                VLLM.replace(
                    "enforce_eager: true, gpu_memory_utilization: 0.90",
                    "gpu_memory_utilization: 0.9, enforce_eager: true"))
            .plan()
            .hash(),
        "key order and 0.90 vs 0.9 change nothing");
    assertEquals(
        hash,
        Yamls.load(
                VLLM.replace(
                    "    llenergymeasure:\n", "    llenergymeasure:\n      version: 0.9.0\n"))
            .plan()
            .hash(),
        "writing the default version changes nothing");
  }

  @Test
  void theValidExampleFileLoadsWithoutWarnings() {
    LoadedCampaign lc = Yamls.loadResource("valid/llenergymeasure.yaml");
    assertEquals(List.of(), lc.warnings());
    assertEquals(9, lc.plan().runs().size());
    Experiment vllm = lc.campaign().experiment("qwen-05b-vllm-seqs256");
    assertEquals("ghcr.io/henrycgbaker/llenergymeasure/vllm:v2.0.0", vllm.image());
    assertTrue(vllm.llenergymeasure().config().contains("\"max_num_seqs\":256,"));
    assertTrue(vllm.llenergymeasure().config().contains("\"n_prompts\":50"));
  }
}
