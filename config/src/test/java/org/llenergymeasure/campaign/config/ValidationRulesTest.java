package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.llenergymeasure.campaign.config.Yamls.oneExperiment;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each rule of the format from both sides: a value that is accepted (and what it becomes) and a
 * value that is refused, with the exact position and path of the error.
 */
class ValidationRulesTest {

  // oneExperiment(...) puts its lines from line 5 on, indented by 4 (values of `key: ` start at
  // column 5 + key length + 2).

  private static Experiment only(String... lines) {
    return Yamls.load(oneExperiment(lines)).campaign().experiments().get(0);
  }

  private static void rejected(String yaml, String... expectedPrefixes) {
    List<String> errors = Yamls.errors(yaml);
    assertEquals(expectedPrefixes.length, errors.size(), String.join("\n", errors));
    for (int i = 0; i < expectedPrefixes.length; i++) {
      assertTrue(
          errors.get(i).startsWith(expectedPrefixes[i]),
          "expected: " + expectedPrefixes[i] + "\nactual:   " + errors.get(i));
    }
  }

  @Test
  void defaultsOfTheFormatTable() {
    Experiment e = only();
    assertEquals(GpuRequest.none(), e.gpus());
    assertNull(e.parallelism());
    assertEquals("/results", e.resultsDir());
    assertEquals("result.json", e.resultFile());
    assertEquals(Duration.ofHours(12), e.timeout());
    assertEquals(Duration.ofMinutes(30), e.silenceTimeout());
    assertEquals(0, e.retries());
    assertEquals("private", e.ipc());
    assertEquals("bridge", e.network());
    assertEquals(BusyPolicy.WAIT, e.busy());
    assertNull(e.command());
    assertNull(e.shmSize());
    assertNull(e.memory());
    assertNull(e.probe());
    assertNull(e.host());
    Campaign c = Yamls.load(oneExperiment()).campaign();
    assertEquals(Execution.defaults(), c.execution());
    assertEquals(AttachMode.DEVICE_REQUEST, c.attach());
    assertEquals(List.of(), c.hosts());
    assertNull(c.description());
  }

  @Test
  void unknownKeysAreNamedWithTheNearestKnownKey() {
    rejected(
        oneExperiment("silenceTimout: 20m"),
        "5:5: experiments[0].silenceTimout: unknown key `silenceTimout`; did you mean"
            + " `silenceTimeout`?");
    rejected(
        oneExperiment() + "execution:\n  cycels: 2\n",
        "6:3: execution.cycels: unknown key `cycels`; did you mean `cycles`?");
    rejected(
        oneExperiment("mounts: [{source: /a, target: /b, readonly: true}]"),
        "5:39: experiments[0].mounts[0].readonly: unknown key `readonly`; did you mean"
            + " `readOnly`?");
    rejected(
        oneExperiment("parallelism: {tensors: 2}"),
        "5:19: experiments[0].parallelism.tensors: unknown key `tensors`; did you mean `tensor`?");
    rejected(
        oneExperiment("zzzzzz: 1"),
        "5:5: experiments[0].zzzzzz: unknown key `zzzzzz`; the keys of an experiment are name,"
            + " image, command");
  }

  @Test
  void privilegedIsRefusedWherever() {
    for (String where : List.of("privileged: true", "privileged: false")) {
      rejected(oneExperiment(where), "5:5: experiments[0].privileged: `privileged` is refused");
    }
    rejected(oneExperiment() + "privileged: true\n", "5:1: privileged: `privileged` is refused");
    rejected(
        "campaign: c1\ngrid:\n  name: \"e{b}\"\n  base: {image: i, privileged: true}\n"
            + "  axes: {b: [1]}\n",
        "4:20: grid.base.privileged: `privileged` is refused");
  }

  @Test
  void imageFromTheExperimentOrFromDefaults() {
    assertEquals("img:1", only().image());
    Campaign c =
        Yamls.load(
                "campaign: c1\ndefaults: {image: base:2}\nexperiments:\n"
                    + "  - name: a\n  - name: b\n    image: own:3\n")
            .campaign();
    assertEquals("base:2", c.experiment("a").image());
    assertEquals("own:3", c.experiment("b").image());
    rejected(
        "campaign: c1\nexperiments:\n  - name: a\n",
        "3:5: experiments[0]: has no image; add `image:` to this experiment or to `defaults`");
    rejected(
        oneExperiment().replace("img:1", "\"my image\""),
        "4:12: experiments[0].image: `my image` is not an image reference: it contains a space");
  }

