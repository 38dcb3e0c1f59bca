package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;

/** `validate` and `plan` through the real command line: exit codes, located errors, JSON. */
class ValidateAndPlanCommandTest {

  private static final Path REPO = DockerExtension.repoRoot();
  private static final Path INVALID = REPO.resolve("config/src/test/resources/campaigns/invalid");
  private static final Path VALID = REPO.resolve("config/src/test/resources/campaigns/valid");

  @TestFactory
  Stream<DynamicTest> everyMalformedFileExits2WithEachLocatedError() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(INVALID)) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(files.size() >= 40, "at least 40 malformed files, found " + files.size());
    return files.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getFileName().toString(),
                    () -> {
                      CliRun run = CliRun.of("validate", file.toString());
                      assertEquals(2, run.exit(), run.err());
                      assertEquals("", run.out(), "errors go to stderr only");
                      for (String expected : expectedLines(file)) {
                        assertTrue(
                            run.err().contains(file + ":" + expected),
                            "expected `" + file + ":" + expected + "` in:\n" + run.err());
                      }
                    }));
  }

  @TestFactory
  Stream<DynamicTest> everyValidFileExits0WithASummary() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(VALID)) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    return files.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getFileName().toString(),
                    () -> {
                      CliRun run = CliRun.of("validate", file.toString());
                      assertEquals(0, run.exit(), run.err());
                      assertTrue(
                          run.out()
                              .matches(
                                  "(?s).*: ok: campaign \\S+, \\d+ experiments × \\d+ cycles = \\d+ runs.*"),
                          run.out());
                    }));
  }

  @Test
  void planJsonListsTheQuickstartRunsInInterleavedOrder() throws Exception {
    CliRun run = CliRun.of("plan", REPO.resolve("examples/quickstart.yaml").toString(), "--json");
    assertEquals(0, run.exit(), run.err());
    JsonNode plan = new ObjectMapper().readTree(run.out());
    assertEquals("quickstart", plan.get("campaign").asText());
    assertTrue(plan.get("hash").asText().matches("[0-9a-f]{64}"), plan.get("hash").asText());
    List<String> ids = new ArrayList<>();
    int index = 0;
    for (JsonNode r : plan.get("runs")) {
      ids.add(r.get("runId").asText());
      assertEquals(index++, r.get("index").asInt());
      assertEquals("llem-probe:dev", r.get("image").asText());
      assertEquals(
          r.get("experiment").asText() + ".c" + r.get("cycle").asInt(), r.get("runId").asText());
    }
    assertEquals(
        List.of(
            "small-on-gpu0.c1",
            "pair-on-gpu1-2.c1",
            "large-on-gpu3.c1",
            "small-on-gpu0.c2",
            "pair-on-gpu1-2.c2",
            "large-on-gpu3.c2"),
        ids);
    assertEquals("[1, 2]", plan.get("runs").get(1).get("gpus").asText());
  }

  @Test
  void theHashIgnoresCommentsAndKeyOrderButNotWhatRuns(@TempDir Path tmp) throws Exception {
    Path a = tmp.resolve("a.yaml");
    Path b = tmp.resolve("b.yaml");
    Path c = tmp.resolve("c.yaml");
    Files.writeString(
        a,
        "campaign: h\nexperiments:\n  - {name: x, image: 'i:1', gpus: [0]}\nexecution: {cycles: 2}\n");
    Files.writeString(
        b,
        "# same, reordered\nexecution:\n  cycles: 2\nexperiments:\n  - gpus: [0]\n    image: 'i:1'\n    name: x\ncampaign: h\n");
    Files.writeString(
        c,
        "campaign: h\nexperiments:\n  - {name: x, image: 'i:1', gpus: [1]}\nexecution: {cycles: 2}\n");
    ObjectMapper json = new ObjectMapper();
    String ha = json.readTree(CliRun.of("plan", a.toString(), "--json").out()).get("hash").asText();
    String hb = json.readTree(CliRun.of("plan", b.toString(), "--json").out()).get("hash").asText();
    String hc = json.readTree(CliRun.of("plan", c.toString(), "--json").out()).get("hash").asText();
    assertEquals(ha, hb);
    assertTrue(!ha.equals(hc), "another GPU is another plan");
  }

  @Test
  void aSystemFolderAllowedByAllowDangerousMountsValidatesWithAWarning(@TempDir Path tmp)
      throws Exception {
    Path f = tmp.resolve("etc.yaml");
    Files.writeString(
        f,
        "campaign: h\nexperiments:\n  - name: x\n    image: 'i:1'\n"
            + "    mounts: [{source: /etc/ssl, target: /ssl, readOnly: true}]\n"
            + "    allowDangerousMounts: true\n");
    for (String command : List.of("validate", "plan")) {
      CliRun run = CliRun.of(command, f.toString());
      assertEquals(0, run.exit(), run.err());
      assertEquals(
          List.of(
              "warning: "
                  + f
                  + ":5:23: experiments[0].mounts[0].source: `/etc/ssl` is a system folder of the"
                  + " host, mounted because allowDangerousMounts is true: the run can read the"
                  + " host's configuration (users, passwords, services)"),
          run.errLines(),
          command);
    }
    JsonNode json =
        new ObjectMapper().readTree(CliRun.of("validate", f.toString(), "--json").out());
    assertEquals(1, json.get("warnings").size(), json.toString());
  }

  @Test
  void aMissingFileOrADirectoryIsOneClearLineAndExit2(@TempDir Path tmp) {
    CliRun missing = CliRun.of("validate", tmp.resolve("nope.yaml").toString());
    assertEquals(2, missing.exit());
    assertEquals(1, missing.err().strip().lines().count(), missing.err());
    CliRun dir = CliRun.of("validate", tmp.toString());
    assertEquals(2, dir.exit());
    assertTrue(dir.err().toLowerCase().contains("directory"), dir.err());
  }

  private static List<String> expectedLines(Path yaml) throws IOException {
    Path expected =
        yaml.resolveSibling(yaml.getFileName().toString().replace(".yaml", ".expected"));
    return Files.readAllLines(expected).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .toList();
  }
}
