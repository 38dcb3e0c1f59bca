package org.llenergymeasure.campaign.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test helpers: load campaign text, collect errors without the file name. */
final class Yamls {

  static final Path CAMPAIGNS = Path.of("src/test/resources/campaigns");

  private Yamls() {}

  static LoadedCampaign load(String text) {
    try {
      return CampaignLoader.parse(text, "test.yaml");
    } catch (CampaignFileException e) {
      throw new AssertionError("expected a valid campaign, got:\n" + e.getMessage(), e);
    }
  }

  static LoadedCampaign loadResource(String relative) {
    try {
      return CampaignLoader.load(CAMPAIGNS.resolve(relative));
    } catch (CampaignFileException e) {
      throw new AssertionError("expected a valid campaign, got:\n" + e.getMessage(), e);
    }
  }

  /** The errors as {@code line:col: path: message}, in reported order. */
  static List<String> errors(String text) {
    CampaignFileException e =
        assertThrows(CampaignFileException.class, () -> CampaignLoader.parse(text, "test.yaml"));
    return e.errors().stream()
        .map(c -> c.line() + ":" + c.column() + ": " + c.path() + ": " + c.message())
        .toList();
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A minimal valid campaign with the given experiment lines appended under experiments[0]. */
  static String oneExperiment(String... extraLines) {
    StringBuilder sb = new StringBuilder();
    sb.append("campaign: c1\n");
    sb.append("experiments:\n");
    sb.append("  - name: e1\n");
    sb.append("    image: img:1\n");
    for (String l : extraLines) {
      sb.append("    ").append(l).append('\n');
    }
    return sb.toString();
  }
}
