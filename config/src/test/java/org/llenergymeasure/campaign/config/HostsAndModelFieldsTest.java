package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** hosts: any | ids and selectors; gpus: {count, model}; their errors and the plan hash. */
class HostsAndModelFieldsTest {

  private static String file(String gpus, String hosts) {
    return "campaign: c1\nexperiments:\n  - name: e1\n    image: img:1\n    gpus: "
        + gpus
        + "\n"
        + (hosts == null ? "" : "hosts: " + hosts + "\n");
  }

  private static Campaign campaign(String gpus, String hosts) {
    return Yamls.load(file(gpus, hosts)).campaign();
  }

  private static List<String> errors(String gpus, String hosts) {
    return Yamls.errors(file(gpus, hosts));
  }

  @Test
  void hostsAnyIsEveryRegisteredHost() {
    Campaign c = campaign("{count: 1}", "any");
    assertEquals(HostsSpec.anyHost(), c.hostsSpec());
    assertEquals(List.of(), c.hosts());
    assertEquals(HostsSpec.anyHost(), c.placementFor(c.experiments().get(0)));
  }

  @Test
  void aListOfIdsKeepsItsOldMeaningUnlessTheRunAsksForAModel() {
    Campaign c = campaign("{count: 1}", "[h1, h2]");
    assertNull(c.hostsSpec());
    assertEquals(List.of("h1", "h2"), c.hosts());
    assertNull(c.placementFor(c.experiments().get(0)));
    Campaign m = campaign("{count: 1, model: \"*H100*\"}", "[h1, h2]");
    assertEquals(HostsSpec.named(List.of("h1", "h2")), m.placementFor(m.experiments().get(0)));
    // Without hosts: the run's own host, whatever the model (its router honours the glob).
    Campaign alone = campaign("{count: 1, model: \"*H100*\"}", null);
    assertNull(alone.placementFor(alone.experiments().get(0)));
  }

  @Test
  void idsAndSelectorsMix() {
    Campaign c = campaign("{count: 2}", "[h1, {gpuModel: \"*H100*\", minMemoryGiB: 70}]");
    assertEquals(
        new HostsSpec(false, List.of("h1"), List.of(new HostSelector("*H100*", 70))),
        c.hostsSpec());
    assertEquals("[h1, {gpuModel: \"*H100*\", minMemoryGiB: 70}]", c.hostsSpec().toString());
  }

  @Test
  void aPinnedHostNeedNotBeListedWhenSelectorsPlaceRuns() {
    String f =
        "campaign: c1\nexperiments:\n  - name: e1\n    image: img:1\n    host: h9\n"
            + "hosts: [h1, {gpuModel: \"*A100*\"}]\n";
    assertEquals("h9", Yamls.load(f).campaign().experiments().get(0).host());
  }

  @Test
  void countWithModel() {
    GpuRequest g = campaign("{count: 2, model: \"*H100*\"}", null).experiments().get(0).gpus();
    assertEquals(GpuRequest.count(2, "*H100*"), g);
    assertEquals("{count: 2, model: \"*H100*\"}", g.toString());
  }

  @Test
  void theModelJoinsTheHashOnlyWhenGivenAndHostsNever() {
    String plain = Yamls.load(file("{count: 2}", null)).plan().hash();
    assertEquals(plain, Yamls.load(file("{count: 2}", "any")).plan().hash());
    assertEquals(plain, Yamls.load(file("{count: 2}", "[h1, {gpuModel: \"*H*\"}]")).plan().hash());
    assertNotEquals(plain, Yamls.load(file("{count: 2, model: \"*H100*\"}", null)).plan().hash());
  }

  @Test
  void hostsMistakesAreLocatedWithTheirReason() {
    assertEquals(
        "6:8: hosts: `anyy` is not a hosts form; write any (every registered host) or a list of"
            + " host ids and selectors such as [gpu-node-1, {gpuModel: \"*H100*\"}] (did you mean"
            + " `any`?)",
        errors("{count: 1}", "anyy").get(0));
    assertTrue(
        errors("{count: 1}", "[h1, {gpuModle: \"*H100*\"}]")
            .get(0)
            .startsWith("6:14: hosts[1].gpuModle: unknown key"),
        errors("{count: 1}", "[h1, {gpuModle: \"*H100*\"}]").toString());
    assertTrue(
        errors("{count: 1}", "[h1, {gpuModle: \"*H100*\"}]").get(0).contains("gpuModel"),
        "suggests the key");
    assertEquals(
        List.of(
            "6:20: hosts[0].gpuModel: is an empty glob; write a GPU name glob such as \"*H100*\""),
        errors("{count: 1}", "[{gpuModel: \"\"}]"));
    assertTrue(
        errors("{count: 1}", "[{}]").get(0).startsWith("6:9: hosts[0]: is an empty selector"));
    assertTrue(
        errors("{count: 1}", "[h1, any]").get(0).startsWith("6:13: hosts[1]: any means every"));
    assertTrue(
        errors("{count: 1}", "[{minMemoryGiB: 0}]")
            .get(0)
            .startsWith("6:24: hosts[0].minMemoryGiB: 0 is out of range"),
        errors("{count: 1}", "[{minMemoryGiB: 0}]").toString());
    assertTrue(
        errors("{count: 1}", "[h1, h1]").get(0).startsWith("6:13: hosts[1]: `h1` is listed twice"));
  }

  @Test
  void modelMistakesAreLocatedWithTheirReason() {
    assertEquals(
        List.of(
            "5:11: experiments[0].gpus: model needs a count: write {count: 1, model: \"*H100*\"}"
                + " for any one idle GPU of that model"),
        errors("{model: \"*H100*\"}", null));
    assertEquals(
        List.of(
            "5:29: experiments[0].gpus.model: is an empty glob; write a GPU name glob such as"
                + " \"*H100*\" or remove model"),
        errors("{count: 1, model: \"\"}", null));
    assertTrue(
        errors("{count: 1, model: [0, 1]}", null)
            .get(0)
            .startsWith("5:29: experiments[0].gpus.model: model is one glob of the GPU's name"));
    assertTrue(
        errors("{count: 0, model: \"*H100*\"}", null)
            .get(0)
            .startsWith("5:19: experiments[0].gpus.count: 0 GPUs is not a request"));
    assertTrue(
        errors("{count: 1, modle: \"*H100*\"}", null)
            .get(0)
            .startsWith("5:22: experiments[0].gpus.modle: unknown key"));
  }

  @Test
  void globsMatchTheWholeNameIgnoringCase() {
    assertTrue(GpuModelGlob.matches("*H100*", "NVIDIA H100 80GB HBM3"));
    assertTrue(GpuModelGlob.matches("nvidia h?00*", "NVIDIA H200"));
    assertFalse(GpuModelGlob.matches("H100", "NVIDIA H100 80GB HBM3"));
    assertFalse(GpuModelGlob.matches("*A100*", "NVIDIA H100 80GB HBM3"));
    assertFalse(GpuModelGlob.matches("*", null));
    assertTrue(GpuModelGlob.matches("*", ""));
  }
}
