package org.llenergymeasure.campaign.activities.container;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import java.util.Optional;
import org.llenergymeasure.campaign.activities.AttemptFolder;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of every attempt, whatever happened before: keep the log, remove the container and
 * its hold files. Idempotent: a container that is already gone is fine. A container of that name
 * whose labels are not this run's is left alone. (Releasing the GPU lease is the lease keeper's
 * job.)
 */
public final class ContainerCleaner {

  private static final Logger log = LoggerFactory.getLogger(ContainerCleaner.class);

  private final DockerEngine engine;
  private final ContainerLogs logs;

  public ContainerCleaner(DockerEngine engine) {
    this.engine = engine;
    this.logs = new ContainerLogs(engine);
  }

  public void cleanup(CleanupRequest request, HostSettings settings) {
    String name = request.handle();
    if (name == null) {
      return;
    }
    AttemptFolder folder = AttemptFolder.create(settings, request.run());
    Optional<InspectContainerResponse> c;
    try {
      c = ContainerOwnership.inspect(engine, name);
    } catch (RuntimeException e) {
      throw engine.translate(e, "inspecting container " + name);
    }
    if (c.isPresent() && !ContainerOwnership.isOwn(c.get(), request.run(), settings.hostId())) {
      // The name changed hands since launch: that container is someone else's. Keep it.
      log.warn(
          "container {} is not run {}'s (its labels name another run); left untouched",
          name,
          request.run().resultPath());
      HoldFiles.deleteFrom(folder.resolve(ContainerLauncher.CONTROL_DIR));
      return;
    }
    logs.saveLog(name, folder.dir());
    try {
      engine
          .client()
          .removeContainerCmd(c.isPresent() ? c.get().getId() : name)
          .withForce(true)
          .withRemoveVolumes(true)
          .exec();
      log.info("removed container {}", name);
    } catch (NotFoundException e) {
      // Already gone: cleanup ran before, or the container was never made.
    } catch (ConflictException e) {
      log.info("container {} is already being removed", name);
    } catch (RuntimeException e) {
      throw engine.translate(e, "removing container " + name);
    }
    // The hold files and the probe's answers were only the container's: the attempt's folder keeps
    // the worker's records and the run folder the run's results. Both through directory handles:
    // the run may have left links in its folder.
    HoldFiles.deleteFrom(folder.resolve(ContainerLauncher.CONTROL_DIR));
    SelfProbe.deleteAnswers(folder.runDir());
  }
}