  @Test
  void cyclesConcurrencyRetriesRanges() {
    assertEquals(
        1,
        Yamls.load(oneExperiment() + "execution: {cycles: 1}\n").campaign().execution().cycles());
    assertEquals(
        1000,
        Yamls.load(oneExperiment() + "execution: {cycles: 1000}\n")
            .campaign()
            .execution()
            .cycles());
    rejected(
        oneExperiment() + "execution: {cycles: 1001}\n",
        "5:21: execution.cycles: 1001 is"
            + " out of range; expected a whole number from 1 to 1000");
    rejected(
        oneExperiment() + "execution: {cycles: 2.5}\n",
        "5:21: execution.cycles: expected"
            + " a whole number from 1 to 1000, found the number 2.5");
    assertEquals(
        4,
        Yamls.load(oneExperiment() + "execution: {concurrency: 4}\n")
            .campaign()
            .execution()
            .concurrency());
    rejected(
        oneExperiment() + "execution: {concurrency: -1}\n",
        "5:26: execution.concurrency: -1 is out of range; expected a whole number of at least 1");
    assertEquals(100, only("retries: 100").retries());
    rejected(oneExperiment("retries: 101"), "5:14: experiments[0].retries: 101 is out of range");
    rejected(oneExperiment("retries: -1"), "5:14: experiments[0].retries: -1 is negative");
    rejected(
        oneExperiment() + "execution: {maxConsecutiveFailures: 0}\n",
        "5:37: execution.maxConsecutiveFailures: 0 is out of range");
  }

  @Test
  void seedIsAnyIntegerIncludingZeroAndNegative() {
    for (long seed : new long[] {0, -1, Long.MAX_VALUE, Long.MIN_VALUE}) {
      assertEquals(
          seed,
          Yamls.load(oneExperiment() + "execution: {seed: " + seed + "}\n")
              .campaign()
              .execution()
              .seed());
    }
    rejected(
        oneExperiment() + "execution: {seed: 99999999999999999999}\n",
        "5:19: execution.seed: 99999999999999999999 is too large");
  }

  @Test
  void durationsAndSizesInFields() {
    Experiment e = only("timeout: 90s", "silenceTimeout: PT1M30S", "shmSize: 512m", "memory: 2g");
    assertEquals(Duration.ofSeconds(90), e.timeout());
    assertEquals(Duration.ofSeconds(90), e.silenceTimeout());
    assertEquals(512L << 20, e.shmSize());
    assertEquals(2L << 30, e.memory());
    Execution x =
        Yamls.load(oneExperiment() + "execution: {gap: 0, cycleGap: 1d}\n").campaign().execution();
    assertEquals(Duration.ZERO, x.gap());
    assertEquals(Duration.ofDays(1), x.cycleGap());
    rejected(
        oneExperiment("silenceTimeout: 20"),
        "5:21: experiments[0].silenceTimeout: `20`" + " has no unit; write e.g. 90s, 15m, 2h, 1d");
    rejected(
        oneExperiment("memory: 64gigs"),
        "5:13: experiments[0].memory: `64gigs` is not a" + " size");
    rejected(
        oneExperiment() + "execution: {gap: -1m}\n",
        "5:18: execution.gap: `-1m` is not a" + " duration");
  }

  @Test
  void envKeysValuesAndRoutingVariables() {
    Experiment e = only("env: {HF_HOME: /cache, N: 8, FLAG: on, _X1: \"\"}");
    assertEquals(Map.of("HF_HOME", "/cache", "N", "8", "FLAG", "on", "_X1", ""), e.env());
    rejected(
        oneExperiment("env: {1X: a}"),
        "5:11: experiments[0].env.1X: `1X` is not a valid" + " variable name");
    rejected(
        oneExperiment("env: {NVIDIA_VISIBLE_DEVICES: all}"),
        "5:11: experiments[0].env.NVIDIA_VISIBLE_DEVICES: `NVIDIA_VISIBLE_DEVICES` is set by the"
            + " GPU router");
    rejected(
        oneExperiment("env: {CUDA_DEVICE_ORDER: PCI_BUS_ID}"),
        "5:11: experiments[0].env.CUDA_DEVICE_ORDER: `CUDA_DEVICE_ORDER` is set by the GPU"
            + " router");
    rejected(
        oneExperiment("env: {A: [1, 2]}"),
        "5:14: experiments[0].env.A: expected an"
            + " environment value (text, number or boolean), found a list");
    rejected(
        oneExperiment("env: [A=1]"),
        "5:10: experiments[0].env: expected a mapping",
        "5:10: experiments[0].env: write env as a mapping");
  }

