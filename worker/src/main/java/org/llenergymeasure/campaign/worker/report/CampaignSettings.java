package org.llenergymeasure.campaign.worker.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.llenergymeasure.campaign.config.CampaignFileException;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.worker.campaign.CampaignRecord;

/**
 * What the report takes from the campaign file that {@code campaign.json} names, when that file is
 * still there: each experiment's labels (grid placeholders resolved) and {@code execution.cycles}
 * as written. Each is empty when the file is gone or does not load.
 *
 * @param labels experiment name to its labels
 * @param cycles {@code execution.cycles} as written (a number or an object); null when unknown
 */
public record CampaignSettings(Map<String, Map<String, String>> labels, JsonNode cycles) {

  public static final CampaignSettings NONE = new CampaignSettings(Map.of(), null);

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public CampaignSettings {
    labels = Map.copyOf(labels);
  }

  /** The settings of the file {@code record} names; {@link #NONE} without one. */
  public static CampaignSettings read(CampaignRecord record) {
    if (record == null || record.file() == null || !Files.isRegularFile(Path.of(record.file()))) {
      return NONE;
    }
    Path file = Path.of(record.file());
    JsonNode cycles = null;
    try {
      JsonNode c = YAML.readTree(file.toFile()).path("execution").get("cycles");
      cycles = c == null || c.isNull() ? null : c;
    } catch (IOException | RuntimeException e) {
      // A file that does not parse has no settings to show; the report goes on without them.
    }
    Map<String, Map<String, String>> labels = new LinkedHashMap<>();
    try {
      for (Experiment e : CampaignLoader.load(file).campaign().experiments()) {
        if (e.labels() != null && !e.labels().isEmpty()) {
          labels.put(e.name(), new TreeMap<>(e.labels()));
        }
      }
    } catch (CampaignFileException | RuntimeException e) {
      // Labels are only extra columns: a file that no longer validates gives none.
    }
    return new CampaignSettings(labels, cycles);
  }

  /** The sorted label keys of all experiments. */
  public java.util.SortedSet<String> labelKeys() {
    java.util.SortedSet<String> keys = new java.util.TreeSet<>();
    labels.values().forEach(l -> keys.addAll(l.keySet()));
    return keys;
  }

  /** The adaptive-cycles target, or null for a fixed number of cycles (or none known). */
  public CyclesTarget target() {
    return CyclesTarget.of(cycles);
  }
}
