package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that are not usable campaign files: one error, path {@code $}, at 1:1. */
class CampaignLoaderFileTest {

  @TempDir Path dir;

  private static String only(Path file) {
    CampaignFileException e =
        assertThrows(CampaignFileException.class, () -> CampaignLoader.load(file));
    assertEquals(1, e.errors().size(), e.getMessage());
    return e.errors().get(0).toString();
  }

  @Test
  void directory() {
    assertEquals(dir + ":1:1: $: is a directory; give the path of a campaign YAML file", only(dir));
  }

  @Test
  void missingFile() {
    Path p = dir.resolve("nope.yaml");
    assertEquals(p + ":1:1: $: no such file; check the path", only(p));
  }

  @Test
  void unreadablePath() throws IOException {
    // Tests may run as root, who can read any file; a path through a plain file cannot be read
    // by anyone.
    Path plain = dir.resolve("plain.yaml");
    Files.writeString(plain, Yamls.oneExperiment());
    Path p = plain.resolve("inner.yaml");
    assertEquals(p + ":1:1: $: cannot be read: Not a directory", only(p));
  }

  @Test
  void binaryAndNonUtf8Files() throws IOException {
    Path bin = dir.resolve("model.bin");
    Files.write(bin, new byte[] {0x7f, 'E', 'L', 'F', 0, 0, 1, 2});
    assertEquals(bin + ":1:1: $: is a binary file, not a YAML campaign file", only(bin));
    Path latin1 = dir.resolve("latin1.yaml");
    Files.write(latin1, "campaign: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    assertEquals(latin1 + ":1:1: $: is not UTF-8 text, so not a YAML campaign file", only(latin1));
  }

  @Test
  void emptyAndWhitespaceOnly() throws IOException {
    for (String text : new String[] {"", "\n\n   \n", "# just a comment\n"}) {
      Path p = dir.resolve("empty.yaml");
      Files.writeString(p, text);
      assertEquals(
          p
              + ":1:1: $: the file has no YAML content; a campaign file is a mapping with"
              + " at least `campaign:` and `experiments:` or `grid:`",
          only(p));
    }
  }

  @Test
  void utf8ByteOrderMarkIsAccepted() throws IOException {
    Path p = dir.resolve("bom.yaml");
    Files.writeString(p, "\uFEFF" + Yamls.oneExperiment());
    assertEquals("c1", assertDoesNotThrowLoad(p).campaign().name());
  }

  @Test
  void malformedYamlGivesTheParsersPosition() throws IOException {
    Path p = dir.resolve("bad.yaml");
    Files.writeString(p, "campaign: c1\nexperiments: [a, b\nexecution: {}\n");
    String e = only(p);
    assertEquals(
        p
            + ":3:10: $: malformed YAML: expected ',' or ']', but got :"
            + " (while parsing a flow sequence at line 2, column 14)",
        e);
  }

  @Test
  void validFileLoadsFromDisk() throws IOException {
    Path p = dir.resolve("ok.yaml");
    Files.writeString(p, Yamls.oneExperiment());
    LoadedCampaign lc = assertDoesNotThrowLoad(p);
    assertEquals(1, lc.plan().runs().size());
    assertEquals("e1.c1", lc.plan().runs().get(0).runId());
  }

  private static LoadedCampaign assertDoesNotThrowLoad(Path p) {
    try {
      return CampaignLoader.load(p);
    } catch (CampaignFileException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }
}