  @Test
  void secrets() {
    assertEquals(
        List.of("HF_TOKEN", "WANDB_KEY"), only("secrets: [HF_TOKEN, WANDB_KEY]").secrets());
    rejected(
        oneExperiment("secrets: [HF_TOKEN, HF_TOKEN]"),
        "5:25: experiments[0].secrets[1]: `HF_TOKEN` is listed twice (also"
            + " experiments[0].secrets[0]); list each secret once");
    rejected(
        oneExperiment("secrets: [CUDA_VISIBLE_DEVICES]"),
        "5:15: experiments[0].secrets[0]: `CUDA_VISIBLE_DEVICES` is a routing variable");
  }

  @Test
  void mountsAndResultPaths() {
    Experiment e =
        only(
            "mounts: [{source: /a, target: /b}, {source: /c, target: /d, readOnly:" + " true}]",
            "resultsDir: /out",
            "resultFile: sub/metrics.json");
    assertEquals(List.of(new Mount("/a", "/b", false), new Mount("/c", "/d", true)), e.mounts());
    assertEquals("/out", e.resultsDir());
    assertEquals("sub/metrics.json", e.resultFile());
    rejected(
        oneExperiment("mounts: [{source: /a, target: cache}]"),
        "5:35: experiments[0].mounts[0].target: `cache` is not an absolute path");
    rejected(
        oneExperiment("mounts: [{source: /a/../../etc, target: /x}]"),
        "5:23: experiments[0].mounts[0].source: `/a/../../etc` contains `..`");
    rejected(
        oneExperiment("mounts: [{source: /a}]"),
        "5:14: experiments[0].mounts[0].target: is missing; a mount needs an absolute target");
    rejected(
        oneExperiment("mounts: [{source: /a, target: /b, readOnly: yes}]"),
        "5:49: experiments[0].mounts[0].readOnly: `yes` is ambiguous");
    rejected(
        oneExperiment("resultsDir: /"),
        "5:17: experiments[0].resultsDir: the container's" + " root cannot be the results folder");
    rejected(
        oneExperiment("resultFile: out/"),
        "5:17: experiments[0].resultFile: `out/` names" + " a folder");
  }

  @Test
  void choices() {
    Experiment e = only("ipc: host", "network: none", "busy: ignore");
    assertEquals("host", e.ipc());
    assertEquals("none", e.network());
    assertEquals(BusyPolicy.IGNORE, e.busy());
    rejected(
        oneExperiment("network: hots"),
        "5:14: experiments[0].network: `hots` is not"
            + " allowed; expected one of bridge, none, host (did you mean `host`?)");
    rejected(
        oneExperiment("busy: no"),
        "5:11: experiments[0].busy: `no` is not allowed;" + " expected one of wait, fail, ignore");
    for (String order : List.of("grouped", "interleave", "shuffle", "reverse", "latin-square")) {
      assertEquals(
          RunOrder.fromYaml(order),
          Yamls.load(oneExperiment() + "execution: {order: " + order + "}\n")
              .campaign()
              .execution()
              .order());
    }
    for (String attach : List.of("device-request", "env", "cdi", "process")) {
      assertEquals(
          AttachMode.fromYaml(attach),
          Yamls.load(oneExperiment() + "attach: " + attach + "\n").campaign().attach());
    }
  }

