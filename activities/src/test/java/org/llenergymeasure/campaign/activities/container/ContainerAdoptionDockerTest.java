package org.llenergymeasure.campaign.activities.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.AwaitRequest;
import org.llenergymeasure.campaign.workflows.host.AwaitResult;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.RunRef;

/**
 * Launch adopts only the attempt's own container (found by its labels, whatever its name) and never
 * touches a container of its name that is someone else's.
 */
@Tag("docker")
class ContainerAdoptionDockerTest {

  @TempDir Path tmp;
  DockerRunFixture fx;
  ContainerLauncher launcher;
  final List<String> madeHere = new ArrayList<>();
  final List<String> otherCampaigns = new ArrayList<>();

  @BeforeEach
  void setUp() {
    fx = new DockerRunFixture(tmp);
    launcher = new ContainerLauncher(fx.engine, ContainerLauncher.DEFAULT_HOLD_LIMIT);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (String campaign : otherCampaigns) {
      fx.engine
          .client()
          .listContainersCmd()
          .withShowAll(true)
          .withLabelFilter(Map.of(ContainerLabels.CAMPAIGN, campaign))
          .exec()
          .forEach(c -> madeHere.add(c.getId()));
    }
    for (String id : madeHere) {
      try {
        fx.engine.client().removeContainerCmd(id).withForce(true).exec();
      } catch (NotFoundException e) {
        // gone
      }
    }
    fx.close();
  }

  @Test
  void campaignsWhoseNamesJoinToTheSameTextEachRunTheirOwnContainer() throws Exception {
    // Campaign <c>-p-q run r and campaign <c>-p run q-r: one container name under the old rule.
    LaunchRequest first = request(fx.campaign + "-p-q", "r", "first");
    LaunchRequest second = request(fx.campaign + "-p", "q-r", "second");
    assertEquals(
        ContainerNames.legacy(first.run()),
        ContainerNames.legacy(second.run()),
        "the two runs collided under the old naming rule");

    LaunchResult a = launcher.launch(first, fx.settings);
    LaunchResult b = launcher.launch(second, fx.settings);

    assertEquals("started", a.state());
    assertEquals("started", b.state(), "the second campaign attached to the first's container");
    assertNotEquals(a.handle(), b.handle());
    for (LaunchResult r : List.of(a, b)) {
      launcher.release(r.handle());
    }
    var awaiter = ContainerAwaiter.realTime(fx.engine);
    assertEquals(0, await(awaiter, first, a).exitCode());
    assertEquals(0, await(awaiter, second, b).exitCode());
    assertEquals("first\n", Files.readString(Path.of(a.resultDir(), "out", "who.txt")));
    assertEquals("second\n", Files.readString(Path.of(b.resultDir(), "out", "who.txt")));
    assertEquals(1, listed(first.run()).size());
    assertEquals(1, listed(second.run()).size());
  }

  @Test
  void containerNamedTheOldWayWithThisAttemptsLabelsIsAdoptedNotDoubled() throws Exception {
    LaunchRequest request =
        fx.launchRequest("exp.c1", 1, new DockerRunFixture.Exp().command("sleep 30"));
    String oldName = ContainerNames.legacy(request.run());
    String id =
        runContainer(
            oldName,
            new ContainerLabels(fx.campaign, "exp.c1", 1, DockerRunFixture.HOST).toMap(List.of()));

    LaunchResult result = launcher.launch(request, fx.settings);

    assertEquals("attached", result.state());
    assertEquals(oldName, result.handle(), "later steps must get the adopted container's name");
    assertEquals(List.of(id), fx.containers().stream().map(Container::getId).toList());
    assertTrue(fx.inspect(ContainerNames.forRun(request.run())).isEmpty());
  }

