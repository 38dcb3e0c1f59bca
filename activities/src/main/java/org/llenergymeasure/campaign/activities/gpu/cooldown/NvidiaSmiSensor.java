package org.llenergymeasure.campaign.activities.gpu.cooldown;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.llenergymeasure.campaign.activities.gpu.inventory.CommandRunner;

/**
 * Temperature and power through {@code nvidia-smi --query-gpu=uuid,temperature.gpu,power.draw}: the
 * fallback on a GPU host where NVML cannot be loaded. No nvidia-smi = no sensor.
 */
public final class NvidiaSmiSensor implements GpuSensor {

  static final List<String> QUERY =
      List.of(
          "nvidia-smi",
          "--query-gpu=uuid,temperature.gpu,power.draw",
          "--format=csv,noheader,nounits");

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @Override
  public Optional<Map<String, GpuReading>> read() {
    CommandRunner.Result result;
    try {
      result = CommandRunner.run(QUERY, TIMEOUT);
    } catch (IOException e) {
      return Optional.empty();
    } catch (CommandRunner.TimedOut e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading GPU temperatures", e);
    }
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          String.join(" ", QUERY)
              + " exited "
              + result.exitCode()
              + ": "
              + result.stderr().strip());
    }
    return Optional.of(TemperatureCsv.parseReadings(result.stdout(), "nvidia-smi"));
  }
}
