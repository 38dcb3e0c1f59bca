package org.llenergymeasure.campaign.activities;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the host activities need to know about the worker they run in.
 *
 * @param hostId this GPU host's id (the {@code llem.host} container label)
 * @param resultsRoot the results folder; attempts go to {@code <root>/<campaign>/<runId>/a<n>/}
 * @param inventoryDir a simulated host's inventory folder, mounted read-only into simulated runs;
 *     null on a real GPU host
 * @param workerEnv the worker's own environment: secrets named by experiments are read from it when
 *     a container is created, and never copied anywhere else
 * @param llemHome the worker's state folder ({@code LLEM_HOME}: leases, quarantine, the dev
 *     server's database); no run may mount it. Null when not known (tests without one)
 */
public record HostSettings(
    String hostId,
    Path resultsRoot,
    Path inventoryDir,
    Map<String, String> workerEnv,
    Path llemHome) {

  public HostSettings {
    workerEnv = workerEnv == null ? Map.of() : Map.copyOf(workerEnv);
  }

  /** The folder of one run attempt. */
  public Path attemptDir(org.llenergymeasure.campaign.workflows.host.RunRef run) {
    return resultsRoot.resolve(run.campaign()).resolve(run.runId()).resolve("a" + run.attempt());
  }

  /** Never print secret values: show only the names of the worker's variables. */
  @Override
  public String toString() {
    return "HostSettings[hostId="
        + hostId
        + ", resultsRoot="
        + resultsRoot
        + ", inventoryDir="
        + inventoryDir
        + ", workerEnv="
        + workerEnv.size()
        + " variables, llemHome="
        + llemHome
        + "]";
  }
}
