package org.llenergymeasure.campaign.worker.campaign;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * {@code <results>/<campaign>/campaign.json}: which campaign file and plan the results belong to,
 * readable without a server (the ledger only has runs). Written once by {@code run} when it first
 * starts a campaign; a later {@code run} that attaches keeps the first record.
 *
 * @param campaign the campaign name
 * @param planHash the plan's hash ({@code plan FILE} prints the same)
 * @param file the campaign file's absolute path when it was started
 * @param startedAt ISO-8601
 * @param experiments each experiment's short definition hash (as {@code amend} compares them), by
 *     name; null in records written before it existed
 */
@JsonPropertyOrder({"campaign", "planHash", "file", "startedAt", "experiments"})
@JsonIgnoreProperties(ignoreUnknown = true)
public record CampaignRecord(
    String campaign,
    String planHash,
    String file,
    String startedAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) java.util.Map<String, String> experiments) {

  /** A record without the experiments' hashes. */
  public CampaignRecord(String campaign, String planHash, String file, String startedAt) {
    this(campaign, planHash, file, startedAt, null);
  }

  public static final String FILE = "campaign.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static Path path(Path resultsRoot, String campaign) {
    return resultsRoot.resolve(campaign).resolve(FILE);
  }

  /** The record of a campaign, or empty when none was written or it cannot be read. */
  public static Optional<CampaignRecord> read(Path resultsRoot, String campaign) {
    Path file = path(resultsRoot, campaign);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), CampaignRecord.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Writes the record unless one exists for the same plan (re-running {@code run} attaches to the
   * campaign: its start stays the first one). Written to a temp file and moved, so a reader never
   * sees half a file.
   *
   * @return true when written
   */
  public boolean writeIfAbsent(Path resultsRoot) {
    Optional<CampaignRecord> existing = read(resultsRoot, campaign);
    if (existing.isPresent() && planHash.equals(existing.get().planHash())) {
      return false;
    }
    Path file = path(resultsRoot, campaign);
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), FILE, ".tmp");
      JSON.writeValue(tmp.toFile(), this);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
