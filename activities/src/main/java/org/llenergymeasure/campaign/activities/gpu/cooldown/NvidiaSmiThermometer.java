package org.llenergymeasure.campaign.activities.gpu.cooldown;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.llenergymeasure.campaign.activities.gpu.inventory.CommandRunner;

/** The real sensor: {@code nvidia-smi --query-gpu=uuid,temperature.gpu --format=csv,noheader,nounits}. */
public final class NvidiaSmiThermometer implements GpuThermometer {

  static final List<String> QUERY =
      List.of("nvidia-smi", "--query-gpu=uuid,temperature.gpu", "--format=csv,noheader,nounits");

  private final Duration timeout;

  public NvidiaSmiThermometer() {
    this(Duration.ofSeconds(20));
  }

  public NvidiaSmiThermometer(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public Optional<Map<String, Integer>> read() {
    CommandRunner.Result result;
    try {
      result = CommandRunner.run(QUERY, timeout);
    } catch (IOException e) {
      return Optional.empty(); // no nvidia-smi: no sensor
    } catch (CommandRunner.TimedOut e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading GPU temperatures", e);
    }
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          String.join(" ", QUERY) + " exited " + result.exitCode() + ": " + result.stderr().strip());
    }
    return Optional.of(TemperatureCsv.parse(result.stdout(), "nvidia-smi"));
  }
}
