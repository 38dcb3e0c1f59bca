package org.llenergymeasure.campaign.activities;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;
import org.llenergymeasure.campaign.workflows.host.VerifyResult;

/**
 * {@code verified.json} in an attempt folder: written when the run's verification passed, before
 * the run is released, so a verify retried after a worker crash answers from it instead of probing
 * a run that has already started (or ended).
 */
final class VerifiedRecord {

  static final String FILE = "verified.json";

  private static final ObjectMapper JSON = LlemDataConverter.objectMapper();

  private VerifiedRecord() {}

  static void write(AttemptFolder folder, VerifyResult result) {
    try {
      folder.write(FILE, JSON.writeValueAsString(result));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + FILE + ": " + e.getMessage(), e);
    }
  }

  static Optional<VerifyResult> read(AttemptFolder folder) {
    Path file = folder.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(Files.readString(file), VerifyResult.class));
    } catch (IOException e) {
      // A record we cannot read proves nothing: verify again.
      return Optional.empty();
    }
  }
}
