package org.llenergymeasure.campaign.activities.gpu.cooldown;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A simulated host's sensor: {@code temperature.csv} in the inventory folder, in the format of
 * {@code nvidia-smi --query-gpu=uuid,temperature.gpu[,power.draw] --format=csv,noheader,nounits}
 * (the power column is optional). Read on every poll, so a test (or a person) can change it while a
 * cooldown waits. No file = no sensor.
 */
public final class FileThermometer implements GpuThermometer {

  public static final String FILE = "temperature.csv";

  private final Path file;

  public FileThermometer(Path inventoryDir) {
    this.file = inventoryDir.resolve(FILE);
  }

  @Override
  public Optional<Map<String, Integer>> read() {
    return text().map(csv -> TemperatureCsv.parse(csv, file.toString()));
  }

  /** Temperature and power (the optional third column). */
  public Optional<Map<String, GpuReading>> readings() {
    return text().map(csv -> TemperatureCsv.parseReadings(csv, file.toString()));
  }

  /** As a {@link GpuSensor}: with power where the file has it. */
  public GpuSensor sensor() {
    return this::readings;
  }

  private Optional<String> text() {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
