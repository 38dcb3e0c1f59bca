package org.llenergymeasure.campaign.worker.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.RunBackend;
import org.llenergymeasure.campaign.activities.container.Heartbeater;
import org.llenergymeasure.campaign.activities.container.ProbeOutputs;
import org.llenergymeasure.campaign.workflows.host.AwaitProgress;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitResult;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.RoutedDevice;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;

/**
 * BENCHMARK ONLY (bench/scale): a run backend whose runs complete at once, so the scale benchmark
 * measures the workflows, the server and the rest of the real host activities (router, leases,
 * verifier, collector, ledger) rather than Docker. Keeps no per-run state, so the worker's heap
 * reflects the product's code alone.
 */
public final class InstantRunBackendForBenchmark implements RunBackend {

  @Override
  public LaunchResult launch(LaunchRequest request, HostSettings settings) {
    Path dir = settings.attemptDir(request.run());
    write(dir.resolve(".launched"), "");
    return new LaunchResult(
        "instant-" + request.run().runId() + "-a" + request.run().attempt(),
        "started",
        dir.toString());
  }

  @Override
  public ProbeOutputs probe(VerifyRequest request, HostSettings settings) {
    List<String> lines = new ArrayList<>();
    List<RoutedDevice> devices = request.routing().devices();
    for (int i = 0; i < devices.size(); i++) {
      lines.add(
          "GPU " + i + ": " + devices.get(i).name() + " (UUID: " + devices.get(i).uuid() + ")");
    }
    return new ProbeOutputs(String.join("\n", lines) + "\n", 0, null, null, false);
  }

  @Override
  public void release(String handle) {}

  @Override
  public void discard(String handle) {}

  @Override
  public AwaitResult await(
      AwaitRequest request,
      HostSettings settings,
      AwaitProgress previous,
      Heartbeater heartbeater) {
    write(
        settings.attemptDir(request.run()).resolve(request.experiment().resultFile()),
        "{\"energy_j\": 0}");
    return new AwaitResult(0, 0, "done");
  }

  @Override
  public void cleanup(CleanupRequest request, HostSettings settings) {}

  @Override
  public boolean saveLog(String handle, Path attemptDir) {
    return false;
  }

  private static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
