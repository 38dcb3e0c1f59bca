package org.llenergymeasure.campaign.activities.measurement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.llenergymeasure.campaign.activities.AttemptFolder;

/**
 * The host's GPU readings of one run attempt, kept in its folder: {@code gpu-samples.jsonl} (one
 * {@link SampleRound} per line, appended while the run is in await) and {@code gpu-idle.json} (one
 * round taken at routing, before the run started).
 *
 * <p>Appending (never rewriting) is what lets an await retried on a restarted worker continue the
 * same record: NVML's energy counter is cumulative, so the energy between the first and the last
 * reading is still their difference. A line cut short by a crash is skipped when read.
 */
public final class SampleLog {

  public static final String SAMPLES = "gpu-samples.jsonl";
  public static final String IDLE = "gpu-idle.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final AttemptFolder folder;

  public SampleLog(AttemptFolder folder) {
    this.folder = folder;
  }

  public Path samplesFile() {
    return folder.resolve(SAMPLES);
  }

  /** Appends one round as one line (one write, so concurrent readers never see half a line). */
  public synchronized void append(SampleRound round) {
    try {
      Files.createDirectories(folder.dir());
      // A previous writer killed mid-line left no newline: start on a fresh line.
      String prefix = endsMidLine() ? "\n" : "";
      Files.writeString(
          samplesFile(),
          prefix + JSON.writeValueAsString(round) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + samplesFile(), e);
    }
  }

  /** Every complete round, in the order written; none when the file does not exist. */
  public List<SampleRound> read() {
    Path file = samplesFile();
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    List<SampleRound> rounds = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        try {
          rounds.add(JSON.readValue(line, SampleRound.class));
        } catch (JsonProcessingException partial) {
          // a line cut short by a crash: the readings around it still count
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return rounds;
  }

  public boolean exists() {
    return Files.isRegularFile(samplesFile());
  }

  public void writeIdle(SampleRound idle) {
    try {
      Files.createDirectories(folder.dir());
      folder.write(IDLE, JSON.writeValueAsString(idle));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + folder.resolve(IDLE), e);
    }
  }

  public Optional<SampleRound> readIdle() {
    Path file = folder.resolve(IDLE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), SampleRound.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private boolean endsMidLine() throws IOException {
    Path file = samplesFile();
    if (!Files.isRegularFile(file) || Files.size(file) == 0) {
      return false;
    }
    try (var channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.READ)) {
      java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
      channel.read(last, channel.size() - 1);
      return last.get(0) != '\n';
    }
  }
}
