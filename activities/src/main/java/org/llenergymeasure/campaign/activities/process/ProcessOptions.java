package org.llenergymeasure.campaign.activities.process;

import java.time.Duration;
import java.util.List;

/**
 * Settings of process mode.
 *
 * @param cudaViewCommand the CUDA view to run with the run's environment, printing the {@code #
 *     llem-cuda-view} format; null for the default {@code python3 <attempt>/cuda_view.py} (the
 *     project's ctypes probe). Hosts without real GPUs (tests, simulated inventories) point it at a
 *     simulated view.
 * @param holdLimit how long a launched run waits for release before it gives up (exit 125)
 * @param pollInterval how often await looks at the process
 * @param probeLimit how long a probe may run
 */
public record ProcessOptions(
    List<String> cudaViewCommand, Duration holdLimit, Duration pollInterval, Duration probeLimit) {

  public ProcessOptions {
    cudaViewCommand = cudaViewCommand == null ? null : List.copyOf(cudaViewCommand);
  }

  public static ProcessOptions defaults() {
    return new ProcessOptions(
        null, Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofMinutes(2));
  }

  public ProcessOptions withCudaView(List<String> command) {
    return new ProcessOptions(command, holdLimit, pollInterval, probeLimit);
  }

  public ProcessOptions withHoldLimit(Duration limit) {
    return new ProcessOptions(cudaViewCommand, limit, pollInterval, probeLimit);
  }

  public ProcessOptions withPollInterval(Duration interval) {
    return new ProcessOptions(cudaViewCommand, holdLimit, interval, probeLimit);
  }
}
