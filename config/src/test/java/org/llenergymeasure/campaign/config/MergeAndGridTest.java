package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Merging (maps key by key, lists and scalars replace) and grid expansion with placeholders. */
class MergeAndGridTest {

  @Test
  void defaultsMergeUnderExplicitExperiments() {
    Campaign c =
        Yamls.load(
                """
        campaign: c1
        defaults:
          image: d:1
          env: {A: da, B: db}
          labels: {team: x, kind: y}
          secrets: [S1, S2]
          gpus: [0]
          command: [default, cmd]
          parallelism: {pipeline: 2}
          timeout: 1h
        experiments:
          - name: e
            env: {B: eb, C: ec}
            labels: {kind: z}
            secrets: [S3]
            gpus: [1, 2]
            parallelism: {tensor: 1}
          - name: f
            image: f:2
            command: "own cmd"
            gpus: [3, 4]
        """)
            .campaign();
    Experiment e = c.experiment("e");
    assertEquals("d:1", e.image());
    assertEquals(Map.of("A", "da", "B", "eb", "C", "ec"), e.env()); // maps merge
    assertEquals(Map.of("team", "x", "kind", "z"), e.labels());
    assertEquals(List.of("S3"), e.secrets()); // lists replace
    assertEquals(GpuRequest.of(List.of("1", "2")), e.gpus());
    assertEquals(new Parallelism(1, 2), e.parallelism()); // parallelism is a map: merges
    assertEquals(List.of("default", "cmd"), e.command());
    assertEquals(java.time.Duration.ofHours(1), e.timeout());
    Experiment f = c.experiment("f");
    assertEquals("f:2", f.image()); // scalars replace
    assertEquals(List.of("own", "cmd"), f.command());
    assertEquals(Map.of("A", "da", "B", "db"), f.env());
  }

  @Test
  void gridMergesDefaultsThenBaseThenVariantsInAxisOrder() {
    Campaign c =
        Yamls.load(
                """
        campaign: c1
        defaults: {image: d:1, env: {A: d, B: d, C: d, D: d}, retries: 1}
        grid:
          name: "g-{x}-{y}"
          base: {env: {B: base, C: base, D: base}, retries: 2}
          axes:
            x:
              - {value: one, env: {C: x1, D: x1}, image: x:1}
              - two
            y:
              - {value: a, env: {D: ya}}
              - {value: b, image: y:b, retries: 3}
        """)
            .campaign();
    assertEquals(
        List.of("g-one-a", "g-one-b", "g-two-a", "g-two-b"),
        c.experiments().stream().map(Experiment::name).toList());
    Experiment oneA = c.experiment("g-one-a");
    assertEquals(Map.of("A", "d", "B", "base", "C", "x1", "D", "ya"), oneA.env());
    assertEquals("x:1", oneA.image());
    assertEquals(2, oneA.retries());
    Experiment oneB = c.experiment("g-one-b");
    assertEquals("y:b", oneB.image()); // the later axis wins over the earlier
    assertEquals(3, oneB.retries());
    assertEquals(Map.of("A", "d", "B", "base", "C", "x1", "D", "x1"), oneB.env());
    Experiment twoA = c.experiment("g-two-a");
    assertEquals("d:1", twoA.image());
    assertEquals(Map.of("A", "d", "B", "base", "C", "base", "D", "ya"), twoA.env());
  }

  @Test
  void placeholdersInNameCommandEnvAndLabels() {
    Campaign c =
        Yamls.load(
                """
        campaign: c1
        defaults:
          image: i:1
          command: ["run", "--batch={batch}", "--json", '{"a": 1}', "${HOME}"]
        experiments:
          - name: explicit
        grid:
          name: "m-{model}-bs{batch}"
          base:
            env: {MODEL: "org/{model}", NOT_AN_AXIS: "${batch}"}
            labels: {batch: "{batch}", pair: "{model}/{batch}"}
          axes:
            model: [llama, qwen]
            batch: [1, 32]
        """)
            .campaign();
    Experiment g = c.experiment("m-qwen-bs32");
    assertEquals(List.of("run", "--batch=32", "--json", "{\"a\": 1}", "${HOME}"), g.command());
    assertEquals(Map.of("MODEL", "org/qwen", "NOT_AN_AXIS", "${batch}"), g.env());
    assertEquals(Map.of("batch", "32", "pair", "qwen/32"), g.labels());
    // Explicit experiments have no axes: their braces stay as written.
    assertEquals(
        List.of("run", "--batch={batch}", "--json", "{\"a\": 1}", "${HOME}"),
        c.experiment("explicit").command());
  }

  @Test
  void aSingleValueAxisNeedNotBeInTheName() {
    Campaign c =
        Yamls.load(
                """
        campaign: c1
        grid:
          name: "bs{batch}"
          axes:
            image: [only:1]
            batch: [1, 2]
        """
                    .replace("image: [only:1]", "img: [\"only:1\"]")
                    .replace("grid:\n", "defaults: {image: i}\ngrid:\n"))
            .campaign();
    assertEquals(List.of("bs1", "bs2"), c.experiments().stream().map(Experiment::name).toList());
  }

  @Test
  void gridOnlyCampaignAndScalarAxisValuesOfEveryYamlType() {
    Campaign c =
        Yamls.load(
                """
        campaign: c1
        defaults: {image: i}
        grid:
          name: "v-{v}"
          axes:
            v: [1, 2.5, on, "x"]
        """)
            .campaign();
    assertEquals(
        List.of("v-1", "v-2.5", "v-on", "v-x"),
        c.experiments().stream().map(Experiment::name).toList());
  }
}
