package org.llenergymeasure.campaign.worker.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.measurement.HostMeasurement;

/**
 * One run attempt as the report sees it: its ledger line, the measurement fields of its result, the
 * routed devices from its {@code routing.json} (empty when the folder has none) and the line's
 * metrics and validity ({@link RunNumbers}).
 */
public record AttemptRecord(
    LedgerEntry entry, RunMetrics metrics, List<Device> devices, RunNumbers numbers) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A routed GPU: host index and name come from routing.json, the UUID from either. */
  public record Device(String uuid, Integer index, String name) {}

  /** What the in-run GPU check showed against the routing. */
  public enum Verification {
    VERIFIED("verified"),
    MISMATCH("mismatch"),
    NOT_VERIFIED("not verified"),
    NOT_ROUTED("not routed");

    private final String label;

    Verification(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public AttemptRecord {
    devices = List.copyOf(devices);
  }

  /** The record of an entry, its metrics derived from the entry's own fields. */
  public static AttemptRecord of(LedgerEntry entry, List<Device> fromRoutingFile) {
    return of(entry, JSON.valueToTree(entry), fromRoutingFile);
  }

  /**
   * The record of an entry read from {@code line}, the ledger line as written: it may carry fields
   * ({@code metrics}, {@code validity}) that {@link LedgerEntry} does not map.
   */
  public static AttemptRecord of(LedgerEntry entry, JsonNode line, List<Device> fromRoutingFile) {
    return new AttemptRecord(
        entry, RunMetrics.of(entry.result()), fromRoutingFile, RunNumbers.of(line));
  }

  public List<String> routedUuids() {
    return entry.routing() == null || entry.routing().uuids() == null
        ? List.of()
        : entry.routing().uuids();
  }

  /**
   * Verified when the run proved to see exactly its routed GPUs (as a set: CUDA may enumerate them
   * in another order than the PCI order of the routing).
   */
  public Verification verification() {
    if (routedUuids().isEmpty()) {
      return entry.routing() == null ? Verification.NOT_ROUTED : Verification.NOT_VERIFIED;
    }
    if (entry.verifiedUuids().isEmpty()) {
      return Verification.NOT_VERIFIED;
    }
    return new HashSet<>(routedUuids()).equals(new HashSet<>(entry.verifiedUuids()))
        ? Verification.VERIFIED
        : Verification.MISMATCH;
  }

  /** The routed devices, with index and name where routing.json had them. */
  public List<Device> routedDevices() {
    if (!devices.isEmpty()) {
      return devices;
    }
    return routedUuids().stream().map(u -> new Device(u, null, null)).toList();
  }

  public Instant startedAt() {
    return instant(entry.startedAt());
  }

  public Instant finishedAt() {
    return instant(entry.finishedAt());
  }

  /** Seconds from start to finish, or null when either is missing. */
  public Double durationSeconds() {
    Instant s = startedAt();
    Instant f = finishedAt();
    return s == null || f == null || f.isBefore(s)
        ? null
        : Duration.between(s, f).toMillis() / 1000.0;
  }

  /** What the host measured itself (NVML), or null; {@link #hostMeasurementNote} says why not. */
  public HostMeasurement hostMeasurement() {
    return entry.hostMeasurement();
  }

  /** The host's energy for the run's GPUs, when it measured it. */
  public Double hostEnergyJ() {
    return entry.hostMeasurement() == null ? null : entry.hostMeasurement().energyJ();
  }

  /**
   * The host's energy over the run's own measurement window, when the run reported one and the host
   * measured it (lines written before windows existed have none).
   */
  public Double hostWindowEnergyJ() {
    return entry.hostMeasurement() == null ? null : entry.hostMeasurement().windowEnergyJ();
  }

  /**
   * The host's energy to set beside the run's own: over the run's window when there is one (like
   * for like), else over the whole await.
   */
  public Double hostComparableEnergyJ() {
    Double window = hostWindowEnergyJ();
    return window != null ? window : hostEnergyJ();
  }

  /** The run's own energy as a percentage of {@link #hostComparableEnergyJ}; null without both. */
  public Double runToHostPercent() {
    Double run = metrics.energyJ();
    Double host = hostComparableEnergyJ();
    return run == null || host == null || host <= 0 ? null : run / host * 100;
  }

  /** llenergymeasure's own result, when the run's result is one; else null. */
  public UpstreamResult upstream() {
    return UpstreamResult.of(entry.result());
  }

  /**
   * The host's energy ({@link #hostComparableEnergyJ}) divided by llenergymeasure's token count:
   * the host's figure beside llenergymeasure's own J/token; null without both.
   */
  public Double hostJoulesPerUpstreamToken() {
    UpstreamResult u = upstream();
    Double host = hostComparableEnergyJ();
    return u == null || u.tokens() == null || u.tokens() <= 0 || host == null
        ? null
        : host / u.tokens();
  }

  /** Why there is no host measurement; lines written before host measurements existed say so. */
  public String hostMeasurementNote() {
    if (entry.hostMeasurement() != null) {
      return null;
    }
    return entry.hostMeasurementNote() != null
        ? entry.hostMeasurementNote()
        : "no host measurement: recorded by a worker without host measurements";
  }

  public boolean completed() {
    return "completed".equals(entry.status());
  }

  /**
   * A valid run: completed, and its {@code validity.valid} is not false (lines without a verdict
   * count when completed). Intervals, convergence traces and the tidy CSV count only these.
   */
  public boolean valid() {
    return completed() && numbers.notInvalid();
  }

  private static Instant instant(String iso) {
    if (iso == null || iso.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(iso);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