  @Test
  void foreignContainerHoldingOurNameIsNeitherAttachedNorRemoved() throws Exception {
    LaunchRequest request =
        fx.launchRequest("exp.c1", 1, new DockerRunFixture.Exp().command("sleep 30"));
    String name = ContainerNames.forRun(request.run());
    String id =
        runContainer(
            name,
            Map.of(
                ContainerLabels.CAMPAIGN, "someone-else",
                ContainerLabels.RUN, "their.c1",
                ContainerLabels.ATTEMPT, "1",
                ContainerLabels.HOST, DockerRunFixture.HOST));

    RunFailureException e =
        assertThrows(RunFailureException.class, () -> launcher.launch(request, fx.settings));

    assertEquals(FailureTypes.LAUNCH_FAILED, e.type());
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("container " + name), e.getMessage());
    assertTrue(
        e.getMessage().contains("llem.campaign=someone-else llem.run=their.c1"), e.getMessage());
    assertForeignUntouched(name, id);
    assertEquals(List.of(), fx.containers(), "no container of ours started on its GPUs");
  }

  @Test
  void unlabelledContainerOrOneOfAnotherHostHoldingOurNameFailsTheLaunch() throws Exception {
    LaunchRequest request =
        fx.launchRequest("exp.c1", 2, new DockerRunFixture.Exp().command("sleep 30"));
    String name = ContainerNames.forRun(request.run());
    String id = runContainer(name, Map.of());
    RunFailureException e =
        assertThrows(RunFailureException.class, () -> launcher.launch(request, fx.settings));
    assertEquals(FailureTypes.LAUNCH_FAILED, e.type());
    assertTrue(e.getMessage().contains("llem.campaign=(none)"), e.getMessage());
    assertForeignUntouched(name, id);

    LaunchRequest third =
        fx.launchRequest("exp.c1", 3, new DockerRunFixture.Exp().command("sleep 30"));
    String thirdName = ContainerNames.forRun(third.run());
    String otherHost =
        runContainer(
            thirdName,
            new ContainerLabels(fx.campaign, "exp.c1", 3, "other-host").toMap(List.of()));
    RunFailureException e3 =
        assertThrows(RunFailureException.class, () -> launcher.launch(third, fx.settings));
    assertEquals(FailureTypes.LAUNCH_FAILED, e3.type());
    assertTrue(e3.getMessage().contains("llem.host=other-host"), e3.getMessage());
    assertForeignUntouched(thirdName, otherHost);
  }

  @Test
  void cleanupLeavesAContainerThatTookTheNameAfterLaunch() throws Exception {
    LaunchRequest request =
        fx.launchRequest("exp.c1", 1, new DockerRunFixture.Exp().command("sleep 30"));
    LaunchResult ours = launcher.launch(request, fx.settings);
    launcher.discard(ours.handle());
    String id =
        runContainer(
            ours.handle(),
            Map.of(ContainerLabels.CAMPAIGN, "someone-else", ContainerLabels.RUN, "x.c1"));

    new ContainerCleaner(fx.engine)
        .cleanup(new CleanupRequest(request.run(), ours.handle(), request.routing()), fx.settings);

    assertForeignUntouched(ours.handle(), id);
    assertFalse(
        Files.exists(Path.of(ours.resultDir(), "log.txt")),
        "the other container's log was saved as this run's");
  }

  private LaunchRequest request(String campaign, String runId, String who) {
    otherCampaigns.add(campaign);
    var exp = new DockerRunFixture.Exp().command("echo " + who + " > /results/who.txt");
    return new LaunchRequest(
        new RunRef(campaign, runId, "exp", 1, 1), exp.build(), DockerRunFixture.envRouting());
  }

  private AwaitResult await(
      ContainerAwaiter awaiter, LaunchRequest request, LaunchResult launched) {
    return awaiter.await(
        new AwaitRequest(request.run(), request.experiment(), launched.handle()),
        null,
        null,
        Heartbeater.none());
  }

  /** A running busybox container made as a user (or another tool) would: not by this worker. */
  private String runContainer(String name, Map<String, String> labels) {
    String id =
        fx.engine
            .client()
            .createContainerCmd(TestImage.NAME)
            .withName(name)
            .withLabels(labels)
            .withCmd("sleep", "60")
            .exec()
            .getId();
    madeHere.add(id);
    fx.engine.client().startContainerCmd(id).exec();
    return id;
  }

  private void assertForeignUntouched(String name, String id) {
    var c = fx.inspect(name).orElseThrow(() -> new AssertionError(name + " was removed"));
    assertEquals(id, c.getId(), "the container holding " + name + " was replaced");
    assertTrue(c.getState().getRunning(), name + " was stopped");
    assertFalse(
        c.getMounts() != null
            && c.getMounts().stream()
                .anyMatch(
                    m ->
                        m.getDestination() != null
                            && HoldFiles.DIR.equals(m.getDestination().getPath())),
        "the foreign container got our mounts");
  }

  private List<Container> listed(RunRef run) {
    List<Container> found =
        fx.engine
            .client()
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(ContainerOwnership.labelFilter(run))
            .exec();
    return found;
  }
}
