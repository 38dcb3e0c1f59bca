package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Durations, sizes, GPU selectors and shell words: accepted and rejected forms. */
class ScalarFormatsTest {

  @ParameterizedTest
  @CsvSource({
    "90s, 90",
    "15m, 900",
    "2h, 7200",
    "1d, 86400",
    "1h30m, 5400",
    "0, 0",
    "0s, 0",
    "PT15M, 900",
    "PT1M30S, 90",
    "P1D, 86400",
    "P1DT2H, 93600",
    "pt2h, 7200"
  })
  void durationsAccepted(String text, long seconds) {
    assertEquals(Duration.ofSeconds(seconds), Durations.parse(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "90",
        "1.5h",
        "15 minutes",
        "-5m",
        "PT-5M",
        "P1W",
        "PT0.5S",
        "m",
        "1y",
        "99999999999999999999s"
      })
  void durationsRejected(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertTrue(e.getMessage().contains(text.strip()), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({
    "512m, 536870912", "16g, 17179869184", "16G, 17179869184", "16gb, 17179869184",
    "16GiB, 17179869184", "1t, 1099511627776", "1024k, 1048576", "100b, 100"
  })
  void sizesAccepted(String text, long bytes) {
    assertEquals(bytes, Sizes.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"16", "0g", "1.5g", "16x", "g", "-1g", "99999999999t"})
  void sizesRejected(String text) {
    assertThrows(IllegalArgumentException.class, () -> Sizes.parse(text));
  }

  @ParameterizedTest
  @CsvSource({
    "0, INDEX",
    "7, INDEX",
    "15, INDEX",
    "GPU-1b2c3d4e-2222-4f60-9bac-111111111111, GPU_UUID",
    "gpu-1b2c3d4e-2222-4f60-9bac-111111111111, GPU_UUID",
    "GPU-1b2c, GPU_UUID",
    "GPU-1b2c3d4e-2, GPU_UUID",
    "MIG-7a8b9cad-cccc-5d5e-a0b1-666666666666, MIG_UUID",
    "MIG-GPU-1b2c3d4e-2222-4f60-9bac-111111111111/1/0, MIG_UUID",
    "0:1, MIG_PAIR",
    "3:0, MIG_PAIR"
  })
  void selectorsAccepted(String text, GpuSelectors.Form form) {
    assertEquals(form, GpuSelectors.classify(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-1",
        "0a",
        "",
        " 0",
        "01",
        "1.0",
        "GPU-",
        "GPU-xyz",
        "GPU-1b2c3d4e2222",
        "GPU-1b2c3d4e-2222-4f60-9bac-1111111111112",
        "MIG-7a8b",
        "0:",
        ":1",
        "0:1:2",
        "all",
        "none",
        "cuda:0",
        "0,1"
      })
  void selectorsRejected(String text) {
    assertThrows(IllegalArgumentException.class, () -> GpuSelectors.classify(text));
  }

  @Test
  void selectorMessagesSayWhatWouldBeRight() {
    assertTrue(message("0a").contains("CUDA would silently read it as 0"));
    assertTrue(message("01").contains("write the index as 1"));
    assertTrue(message("all").contains("write `gpus: all` without brackets"));
    assertTrue(message("cuda:0").contains(GpuSelectors.FORMS));
  }

  private static String message(String selector) {
    return assertThrows(IllegalArgumentException.class, () -> GpuSelectors.classify(selector))
        .getMessage();
  }

  @Test
  void shellWords() {
    assertEquals(
        List.of("llem", "run", "two words", "a\"b", "$HOME", "c d"),
        ShellWords.split("llem run 'two words' \"a\\\"b\" \"$HOME\" c\\ d"));
    assertEquals(List.of("", "x"), ShellWords.split("'' x"));
    assertEquals(List.of(), ShellWords.split("   "));
    assertThrows(IllegalArgumentException.class, () -> ShellWords.split("llem 'open"));
  }

  @Test
  void suggestionsFindTheNearestKeyOrNone() {
    List<String> keys = List.of("image", "command", "gpus", "resultsDir");
    assertEquals("image", Suggestions.nearest("imgae", keys));
    assertEquals("resultsDir", Suggestions.nearest("resultsdir", keys));
    assertEquals("gpus", Suggestions.nearest("gpu", keys));
    assertEquals(null, Suggestions.nearest("zzzzzzzz", keys));
  }
}
