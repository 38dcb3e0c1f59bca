package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import} of upstream study files: upstream's sweep semantics (engine-scoped axes, dependent
 * groups with mini-grids, YAML merge keys, explicit experiments over shared fields), the execution
 * mapping, runners, and the located notes; every result validates.
 */
class StudyImportTest {

  @TempDir Path dir;

  private static final String STUDY =
      """
      study_name: Mini Sweep!
      task: {model: gpt2, dataset: {n_prompts: 10}}
      runners: {transformers: local, vllm: local}
      sweep:
        transformers.batch_size: [1, 4]
        vllm.engine.max_num_seqs: [64]
        vllm.decoding:
          - {}
          - &pen
            vllm.sampling.presence_penalty: 0.6
          - <<: *pen
            vllm.sampling.frequency_penalty: [0.1, 0.2]
        vllm.bad: [1, {a: 1}]
      study_execution:
        n_cycles: 2
        experiment_order: latin_square
        experiment_gap_seconds: 2.5
        cycle_gap_seconds: 60
        max_consecutive_failures: 1
        stdout_silence_timeout_seconds: 0
        typo_key: 1
      experiments:
        - task: {model: opt}
          engine: vllm
          vllm: {engine: {tensor_parallel_size: 2, enforce_eager: yes}}
          dtype: float16
      """;

  private StudyImport.Result convert(String text) throws Exception {
    Path p = dir.resolve("study.yaml");
    Files.writeString(p, text);
    return StudyImport.convert(p);
  }

  private static Campaign validate(StudyImport.Result r) throws CampaignFileException {
    return CampaignLoader.parse(r.yaml(), "out.yaml").campaign();
  }

  @Test
  void theSweepExpandsAsUpstreamDoesAndTheResultValidates() throws Exception {
    StudyImport.Result r = convert(STUDY);
    Campaign c = validate(r);
    assertEquals("mini-sweep", c.name());
    assertEquals(AttachMode.PROCESS, c.attach(), "every runner is local");
    List<String> names = c.experiments().stream().map(Experiment::name).toList();
    assertEquals(
        List.of(
            "transformers-001",
            "transformers-002",
            "vllm-003",
            "vllm-004",
            "vllm-005",
            "vllm-006",
            "vllm-007"),
        names);
    assertEquals(
        "{\"engine\":\"transformers\",\"task\":{\"dataset\":{\"n_prompts\":10},\"model\":\"gpt2\"},"
            + "\"transformers\":{\"batch_size\":4}}",
        c.experiment("transformers-002").llenergymeasure().config());
    assertEquals(
        "{\"engine\":\"vllm\",\"task\":{\"dataset\":{\"n_prompts\":10},\"model\":\"gpt2\"},"
            + "\"vllm\":{\"engine\":{\"max_num_seqs\":64},\"sampling\":{\"frequency_penalty\":0.2,"
            + "\"presence_penalty\":0.6}}}",
        c.experiment("vllm-006").llenergymeasure().config(),
        "the merge key brings presence_penalty into the mini-grid's entries");
    Experiment explicit = c.experiment("vllm-007");
    assertEquals(
        "{\"engine\":\"vllm\",\"task\":{\"model\":\"opt\"},"
            + "\"vllm\":{\"engine\":{\"enforce_eager\":true,\"tensor_parallel_size\":2}}}",
        explicit.llenergymeasure().config(),
        "task replaces the shared task (upstream merges the top level only); yes is true");
    assertEquals(2, explicit.gpus().count(), "tensor × pipeline GPUs");
    assertEquals(8L << 30, explicit.shmSize());
  }

  @Test
  void executionMapsToCyclesOrderGapsAndTheBreaker() throws Exception {
    Campaign c = validate(convert(STUDY));
    Execution x = c.execution();
    assertEquals(2, x.cycles());
    assertEquals(RunOrder.LATIN_SQUARE, x.order());
    assertEquals(java.time.Duration.ofSeconds(3), x.gap(), "2.5 s rounded up");
    assertEquals(java.time.Duration.ofSeconds(60), x.cycleGap());
    assertTrue(x.failFast(), "max_consecutive_failures: 1 is fail-fast");
    assertEquals(java.time.Duration.ofSeconds(600), c.experiments().get(0).timeout());
    assertEquals(java.time.Duration.ofMinutes(30), c.experiments().get(0).silenceTimeout());
  }

