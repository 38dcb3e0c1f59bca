package org.llenergymeasure.campaign.activities.gpu.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.container.ContainerLabels;
import org.llenergymeasure.campaign.activities.container.DockerEngine;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;

/**
 * The container lister against the real engine, with labelled busybox containers in each state,
 * and a whole reconciliation of a lease file on top of it.
 */
@Tag("docker")
@ExtendWith(DockerExtension.class)
class DockerLiveRunsDockerTest {

  /** A campaign name of this test's own, so other tests' containers never count. */
  final String campaign =
      "t" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());

  final String host = "host-" + campaign;
  final DockerClient docker;
  final DockerEngine engine = DockerEngine.fromEnvironment();

  @TempDir Path dir;

  DockerLiveRunsDockerTest(DockerClient docker) {
    this.docker = docker;
  }

  @AfterEach
  void removeContainers() throws Exception {
    DockerExtension.removeContainersLabelled(docker, ContainerLabels.CAMPAIGN + "=" + campaign);
    engine.close();
  }

  LeaseOwner owner(String run, int attempt) {
    return new LeaseOwner(campaign, run, attempt);
  }

  /** A container labelled as a run attempt would be, in the state that {@code start} gives. */
  String container(LeaseOwner owner, String hostLabel, boolean withAttempt, String start) {
    Map<String, String> labels = new HashMap<>();
    labels.put(DockerExtension.TEST_LABEL, "live-runs");
    labels.put(ContainerLabels.CAMPAIGN, owner.campaign());
    labels.put(ContainerLabels.RUN, owner.runId());
    if (withAttempt) {
      labels.put(ContainerLabels.ATTEMPT, Integer.toString(owner.attempt()));
    }
    labels.put(ContainerLabels.HOST, hostLabel);
    String id =
        docker
            .createContainerCmd(DockerExtension.PROBE_IMAGE)
            .withCmd("sh", "-c", start.equals("exited") ? "true" : "sleep 300")
            .withLabels(labels)
            .exec()
            .getId();
    if (!start.equals("created")) {
      docker.startContainerCmd(id).exec();
    }
    if (start.equals("exited")) {
      docker
          .waitContainerCmd(id)
          .exec(new WaitContainerResultCallback())
          .awaitStatusCode(30, TimeUnit.SECONDS);
    }
    return id;
  }

  @Test
  void runningAndCreatedContainersOfThisHostAreLiveExitedOnesAndOtherHostsAreNot() {
    LeaseOwner running = owner("running.c1", 1);
    LeaseOwner created = owner("created.c1", 2);
    LeaseOwner exited = owner("exited.c1", 1);
    LeaseOwner elsewhere = owner("elsewhere.c1", 1);
    LeaseOwner unlabelled = owner("no-attempt.c1", 1);
    container(running, host, true, "running");
    container(created, host, true, "created");
    container(exited, host, true, "exited");
    container(elsewhere, "other-" + host, true, "running");
    container(unlabelled, host, false, "running");

    Set<LeaseOwner> live = new DockerLiveRuns(engine, host).withLiveContainer();

    assertEquals(Set.of(running, created), live);
  }

  @Test
  void reconcilingTheLeaseFileKeepsOnlyRunsWithALiveContainer() {
    LeaseOwner running = owner("running.c1", 1);
    LeaseOwner exited = owner("exited.c1", 1);
    LeaseOwner crashedBeforeLaunch = owner("gone.c1", 1);
    LeaseOwner oldAttempt = owner("running.c1", 0);
    container(running, host, true, "running");
    container(exited, host, true, "exited");

    Instant then = Instant.parse("2025-01-01T10:00:00Z");
    Path file = dir.resolve("leases").resolve(host + ".json");
    GpuLeaseStore old = new GpuLeaseStore(file, host, Clock.fixed(then, ZoneOffset.UTC));
    old.acquire(running, List.of("GPU-0"));
    old.acquire(exited, List.of("GPU-1"));
    old.acquire(crashedBeforeLaunch, List.of("GPU-2"));
    old.acquire(oldAttempt, List.of("GPU-3"));
    Instant now = then.plus(Duration.ofHours(1));
    GpuLeaseStore store = new GpuLeaseStore(file, host, Clock.fixed(now, ZoneOffset.UTC));

    LeaseReconciler.Result result =
        new LeaseReconciler(
                store,
                new DockerLiveRuns(engine, host),
                Clock.fixed(now, ZoneOffset.UTC),
                LeaseReconciler.DEFAULT_GRACE)
            .reconcile(null);

    assertEquals(
        Set.of(exited, crashedBeforeLaunch, oldAttempt),
        Set.copyOf(result.dropped().stream().map(GpuLease::owner).toList()));
    assertEquals(
        List.of(new GpuLease("GPU-0", running, then.toString())), store.holders());
  }
}
