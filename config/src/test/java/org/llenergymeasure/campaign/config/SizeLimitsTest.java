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
 * campaign-format.md "Size limits": at most 100,000 runs, values of at most 128 KiB (refused before
 * the YAML parser scans them where it would be slow), files of at most 16 MiB. Timings are printed,
 * not asserted.
 */
class SizeLimitsTest {

  @TempDir Path dir;

  private static final String RULE =
      "a campaign file has no value longer than 131072 characters (128 KiB, the most Linux passes"
          + " as one argument or environment value)";

  private static String grid(int lastAxis, String execution) {
    StringBuilder c = new StringBuilder();
    for (int i = 0; i < lastAxis; i++) {
      c.append(i == 0 ? "" : ", ").append(i);
    }
    return """
        campaign: big
        defaults: {image: "img:1"}
        grid:
          name: "e-{a}-{b}-{c}"
          axes:
            a: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
            b: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
            c: [%s]
        %s
        """
        .formatted(c, execution);
  }

  private static String explicit(int experiments, String execution) {
    StringBuilder sb = new StringBuilder("campaign: big\ndefaults: {image: i}\nexperiments:\n");
    for (int i = 0; i < experiments; i++) {
      sb.append("  - {name: e").append(i).append("}\n");
    }
    return sb.append(execution).append('\n').toString();
  }

  @Test
  void aHundredThousandRunsArePlanned() {
    long start = System.nanoTime();
    LoadedCampaign lc = Yamls.load(grid(10, "execution: {cycles: 100, order: shuffle}"));
    System.out.printf(
        "load + validate + plan of 1,000 experiments x 100 cycles: %.0f ms%n",
        (System.nanoTime() - start) / 1e6);
    assertEquals(100_000, lc.plan().runs().size());
    assertEquals(CampaignValidator.MAX_RUNS, lc.plan().runs().size());
  }

  @Test
  void oneRunMoreIsRefusedAtTheCycles() {
    List<String> errors = Yamls.errors(explicit(50_001, "execution:\n  cycles: 2"));
    assertEquals(
        List.of(
            "50006:11: execution.cycles: the campaign has 100002 runs (50001 experiments × 2"
                + " cycles); a campaign has at most 100000 runs: use fewer cycles or experiments,"
                + " or split it into several campaigns"),
        errors);
  }

  @Test
  void aMillionRunsAreRefusedAtOnceWithoutExpandingTheGrid() {
    long start = System.nanoTime();
    List<String> errors = Yamls.errors(grid(10, "execution: {cycles: 1000}"));
    System.out.printf(
        "refusal of 1,000 experiments x 1,000 cycles: %.0f ms%n",
        (System.nanoTime() - start) / 1e6);
    assertEquals(
        List.of(
            "9:21: execution.cycles: the campaign has 1000000 runs (1000 experiments × 1000"
                + " cycles); a campaign has at most 100000 runs: use fewer cycles or experiments,"
                + " or split it into several campaigns"),
        errors);
  }

  @Test
  void tooManyExperimentsAreRefusedWhereTheyAreWritten() {
    // 100,001 experiments: too many even in one cycle, so the cycles are not the culprit.
    assertEquals(
        List.of(
            "4:3: experiments: the campaign has 100001 runs (100001 experiments × 1 cycle); a"
                + " campaign has at most 100000 runs: use fewer cycles or experiments, or split it"
                + " into several campaigns"),
        Yamls.errors(explicit(100_001, "")));
    // Listed and grid experiments together: at the larger part, the grid.
    String both =
        grid(1000, "execution: {cycles: 1}")
            .replace("grid:\n", "experiments:\n  - {name: x}\n  - {name: y}\ngrid:\n");
    assertEquals(
        List.of(
            "9:5: grid.axes: the campaign has 100002 runs (100002 experiments (2 listed, 100000"
                + " from the grid) × 1 cycle); a campaign has at most 100000 runs: use fewer cycles"
                + " or experiments, or split it into several campaigns"),
        Yamls.errors(both));
  }

