package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code logLimit}: its default, merging, the refused values and the plan hash. */
class LogLimitFieldTest {

  private static final String PLAIN =
      """
      campaign: c1
      experiments:
        - name: e1
          image: img:1
      """;

  private static Experiment only(String yaml) {
    return Yamls.load(yaml).campaign().experiments().get(0);
  }

  private static String hash(String yaml) {
    return Yamls.load(yaml).plan().hash();
  }

  @Test
  void absentMeansOneGibibyte() {
    assertEquals(1L << 30, only(PLAIN).logLimit());
    assertEquals(Experiment.DEFAULT_LOG_LIMIT, only(PLAIN).logLimit());
  }

  @Test
  void aSizeIsReadAndMergedFromDefaults() {
    assertEquals(64L << 20, only(PLAIN + "    logLimit: 64m\n").logLimit());
    Experiment e =
        only(
            """
            campaign: c1
            defaults:
              image: img:1
              logLimit: 2g
            experiments:
              - name: e1
              - name: e2
                logLimit: 1m
            """);
    assertEquals(2L << 30, e.logLimit());
    assertEquals(
        1L << 20,
        Yamls.load(
                """
                campaign: c1
                defaults:
                  image: img:1
                  logLimit: 2g
                experiments:
                  - name: e2
                    logLimit: 1m
                """)
            .campaign()
            .experiments()
            .get(0)
            .logLimit());
  }

  @Test
  void tooSmallOrNotASizeIsRefusedAtItsPlace() {
    assertEquals(
        List.of(
            "5:15: experiments[0].logLimit: is below the smallest log limit, 1m; write e.g. 64m or"
                + " 1g (the default)"),
        Yamls.errors(PLAIN + "    logLimit: 512k\n"));
    assertEquals(
        List.of(
            "5:15: experiments[0].logLimit: `1000` has no unit; write e.g. 512m or 16g (b, k, m,"
                + " g, t; powers of 1024)"),
        Yamls.errors(PLAIN + "    logLimit: 1000\n"));
  }

  @Test
  void theHashOfAFileWithoutTheKeyIsUnchangedAndTheDefaultKeepsIt() {
    String base = hash(PLAIN);
    assertEquals(base, hash(PLAIN + "    logLimit: 1g\n"));
    assertEquals(base, hash(PLAIN + "    logLimit: 1024m\n"));
    assertFalse(PlanBuilder.canonicalForm(Yamls.load(PLAIN).campaign()).contains("logLimit"));
    assertNotEquals(base, hash(PLAIN + "    logLimit: 2g\n"));
    assertNotEquals(base, hash(PLAIN + "    logLimit: 1m\n"));
  }

  @Test
  void aRecordWrittenBeforeTheKeyReadsWithTheDefault() {
    Experiment old = only(PLAIN);
    Experiment withNull =
        new Experiment(
            old.name(),
            old.image(),
            old.command(),
            old.gpus(),
            old.parallelism(),
            old.env(),
            old.secrets(),
            old.mounts(),
            old.resultsDir(),
            old.resultFile(),
            old.shmSize(),
            old.ipc(),
            old.timeout(),
            old.silenceTimeout(),
            old.retries(),
            old.memory(),
            old.network(),
            old.busy(),
            old.probe(),
            old.host(),
            old.labels(),
            old.remeasure(),
            old.measurement(),
            old.allowDangerousMounts(),
            old.llenergymeasure(),
            null,
            null);
    assertEquals(old, withNull);
  }
}