  @Test
  void namesAndYaml11Gotchas() {
    Campaign c = Yamls.loadResource("valid/gpu-forms.yaml").campaign();
    Experiment odd = c.experiment("1e3"); // a YAML float, kept as written
    assertEquals(Map.of("ENABLED", "yes", "MODE", "off", "RATIO", "1e3", "EMPTY", ""), odd.env());
    assertEquals(Map.of("answer", "no"), odd.labels());
    assertEquals(List.of("llem", "run", "--flag", "two words", "--n", "010"), odd.command());
    assertEquals(
        "010",
        Yamls.load(oneExperiment().replace("name: e1", "name: 010"))
            .campaign()
            .experiments()
            .get(0)
            .name());
    rejected(
        oneExperiment().replace("name: e1", "name: a_very_long_name_" + "x".repeat(50)),
        "3:11: experiments[0].name: experiment name `a_very_long_name_");
    rejected(
        oneExperiment().replace("name: e1", "name: -lead"),
        "3:11: experiments[0].name: experiment name `-lead` is not allowed: it starts with '-'");
    rejected(
        oneExperiment().replace("name: e1", "name: a@b"),
        "3:11: experiments[0].name: experiment name `a@b` is not allowed: it contains '@'");
    rejected(
        oneExperiment().replace("campaign: c1", "campaign: my/campaign"),
        "1:11: campaign: campaign name `my/campaign` is not allowed: it contains '/'");
    rejected(
        oneExperiment() + "execution: {failFast: on}\n",
        "5:23: execution.failFast: `on` is ambiguous");
    assertTrue(
        Yamls.load(oneExperiment() + "execution: {failFast: true}\n")
            .campaign()
            .execution()
            .failFast());
  }

  @Test
  void gpuForms() {
    Campaign c = Yamls.loadResource("valid/gpu-forms.yaml").campaign();
    assertEquals(GpuRequest.of(List.of("0", "1", "3")), c.experiment("by-index").gpus());
    assertEquals(GpuRequest.of(List.of("GPU-ce5f3ece")), c.experiment("by-prefix").gpus());
    assertEquals(GpuRequest.of(List.of("0:1")), c.experiment("mig-pair").gpus());
    assertEquals(GpuRequest.all(), c.experiment("every-gpu").gpus());
    assertEquals(GpuRequest.none(), c.experiment("no-gpu").gpus());
    assertEquals(GpuRequest.count(2), c.experiment("any-two").gpus());
    assertEquals(new Parallelism(1, 2), c.experiment("any-two").parallelism());
    rejected(
        oneExperiment("gpus: [GPU-ABCD, gpu-abcd]"),
        "5:22: experiments[0].gpus[1]: `gpu-abcd` is already selected by experiments[0].gpus[0]");
    rejected(
        oneExperiment("gpus: [\"0:0\", \"0:1\"]"),
        "5:11: experiments[0].gpus: selects 2 MIG devices; a CUDA process can use only one");
    rejected(
        oneExperiment("gpus: [true]"),
        "5:12: experiments[0].gpus[0]: expected a GPU selector, found the boolean true");
    rejected(
        oneExperiment("gpus: \"0,1\""),
        "5:11: experiments[0].gpus: `0,1` is one text; write a YAML list such as [0, 1]");
    rejected(
        oneExperiment("gpus: {count: 2, extra: 1}"),
        "5:22: experiments[0].gpus.extra: unknown key `extra`");
    rejected(
        oneExperiment("gpus: {count: 2.0}"),
        "5:19: experiments[0].gpus.count: expected a whole number from 1 to 1024");
    rejected(
        oneExperiment("gpus:"), "5:10: experiments[0].gpus: has no value; write none for no GPU");
  }

  @Test
  void parallelismMustMatchTheKnownNumberOfGpus() {
    assertEquals(
        new Parallelism(2, 2),
        only("gpus: [0, 1, 2, 3]", "parallelism: {tensor: 2, pipeline: 2}").parallelism());
    assertEquals(
        new Parallelism(8, 1),
        only("gpus: all", "parallelism: {tensor: 8}")
            .parallelism()); // unknown without a host: the router checks it
    assertEquals(
        new Parallelism(2, 1), only("gpus: {count: 2}", "parallelism: {tensor: 2}").parallelism());
    rejected(
        oneExperiment("gpus: {count: 3}", "parallelism: {tensor: 2, pipeline: 2}"),
        "6:18: experiments[0].parallelism: tensor 2 × pipeline 2 = 4 GPUs, but gpus ({count: 3})"
            + " selects 3");
    rejected(
        oneExperiment("parallelism: {tensor: 1}"),
        "5:18: experiments[0].parallelism: tensor 1 × pipeline 1 = 1 GPUs, but gpus (none)"
            + " selects 0");
    // Set in defaults, wrong for one experiment only: the message names that experiment.
    rejected(
        "campaign: c1\ndefaults: {image: i, parallelism: {tensor: 2}}\nexperiments:\n"
            + "  - {name: a, gpus: [0, 1]}\n  - {name: b, gpus: [0]}\n",
        "2:35: defaults.parallelism: tensor 2 × pipeline 1 = 2 GPUs, but gpus ([0]) selects 1;"
            + " make them equal (experiment b)");
  }