  @Test
  void aLongValueOnOneLineIsRefusedBeforeParsing() {
    for (int size : new int[] {131_137, 15 * 1024 * 1024}) {
      String value = "x".repeat(size);
      String plain = Yamls.oneExperiment("env: {A: " + value + "}");
      long start = System.nanoTime();
      List<String> errors = Yamls.errors(plain);
      System.out.printf(
          "refusal of a %,d character value: %.0f ms%n", size, (System.nanoTime() - start) / 1e6);
      assertEquals(
          List.of(
              "5:14: $: a value (or word) of "
                  + (size + 1) // with the closing brace
                  + " characters (xxxxxxxxxxxxxxxxxxxx…) starts here; "
                  + RULE),
          errors);
      String quoted = Yamls.oneExperiment("command: [\"" + value + "\"]");
      assertEquals(
          List.of(
              "5:14: $: a value (or word) of "
                  + (size + 4) // with the quotes and the brackets
                  + " characters ([\"xxxxxxxxxxxxxxxxxx…) starts here; "
                  + RULE),
          Yamls.errors(quoted));
    }
  }

  @Test
  void longCommentsAndLinesOfBlockTextAreRefusedBeforeParsing() {
    String words = "x ".repeat(70_000);
    assertEquals(
        List.of("5:17: $: a comment of 140002 characters starts here; " + RULE),
        Yamls.errors(Yamls.oneExperiment("retries: 1  # " + words)));
    assertEquals(
        List.of("7:1: $: a line of block text of 140008 characters starts here; " + RULE),
        Yamls.errors(Yamls.oneExperiment("env:", "  A: |", "    " + words)));
  }

  @Test
  void aLongValueOverManyLinesIsRefusedAtItsPath() {
    String block = ("        " + "y".repeat(70) + "\n").repeat(2000); // 142,000 characters
    assertEquals(
        List.of("6:10: experiments[0].env.A: this value has 142000 characters; " + RULE),
        Yamls.errors(Yamls.oneExperiment("env:", "  A: |\n" + block.stripTrailing())));
    String spaced = "w ".repeat(70_000);
    assertEquals(
        List.of("5:15: experiments[0].command[0]: this value has 139999 characters; " + RULE),
        Yamls.errors(Yamls.oneExperiment("command: [\"" + spaced.strip() + "\"]")));
    assertEquals(
        List.of("5:7: experiments[0]: this key has 139999 characters; " + RULE),
        Yamls.errors(Yamls.oneExperiment("? " + spaced.strip(), ": 1")));
  }

  @Test
  void aValueJustOverTheLimitPassesThePreScanAndIsRefusedAtItsPath() {
    assertEquals(
        List.of("5:14: experiments[0].env.A: this value has 131073 characters; " + RULE),
        Yamls.errors(Yamls.oneExperiment("env: {A: " + "x".repeat(131_073) + "}")));
  }

  @Test
  void aValueAtTheLimitAndALongLineOfShortValuesAreFine() {
    Experiment e =
        Yamls.load(Yamls.oneExperiment("env: {A: " + "x".repeat(131_072) + "}"))
            .campaign()
            .experiments()
            .get(0);
    assertEquals(131_072, e.env().get("A").length());
    // A generated file may write a long flow list on one line: its values are short.
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < 30_000; i++) {
      values.append(i == 0 ? "" : ", ").append(i);
    }
    String yaml =
        "campaign: c\ndefaults: {image: i}\ngrid: {name: \"e{a}\", axes: {a: [" + values + "]}}\n";
    assertTrue(yaml.length() > 131_072);
    assertEquals(30_000, Yamls.load(yaml).plan().runs().size());
  }

  @Test
  void aFileOverSixteenMibIsRefusedBeforeItIsRead() throws IOException {
    Path p = dir.resolve("huge.yaml");
    String line = "# " + "z".repeat(1000) + "\n";
    Files.writeString(p, Yamls.oneExperiment() + line.repeat(17 * 1024));
    CampaignFileException e =
        assertThrows(CampaignFileException.class, () -> CampaignLoader.load(p));
    assertEquals(
        p + ":1:1: $: is larger than 16 MiB; a campaign file is a small YAML file",
        e.errors().get(0).toString());
    // Text given directly is held to the same limit.
    assertEquals(
        List.of("1:1: $: is larger than 16 MiB; a campaign file is a small YAML file"),
        Yamls.errors(Yamls.oneExperiment() + line.repeat(17 * 1024)));
  }

  @Test
  void aFileOverSnakeYamlsOwnThreeMibLimitButUnderOursLoads() {
    // SnakeYAML refuses documents over 3 MiB code points by default; the limit is 16 MiB.
    String yaml = Yamls.oneExperiment() + ("# " + "z".repeat(1000) + "\n").repeat(5 * 1024);
    assertTrue(yaml.length() > 5_000_000);
    assertEquals(1, Yamls.load(yaml).plan().runs().size());
  }
}