  @Test
  void whatCannotBeCarriedOverIsNotedAtItsLine() throws Exception {
    List<String> notes =
        convert(STUDY).notes().stream()
            .map(n -> n.line() + ": " + n.path() + ": " + n.message())
            .toList();
    String all = String.join("\n", notes);
    for (String expected :
        List.of(
            "13: sweep[\"vllm.bad\"]: mixes mappings and values; upstream refuses such a sweep"
                + " entry, so it is left out",
            "16: study_execution.experiment_order: upstream derives the seed from its study"
                + " design hash; seed 0 is written, but the latin_square order comes from this"
                + " tool's own generator",
            "17: study_execution.experiment_gap_seconds: 2.5 s is rounded up to 3 s",
            "20: study_execution.stdout_silence_timeout_seconds: 0 disables upstream's silence"
                + " watchdog",
            "21: study_execution.typo_key: unknown key of study_execution; not carried over",
            "26: experiments[0].dtype: unknown key `dtype`: not a field of upstream's"
                + " ExperimentConfig")) {
      assertTrue(notes.stream().anyMatch(n -> n.startsWith(expected)), expected + "\nin:\n" + all);
    }
  }

  @Test
  void mixedRunnersRunInContainersWithANoteAndImagesComeFromRunners() throws Exception {
    StudyImport.Result r =
        convert(
            """
            study_name: mixed
            runners: {transformers: local, vllm: "docker:my/vllm:dev"}
            experiments:
              - {task: {model: gpt2}, engine: transformers}
              - {task: {model: gpt2}, engine: vllm}
            study_execution: {n_cycles: 1, experiment_order: interleave, experiment_gap_seconds: 0, cycle_gap_seconds: 0}
            """);
    Campaign c = validate(r);
    assertEquals(AttachMode.DEVICE_REQUEST, c.attach());
    assertEquals("my/vllm:dev", c.experiment("vllm-002").image());
    assertEquals(
        "ghcr.io/henrycgbaker/llenergymeasure/transformers:v0.9.0",
        c.experiment("transformers-001").image());
    assertEquals(
        List.of(
            "2: runners: the experiments' runners mix local and container {transformers=local,"
                + " vllm=container}; a campaign has one attach mode, so every experiment runs in"
                + " a container"),
        r.notes().stream().map(n -> n.line() + ": " + n.path() + ": " + n.message()).toList());
  }

  @Test
  void aMergeKeyThatNamesNoMappingIsNotedAndAStudyWithoutExperimentsIsAnError() throws Exception {
    StudyImport.Result r =
        convert(
            """
            study_name: m
            task: {model: gpt2, <<: x}
            study_execution: {n_cycles: 1, experiment_order: sequential, experiment_gap_seconds: 0, cycle_gap_seconds: 0}
            """);
    validate(r);
    assertEquals(
        List.of(
            "2: task[\"<<\"]: a merge key names the text 'x', not a mapping (or an alias of one); it"
                + " cannot be resolved and is left out"),
        r.notes().stream().map(n -> n.line() + ": " + n.path() + ": " + n.message()).toList());

    CampaignFileException e =
        assertThrows(CampaignFileException.class, () -> convert("study_name: empty\n"));
    assertTrue(e.getMessage().contains("the study has no experiments"), e.getMessage());
  }

  @Test
  void aStudyTooLargeForACampaignIsRefusedAtItsSweep() throws IOException {
    Path p = dir.resolve("big.yaml");
    Files.writeString(
        p,
        "task: {model: gpt2}\nstudy_execution: {n_cycles: 1000}\nsweep:\n"
            + "  transformers.batch_size: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,"
            + " 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37,"
            + " 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58,"
            + " 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79,"
            + " 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99,"
            + " 100, 101]\n");
    CampaignFileException e =
        assertThrows(CampaignFileException.class, () -> StudyImport.convert(p));
    assertEquals(
        p
            + ":3:1: sweep: the study expands to 101 experiments × 1000 cycles = 101000 runs; a"
            + " campaign has at most 100000 runs: use fewer sweep values, or split the study into"
            + " several",
        e.getMessage());
  }
}