  @Test
  void hosts() {
    Campaign c =
        Yamls.load(
                "campaign: c1\nhosts: [gpu-node-1, GPU_Node.2]\nexperiments:\n"
                    + "  - {name: a, image: i, host: GPU_Node.2}\n")
            .campaign();
    assertEquals(List.of("gpu-node-1", "GPU_Node.2"), c.hosts());
    assertEquals("GPU_Node.2", c.experiments().get(0).host());
    rejected(oneExperiment() + "hosts: []\n", "5:8: hosts: is empty");
    rejected(oneExperiment() + "hosts: [a, a]\n", "5:12: hosts[1]: `a` is listed twice");
    rejected(oneExperiment("host: -x"), "5:11: experiments[0].host: `-x` is not a valid host id");
  }

  @Test
  void allErrorsOfAFileAreReportedAtOnceInPositionOrder() {
    rejected(
        "campaign: c1\nexperiments:\n  - name: a\n    image: i\n    gpus: [x]\n"
            + "  - name: B\n    image: i\n    timeout: soon\nexecution: {cycles: 0}\n",
        "5:12: experiments[0].gpus[0]:",
        "6:11: experiments[1].name:",
        "8:14: experiments[1].timeout:",
        "9:21: execution.cycles:");
  }

  @Test
  void errorsPrintWithTheFileName() {
    CampaignFileException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            CampaignFileException.class,
            () -> CampaignLoader.parse(oneExperiment("retries: x"), "dir/my-campaign.yaml"));
    assertEquals(1, e.errors().size());
    assertEquals(
        "dir/my-campaign.yaml:5:14: experiments[0].retries: expected a whole number"
            + " from 0 to 100, found the text 'x'",
        e.errors().get(0).toString());
    assertEquals(e.errors().get(0).toString(), e.getMessage());
  }

  @Test
  void anchorsAndAliasesAreFollowed() {
    Campaign c =
        Yamls.load(
                "campaign: c1\nexperiments:\n  - name: a\n    image: i\n"
                    + "    env: &common {A: \"1\"}\n  - name: b\n    image: j\n    env: *common\n")
            .campaign();
    assertEquals(Map.of("A", "1"), c.experiment("b").env());
    rejected(
        oneExperiment("env: *missing"),
        "5:10: experiments[0].env: alias *missing refers to no anchor",
        "5:10: experiments[0].env: expected a mapping (key: value), found an empty value");
  }

  @Test
  void equivalentExperimentsAreAWarningNamingBoth() {
    LoadedCampaign lc =
        Yamls.load(
            "campaign: c1\ndefaults: {image: i}\nexperiments:\n"
                + "  - {name: a, labels: {run: first}}\n  - {name: b, env: {X: \"1\"}}\n"
                + "  - {name: c, labels: {run: second}}\n");
    assertEquals(
        List.of(
            "test.yaml:4:12: experiments[0].name: experiments `a` and `c` are"
                + " equivalent (same image, command, env, gpus, parallelism and settings; only name and"
                + " labels differ), so their runs measure the same thing; use the axis in the command or"
                + " env, or remove the duplicates"),
        lc.warnings());
    assertEquals(List.of(), Yamls.load(oneExperiment()).warnings());
  }

  @Test
  void anInvalidFieldCausesNoFollowOnErrors() {
    // The experiment's own parallelism is invalid: the one from defaults must not then be
    // checked against its GPUs, nor the image be called missing when it was only misspelt.
    rejected(
        "campaign: c1\ndefaults: {image: i, parallelism: {tensor: 2}}\nexperiments:\n"
            + "  - {name: a, gpus: [0], parallelism: {tensor: x}}\n",
        "4:48: experiments[0].parallelism.tensor: expected a whole number from 1 to 1024");
    rejected(
        "campaign: c1\nexperiments:\n  - {name: a, image: \"\"}\n",
        "3:22: experiments[0].image: is empty");
    rejected(
        "campaign: c1\nexperiments: {name: a}\n",
        "2:14: experiments: expected a list, found a mapping");
  }
}
