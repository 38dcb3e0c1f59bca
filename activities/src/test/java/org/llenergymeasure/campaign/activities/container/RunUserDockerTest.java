package org.llenergymeasure.campaign.activities.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.gpu.telemetry.NoGpuTelemetry;
import org.llenergymeasure.campaign.activities.ledger.ResultCollector;
import org.llenergymeasure.campaign.workflows.host.CleanupRequest;
import org.llenergymeasure.campaign.workflows.host.CollectRequest;
import org.llenergymeasure.campaign.workflows.host.CollectResult;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;
import org.llenergymeasure.campaign.workflows.host.VerifyRequest;

/**
 * An experiment's {@code user:} in a container, on the real engine: it replaces the image's user
 * (root in the test image), the held start and the self-probe still work as that user, and the run
 * can write its result into its run folder.
 */
class RunUserDockerTest {

  @TempDir Path tmp;
  private DockerRunFixture fx;
  private ContainerLauncher launcher;

  @BeforeEach
  void setUp() {
    fx = new DockerRunFixture(tmp);
    launcher = new ContainerLauncher(fx.engine, ContainerLauncher.DEFAULT_HOLD_LIMIT);
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  @Test
  void theRunExecutesAsTheGivenUserAndItsResultIsCollected() throws Exception {
    DockerRunFixture.Exp exp =
        new DockerRunFixture.Exp()
            .command(
                "echo \"{\\\"uid\\\": $(id -u), \\\"gid\\\": $(id -g)}\" > /results/result.json");
    exp.user = "65534:65534";
    exp.probe = List.of("sh", "-c", "test \"$(id -u)\" = 65534 && echo " + DockerRunFixture.UUID);
    GpuRouting routing = DockerRunFixture.envRouting();
    LaunchRequest request = new LaunchRequest(fx.run("u.c1", 1), exp.build(), routing);

    LaunchResult r = launcher.launch(request, fx.settings);
    ProbeOutputs seen =
        new ContainerProbe(fx.engine)
            .run(
                new VerifyRequest(request.run(), request.experiment(), routing, r.handle()),
                fx.settings);
    launcher.release(r.handle());
    fx.waitExited(r.handle(), Duration.ofSeconds(20));
    CollectResult result =
        new ResultCollector(new ContainerLogs(fx.engine), new NoGpuTelemetry("test"))
            .collect(
                new CollectRequest(
                    request.run(),
                    request.experiment(),
                    routing,
                    r.handle(),
                    List.of(),
                    null,
                    1,
                    2),
                fx.settings);
    new ContainerCleaner(fx.engine)
        .cleanup(new CleanupRequest(request.run(), r.handle(), routing), fx.settings);

    String imageUser =
        fx.engine.client().inspectImageCmd(TestImage.NAME).exec().getConfig().getUser();
    assertTrue(imageUser == null || imageUser.isEmpty(), "the test image runs as root");
    assertTrue(
        seen.deviceView() != null && seen.deviceView().contains(DockerRunFixture.UUID),
        "the probe ran as the user too: " + seen);
    assertEquals("completed", result.status(), String.valueOf(result.failure()));
    Path attempt = fx.settings.attemptDir(fx.run("u.c1", 1));
    assertEquals(
        "{\"uid\": 65534, \"gid\": 65534}\n", Files.readString(attempt.resolve("result.json")));
  }
}
