package org.llenergymeasure.campaign.worker.campaign;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.llenergymeasure.campaign.config.Campaign;
import org.llenergymeasure.campaign.config.Experiment;

/**
 * What differs between a running campaign and a file with the same name: a short hash per
 * experiment (its merged definition without labels) is kept in the campaign's memo at start, and
 * compared by name with the file's.
 */
public final class PlanChanges {

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .findAndAddModules()
          .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .configure(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS, false)
          .build();

  private PlanChanges() {}

  /** Experiment name to the first 12 hex digits of the SHA-256 of its definition. */
  public static Map<String, String> experimentHashes(Campaign campaign) {
    Map<String, String> out = new TreeMap<>();
    for (Experiment e : campaign.experiments()) {
      ObjectNode node = JSON.valueToTree(e);
      node.remove("labels"); // labels never change what runs
      out.put(e.name(), sha256(node.toString()).substring(0, 12));
    }
    return out;
  }

  /**
   * One readable sentence: added, removed and changed experiments, or, when the experiments are the
   * same, that the execution or attach settings differ.
   *
   * @param running the running campaign's hashes; null when it was started without them
   */
  public static String describe(Map<String, String> running, Map<String, String> file) {
    if (running == null) {
      return "the running campaign predates per-experiment hashes, so what changed is not known";
    }
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (var e : file.entrySet()) {
      String was = running.get(e.getKey());
      if (was == null) {
        added.add(e.getKey());
      } else if (!was.equals(e.getValue())) {
        changed.add(e.getKey());
      }
    }
    for (String name : running.keySet()) {
      if (!file.containsKey(name)) {
        removed.add(name);
      }
    }
    List<String> parts = new ArrayList<>();
    if (!added.isEmpty()) {
      parts.add("added " + String.join(", ", added));
    }
    if (!removed.isEmpty()) {
      parts.add("removed " + String.join(", ", removed));
    }
    if (!changed.isEmpty()) {
      parts.add("changed " + String.join(", ", changed));
    }
    if (parts.isEmpty()) {
      return "the experiments are the same; the execution settings (cycles, order, seed, gaps,"
          + " cooldown, concurrency, failure policy) or the attach mode differ";
    }
    return "experiments " + String.join("; ", parts);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
