package org.llenergymeasure.campaign.worker.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.workflows.registry.HostRecord;
import org.llenergymeasure.campaign.workflows.registry.RegisteredGpu;

/** validate --hosts: a run no registered host could ever fit is named, with why. */
class PoolCheckTest {

  static final long NOW = 5_000_000L;

  static HostRecord host(String id, String model, int gpus, boolean draining) {
    List<RegisteredGpu> list =
        java.util.stream.IntStream.range(0, gpus)
            .mapToObj(i -> new RegisteredGpu("GPU-" + id + i, i, model, 81_559L, List.of()))
            .toList();
    // Every GPU leased and the host draining: "never" looks past what is busy now.
    List<String> leased = list.stream().map(RegisteredGpu::uuid).toList();
    return new HostRecord(id, list, "550", "1", leased, List.of(), 0L, NOW, draining);
  }

  static Campaign campaign(String hosts, String experiments) throws Exception {
    return CampaignLoader.parse(
            "campaign: pool\n"
                + (hosts == null ? "" : "hosts: " + hosts + "\n")
                + "defaults: {image: 'img:1'}\nexperiments:\n"
                + experiments,
            "pool.yaml")
        .campaign();
  }

  @Test
  void aRunNoRegisteredHostCouldEverFitIsNamedWithWhy() throws Exception {
    Campaign c =
        campaign(
            "any",
            "  - {name: small, gpus: {count: 2, model: '*H100*'}}\n"
                + "  - {name: big, gpus: {count: 8, model: '*H100*'}}\n"
                + "  - {name: other, gpus: {count: 1, model: '*B200*'}}\n");
    List<HostRecord> hosts =
        List.of(host("h1", "NVIDIA H100 80GB HBM3", 4, true), host("h2", "NVIDIA A100", 8, false));
    List<String> problems = PoolCheck.problems(c, hosts, NOW);
    assertEquals(
        List.of(
            "run big.c1 asks for 8 GPUs matching *H100* on one host, and no registered host could"
                + " ever fit it: h1 has only 4 GPUs matching *H100*, h2 has no GPU matching"
                + " *H100*",
            "run other.c1 asks for 1 GPU matching *B200* on one host, and no registered host"
                + " could ever fit it: h1 has no GPU matching *B200*, h2 has no GPU matching"
                + " *B200*"),
        problems);
  }

  @Test
  void runsNotPlacedFromTheRegistryAreNotChecked() throws Exception {
    Campaign c = campaign(null, "  - {name: big, gpus: {count: 8, model: '*H100*'}}\n");
    assertFalse(PoolCheck.usesRegistry(c));
    assertEquals(
        List.of(), PoolCheck.problems(c, List.of(host("h1", "NVIDIA A100", 1, false)), NOW));
    Campaign named = campaign("[h1]", "  - {name: big, gpus: {count: 8, model: '*H100*'}}\n");
    assertTrue(PoolCheck.usesRegistry(named));
    assertEquals(
        1, PoolCheck.problems(named, List.of(host("h1", "NVIDIA A100", 1, false)), NOW).size());
  }
}
