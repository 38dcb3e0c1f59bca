package org.llenergymeasure.campaign.activities.gpu.inventory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** The real host: runs the three nvidia-smi commands, each with a deadline. */
public final class NvidiaSmiInventorySource implements InventorySource {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final String hostId;
  private final String executable;
  private final Duration timeout;

  /**
   * @param executable nvidia-smi's name or path (tests pass a stand-in script)
   */
  public NvidiaSmiInventorySource(String hostId, String executable, Duration timeout) {
    this.hostId = hostId;
    this.executable = executable;
    this.timeout = timeout;
  }

  /** The {@code nvidia-smi} on the PATH, with {@link #DEFAULT_TIMEOUT}. */
  public static NvidiaSmiInventorySource onPath(String hostId) {
    return new NvidiaSmiInventorySource(hostId, "nvidia-smi", DEFAULT_TIMEOUT);
  }

  /**
   * @throws NoGpusFoundException when nvidia-smi is missing, fails, times out or lists no GPU
   * @throws InventoryException when its output cannot be understood
   */
  @Override
  public HostInventory read() {
    String queryGpu = run(NvidiaSmiCommands.QUERY_GPU);
    if (queryGpu.isBlank()) {
      throw new NoGpusFoundException(hostId, "nvidia-smi --query-gpu listed no GPU");
    }
    String smiList = run(NvidiaSmiCommands.LIST);
    String computeApps = run(NvidiaSmiCommands.COMPUTE_APPS);
    return InventoryAssembler.assemble(hostId, queryGpu, smiList, computeApps, false);
  }

  private String run(List<String> command) {
    List<String> actual = NvidiaSmiCommands.withExecutable(command, executable);
    String shown = String.join(" ", actual);
    CommandRunner.Result result;
    try {
      result = CommandRunner.run(actual, timeout);
    } catch (IOException e) {
      throw new NoGpusFoundException(
          hostId,
          "cannot run "
              + executable
              + " ("
              + e.getMessage()
              + "); install the NVIDIA driver, or use"
              + " --inventory DIR to simulate a host");
    } catch (CommandRunner.TimedOut e) {
      throw new NoGpusFoundException(hostId, e.getMessage() + "; the driver may be hung");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InventoryException("interrupted while running " + shown, e);
    }
    if (result.exitCode() != 0) {
      String said = (result.stderr() + " " + result.stdout()).strip();
      throw new NoGpusFoundException(
          hostId,
          shown
              + " exited with "
              + result.exitCode()
              + (said.isEmpty() ? "" : ": " + firstLine(said)));
    }
    return result.stdout();
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl).strip();
  }
}
