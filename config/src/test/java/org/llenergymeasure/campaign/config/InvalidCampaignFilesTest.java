package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file under campaigns/invalid/ must be rejected with exactly the errors its sidecar {@code
 * .expected} file lists: one line per error, in reported order, each {@code line:column: yaml.path:
 * } followed by the start of the message.
 */
class InvalidCampaignFilesTest {

  private static final Path DIR = Yamls.CAMPAIGNS.resolve("invalid");

  @Test
  void thereAreAtLeastFortyMalformedFilesEachWithExpectations() throws IOException {
    List<Path> files = yamlFiles();
    assertTrue(files.size() >= 40, "only " + files.size() + " invalid files");
    for (Path f : files) {
      assertTrue(Files.exists(expectedFile(f)), "no .expected file for " + f);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyInvalidFileIsRejectedWithItsExpectedErrors() throws IOException {
    return yamlFiles().stream()
        .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
  }

  private static void check(Path file) throws IOException {
    List<String> expected =
        Files.readAllLines(expectedFile(file)).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .toList();
    CampaignFileException e =
        assertThrows(CampaignFileException.class, () -> CampaignLoader.load(file));
    String prefix = file.toString() + ":";
    List<String> actual = e.errors().stream().map(ConfigError::toString).toList();
    for (String a : actual) {
      assertTrue(a.startsWith(prefix), "error does not start with the file name: " + a);
    }
    String report = String.join("\n", actual);
    assertEquals(expected.size(), actual.size(), "number of errors; got:\n" + report);
    for (int i = 0; i < expected.size(); i++) {
      String a = actual.get(i).substring(prefix.length());
      assertTrue(
          a.startsWith(expected.get(i)),
          "error " + i + "\nexpected to start with: " + expected.get(i) + "\nactual: " + a);
      assertTrue(!a.contains("\n"), "errors are one line: " + a);
    }
  }

  private static Path expectedFile(Path yaml) {
    String name = yaml.getFileName().toString();
    return yaml.resolveSibling(name.substring(0, name.length() - ".yaml".length()) + ".expected");
  }

  private static List<Path> yamlFiles() throws IOException {
    try (Stream<Path> s = Files.list(DIR)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }
}
