package org.llenergymeasure.campaign.activities.container;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.WorkerShutdownException;
import org.llenergymeasure.campaign.workflows.FailureTypes;

/**
 * COMPATIBILITY ONLY: run containers created by an earlier version of the worker, which copied the
 * hold files into the container instead of bind-mounting the attempt's {@code .llem} folder at
 * {@code /.llem} (they have no such mount: {@link ContainerLauncher#controlDir} is empty). Such a
 * container left in state created gets the files copied in before it starts, and is released by an
 * exec that creates {@code /.llem/go}. Everything here goes when compatibility with those
 * containers does.
 */
final class EarlierVersionContainers {

  private final DockerEngine engine;
  private final Duration holdLimit;
  private final ContainerExec exec;

  EarlierVersionContainers(DockerEngine engine, Duration holdLimit) {
    this.engine = engine;
    this.holdLimit = holdLimit;
    this.exec = new ContainerExec(engine);
  }

  /** Whether the container has no {@code /.llem} mount: made by an earlier version. */
  static boolean madeBy(InspectContainerResponse c) {
    return ContainerLauncher.controlDir(c).isEmpty();
  }

  /** Copies the hold files into a created (not yet started) container. */
  void copyHoldFiles(String id) {
    engine
        .client()
        .copyArchiveToContainerCmd(id)
        .withRemotePath("/")
        .withTarInputStream(new ByteArrayInputStream(HoldFiles.tar(holdLimit)))
        .exec();
  }

  /**
   * Creates {@code /.llem/go} by exec. A run that ended while we released it (released before, then
   * finished) needs nothing.
   */
  void release(String containerName) {
    ExecResult r;
    try {
      r =
          exec.run(
              containerName,
              List.of("/bin/sh", "-c", ": > " + HoldFiles.GO),
              // Numeric: "root" needs an /etc/passwd, which minimal images lack.
              "0:0",
              Duration.ofSeconds(30));
    } catch (DockerException e) {
      r = new ExecResult(-1, "", String.valueOf(e.getMessage()));
    }
    if (r.exitCode() != 0 && stillRunning(containerName)) {
      throw new RunFailureException(
          FailureTypes.PROBE_FAILED,
          "could not release container "
              + containerName
              + " (creating "
              + HoldFiles.GO
              + " exited "
              + r.exitCode()
              + ": "
              + r.combined().strip()
              + ")",
          false);
    }
  }

  /**
   * Whether the container is still running a moment after an exec into it failed: an exec into a
   * run that is just ending (released earlier, command finished) fails while the engine still
   * reports it running for a few hundred milliseconds.
   */
  private boolean stillRunning(String name) {
    for (int i = 0; i < 20; i++) {
      if (!running(name)) {
        return false;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WorkerShutdownException("interrupted while releasing " + name, e);
      }
    }
    return true;
  }

  private boolean running(String name) {
    try {
      return Boolean.TRUE.equals(
          engine.client().inspectContainerCmd(name).exec().getState().getRunning());
    } catch (NotFoundException e) {
      return false;
    }
  }
}
