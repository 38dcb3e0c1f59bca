package org.llenergymeasure.campaign.activities.container;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.llenergymeasure.campaign.activities.AttemptFolder;
import org.llenergymeasure.campaign.activities.HostSettings;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.WorkerShutdownException;
import org.llenergymeasure.campaign.activities.upstream.UpstreamConfig;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.RunRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a run attempt's container, or finds the one an earlier try of the activity made.
 *
 * <p><b>Verification before measurement.</b> The run must not start measuring before the worker has
 * proven which GPUs it sees, yet the proof has to come from inside the very container that will
 * measure (same runtime, same env, same device nodes). So the container is started <em>held</em>:
 * its entrypoint is replaced by {@code /bin/sh /.llem/hold.sh <original command...>}, where the
 * original command is the experiment's {@code command}, else the image's Entrypoint + Cmd. {@code
 * hold.sh} waits (checking every 5 ms at first, less often later, for at most the hold limit, 1 h
 * by default, then exits 125 with a message) until the file {@code /.llem/go} exists, and then
 * {@code exec}s the original command, which thus keeps PID 1, the image's user (or the experiment's
 * {@code user:}, which replaces it), working directory and environment. The {@code /.llem/} files
 * ({@code hold.sh}, {@code cuda-view.sh}, the optional {@code cuda_view.py} and the attempt's
 * {@code probe.sh}) sit in the attempt's {@code .llem} folder, bind-mounted read-only at {@code
 * /.llem}, so the image needs nothing but {@code /bin/sh}. Before waiting, the hold runs the device
 * and CUDA views itself and leaves their answers in the run folder ({@link SelfProbe}); {@link
 * ContainerProbe} reads them (or execs the views when there are none); when they match the routing,
 * {@link #release} creates {@code go} in the mounted folder, and on a mismatch {@link #discard}
 * removes the container before anything was measured.
 *
 * <p><b>Folders.</b> The run is untrusted: the only folder it can write is the attempt's run folder
 * {@code a<n>/out/} ({@link AttemptFolder#runDir}), mounted at the experiment's {@code resultsDir}
 * and at {@code /run/llem}. The attempt folder around it (the worker's records) and the control
 * folder are the worker's; the run cannot reach them.
 *
 * <p><b>Idempotency.</b> The name comes from campaign, run id and the workflow's attempt counter
 * ({@link ContainerNames}). The attempt's existing container is found by its {@code llem.*} labels
 * (whatever its name: one named before an upgrade is adopted too, and its real name goes to the
 * later steps): running = "attached", exited = "exited" (await and collect take its exit), created
 * = started now, anything else is removed and made again. A 409 name conflict (another try creating
 * it at the same moment) is handled the same way, by inspecting what is there. A container of our
 * name whose labels are not this attempt's is never attached or removed: the launch fails with
 * {@code LaunchFailed} ({@link ContainerOwnership}).
 *
 * <p>The image comes from {@link ImagePuller} (pulled when it is not here).
 */
public final class ContainerLauncher {

  public static final Duration DEFAULT_HOLD_LIMIT = Duration.ofHours(1);

  private static final Logger log = LoggerFactory.getLogger(ContainerLauncher.class);
  private static final String NO_GPU_DRIVER = "could not select device driver";

  /** The attempt's sub-folder that is mounted at {@code /.llem} (hold files, the release file). */
  static final String CONTROL_DIR = ".llem";

  private static final String GO_FILE = "go";

  private final DockerEngine engine;
  private final Duration holdLimit;
  private final ImagePuller images;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param holdLimit how long a run waits for {@link #release} before giving up (exit 125); {@link
   *     #DEFAULT_HOLD_LIMIT} on a worker
   */
  public ContainerLauncher(DockerEngine engine, Duration holdLimit) {
    this.engine = engine;
    this.holdLimit = holdLimit;
    this.images = new ImagePuller(engine);
  }

  public LaunchResult launch(LaunchRequest request, HostSettings settings) {
    if (!request.routing().attach().isContainer()) {
      throw new IllegalArgumentException(
          "attach mode "
              + AttachMode.PROCESS.yamlName()
              + " runs no container; launch it as a process");
    }
    String name = ContainerNames.forRun(request.run());
    try {
      return launchNamed(name, request, settings);
    } catch (RuntimeException e) {
      throw engine.translate(e, "launching container " + name);
    }
  }

  private LaunchResult launchNamed(String name, LaunchRequest request, HostSettings settings) {
    RunContainerSpec.checkMounts(request.experiment(), settings);
    AttemptFolder folder = AttemptFolder.create(settings, request.run());
    folder.write("routing.json", routingJson(request));
    Path runDir = folder.createRunDir();
    String resultDir = folder.dir().toString();
    // A conflict or a stale container each cost a round. The engine reserves a name before the
    // container can be inspected, so after a 409 the other try's container may stay invisible for
    // a moment: wait a little longer each round. Running out means the name keeps changing hands.
    for (int round = 0; round < 10; round++) {
      Optional<InspectContainerResponse> existing =
          ContainerOwnership.existing(engine, name, request.run(), settings.hostId());
      if (existing.isPresent()) {
        String adopted = ContainerOwnership.nameOf(existing.get());
        String state = resume(existing.get(), adopted, settings);
        if (state != null) {
          return new LaunchResult(adopted, state, resultDir);
        }
        continue;
      }
      Experiment experiment = request.experiment();
      Secrets secrets =
          Secrets.resolve(experiment.secrets(), settings.workerEnv(), settings.hostId());
      InspectImageResponse image = images.ensure(experiment.image());
      // The experiment's `user:` replaces the image's USER; either may be someone else than root.
      String user =
          experiment.user() != null
              ? experiment.user()
              : image.getConfig() == null ? null : image.getConfig().getUser();
      boolean otherUser = user != null && !user.isBlank() && !isRoot(user);
      if (otherUser) {
        folder.openRunDirToContainerUser();
      }
      List<String> original =
          RunContainerSpec.originalCommand(
              experiment,
              image.getConfig() == null ? null : image.getConfig().getEntrypoint(),
              image.getConfig() == null ? null : image.getConfig().getCmd());
      RunContainerSpec.checkStartable(
          RunContainerSpec.heldCommand(original),
          RunContainerSpec.env(experiment, request.routing(), secrets));
      Path control = folder.resolve(CONTROL_DIR);
      HoldFiles.writeTo(control, holdLimit);
      SelfProbe.prepare(control, runDir, selfProbeScript(request), otherUser);
      // A file left by an earlier container of this attempt would release the new one unverified.
      deleteGo(control);
      UpstreamConfig.writeIfAny(runDir, experiment.llenergymeasure());
      String id;
      try {
        id = create(name, request, settings, secrets, original, runDir, control);
      } catch (ConflictException e) {
        log.info("container {} appeared while we created it; inspecting it", name);
        pause(50L * (round + 1), name);
        continue;
      }
      start(id, name, secrets, settings);
      log.info("started held container {} for run {}", name, request.run().resultPath());
      return new LaunchResult(name, "started", resultDir);
    }
    throw new RunFailureException(
        FailureTypes.ENGINE_UNAVAILABLE,
        "container " + name + " kept changing while being launched; will retry",
        true);
  }

  /** The held container's own probes ({@link SelfProbe}), answering into its results mount. */
  private static String selfProbeScript(LaunchRequest request) {
    String out = request.experiment().resultsDir() + "/" + SelfProbe.OUT;
    return SelfProbe.script(
        request.routing().noGpu() ? null : ContainerProbe.deviceCommand(request.experiment()), out);
  }

  /**
   * Lets a held run start its real command by creating {@code /.llem/go}. Idempotent; a run that is
   * no longer running has nothing to release.
   */
  public void release(String containerName) {
    try {
      Optional<InspectContainerResponse> c = inspect(containerName);
      if (c.isEmpty()) {
        throw new RunFailureException(
            FailureTypes.EXIT_NON_ZERO,
            "container " + containerName + " no longer exists, so it cannot be released",
            false);
      }
      if (!Boolean.TRUE.equals(c.get().getState().getRunning())) {
        log.info("container {} is not running; nothing to release", containerName);
        return;
      }
      // The hold sees the file through its bind mount at once: no exec round trip.
      createGo(controlDirOf(c.get(), containerName), containerName);
    } catch (RuntimeException e) {
      throw engine.translate(e, "releasing container " + containerName);
    }
  }

  /** The host folder mounted at {@code /.llem}: every run container this worker makes has one. */
  private static Path controlDirOf(InspectContainerResponse c, String containerName) {
    return controlDir(c)
        .orElseThrow(
            () ->
                new RunFailureException(
                    FailureTypes.PROBE_FAILED,
                    "could not release container "
                        + containerName
                        + ": it has no "
                        + HoldFiles.DIR
                        + " mount, so it was not made by this worker",
                    false));
  }

  /** The host folder mounted at {@code /.llem}, if this container has one. */
  static Optional<Path> controlDir(InspectContainerResponse c) {
    if (c.getMounts() == null) {
      return Optional.empty();
    }
    return c.getMounts().stream()
        .filter(
            m -> m.getDestination() != null && HoldFiles.DIR.equals(m.getDestination().getPath()))
        .filter(m -> m.getSource() != null)
        .map(m -> Path.of(m.getSource()))
        .findFirst();
  }

  private static void createGo(Path control, String containerName) {
    try {
      Files.writeString(control.resolve(GO_FILE), "");
    } catch (IOException e) {
      throw new RunFailureException(
          FailureTypes.PROBE_FAILED,
          "could not release container "
              + containerName
              + " (cannot create "
              + control.resolve(GO_FILE)
              + ": "
              + e.getMessage()
              + "); check that the results folder is writable by the worker",
          false);
    }
  }

  private static void deleteGo(Path control) {
    try {
      Files.deleteIfExists(control.resolve(GO_FILE));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("removing a stale " + control.resolve(GO_FILE), e);
    }
  }

  /**
   * Stops and removes a container before it measured anything (e.g. a GPU mismatch). Idempotent.
   */
  public void discard(String containerName) {
    try {
      remove(containerName);
    } catch (RuntimeException e) {
      throw engine.translate(e, "removing container " + containerName);
    }
  }

  private static void pause(long millis, String name) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerShutdownException("interrupted while launching " + name, e);
    }
  }

  private String resume(InspectContainerResponse c, String name, HostSettings settings) {
    String status = c.getState().getStatus();
    return switch (status == null ? "" : status) {
      case "running" -> {
        log.info("container {} is already running; attaching", name);
        yield "attached";
      }
      case "exited" -> {
        log.info("container {} exited while nobody watched; its exit will be collected", name);
        yield "exited";
      }
      case "created" -> {
        log.info("container {} was created but not started; starting it", name);
        start(
            c.getId(),
            name,
            Secrets.fromContainer(c.getConfig().getLabels(), c.getConfig().getEnv()),
            settings);
        yield "started";
      }
      default -> {
        log.info("container {} is {}; removing it and creating it again", name, status);
        remove(c.getId());
        yield null;
      }
    };
  }

  private String create(
      String name,
      LaunchRequest request,
      HostSettings settings,
      Secrets secrets,
      List<String> original,
      Path runDir,
      Path control) {
    RunRef run = request.run();
    ContainerLabels labels =
        new ContainerLabels(run.campaign(), run.runId(), run.attempt(), settings.hostId());
    try {
      CreateContainerCmd cmd =
          engine
              .client()
              .createContainerCmd(request.experiment().image())
              .withName(name)
              .withLabels(labels.toMap(secrets.names(), request.experiment().logLimit()))
              .withEnv(RunContainerSpec.env(request.experiment(), request.routing(), secrets))
              .withEntrypoint("/bin/sh")
              .withCmd(RunContainerSpec.heldCommand(original))
              .withHostConfig(
                  RunContainerSpec.hostConfig(
                      request.experiment(),
                      request.routing(),
                      runDir,
                      settings.inventoryDir(),
                      control));
      if (request.experiment().user() != null) {
        // Replaces the image's USER; without the key the image's stays.
        cmd.withUser(request.experiment().user());
      }
      return cmd.exec().getId();
    } catch (ConflictException e) {
      throw e;
    } catch (DockerException e) {
      throw new RunFailureException(
          FailureTypes.LAUNCH_FAILED,
          "Docker refused to create container "
              + name
              + ": "
              + secrets.redact(e.getMessage())
              + ". Check the experiment's mounts, shmSize, memory and network settings.",
          false);
    }
  }

  private void start(String id, String name, Secrets secrets, HostSettings settings) {
    try {
      engine.client().startContainerCmd(id).exec();
    } catch (NotModifiedException e) {
      // Another try started it a moment ago: that is what we wanted.
    } catch (DockerException e) {
      String message = secrets.redact(String.valueOf(e.getMessage()));
      remove(name);
      if (message.contains(NO_GPU_DRIVER)) {
        throw new RunFailureException(
            FailureTypes.GPU_RUNTIME_MISSING,
            "Docker on host "
                + settings.hostId()
                + " cannot give containers GPUs ("
                + message.strip()
                + "). Install the NVIDIA container toolkit and configure Docker for it"
                + " (nvidia-ctk runtime configure --runtime=docker, then restart Docker), or use"
                + " attach: env on hosts whose default runtime is nvidia, or attach: process.",
            false);
      }
      throw new RunFailureException(
          FailureTypes.LAUNCH_FAILED,
          "Docker could not start container " + name + ": " + message.strip(),
          false);
    }
  }

  private static boolean isRoot(String user) {
    String u = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
    return u.equals("root") || u.equals("0");
  }

  private Optional<InspectContainerResponse> inspect(String name) {
    try {
      return Optional.of(engine.client().inspectContainerCmd(name).exec());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  private void remove(String name) {
    try {
      engine.client().removeContainerCmd(name).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      // Already gone.
    } catch (ConflictException e) {
      // "removal already in progress": someone else is removing it.
      log.info("container {} is already being removed", name);
    }
  }

  private String routingJson(LaunchRequest request) {
    try {
      return json.writerWithDefaultPrettyPrinter().writeValueAsString(request.routing()) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("GpuRouting is a plain record and always serialises", e);
    }
  }
}
