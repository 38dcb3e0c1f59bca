package org.llenergymeasure.campaign.activities.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.testing.DockerExtension;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.workflows.host.LaunchRequest;
import org.llenergymeasure.campaign.workflows.host.LaunchResult;

/**
 * The launch of an llenergymeasure experiment's container, on the real engine with the double of
 * upstream's image ({@code llem-upstream-double:dev}, scripts/build-test-images): the config file
 * in the run folder, the two variables, the image's own command, the vLLM shm size of the config
 * side, and a launch tried again.
 */
@Tag("docker")
@ExtendWith(DockerExtension.class)
class LlenergymeasureLaunchDockerTest {

  private static final String IMAGE = "llem-upstream-double:dev";

  private static Experiment experiment() throws Exception {
    return CampaignLoader.parse(
            String.join(
                "\n",
                "campaign: lem-launch",
                "experiments:",
                "  - name: lem",
                "    image: " + IMAGE,
                "    network: none",
                "    llenergymeasure:",
                "      config: {double: result-v0.7.0, engine: vllm, task: {model: gpt2}}",
                ""),
            "lem-launch.yaml")
        .campaign()
        .experiments()
        .get(0);
  }

  @Test
  void theHeldContainerGetsTheConfigTheVariablesAndTheImagesOwnCommand(@TempDir Path tmp)
      throws Exception {
    Experiment experiment = experiment();
    assertEquals(8L << 30, experiment.shmSize(), "the config side's vLLM default");
    try (DockerRunFixture fx = new DockerRunFixture(tmp)) {
      requireImage(fx);
      ContainerLauncher launcher =
          new ContainerLauncher(fx.engine, ContainerLauncher.DEFAULT_HOLD_LIMIT);
      LaunchRequest request =
          new LaunchRequest(fx.run("lem.c1", 1), experiment, DockerRunFixture.noGpuRouting());
      Path out = fx.root.resolve(fx.campaign).resolve("lem.c1/a1/out");
      // Left by something earlier in the run folder: a link at the config's name.
      Files.createDirectories(out);
      Path hostFile = Files.writeString(tmp.resolve("host-file"), "the host's own");
      Files.createSymbolicLink(out.resolve("llem_config.json"), hostFile);

      LaunchResult result = launcher.launch(request, fx.settings);

      assertEquals("started", result.state());
      assertEquals("the host's own", Files.readString(hostFile), "the link was not followed");
      Path config = out.resolve("llem_config.json");
      assertTrue(Files.isRegularFile(config, LinkOption.NOFOLLOW_LINKS));
      assertEquals(experiment.llenergymeasure().config(), Files.readString(config));
      Object key = Files.readAttributes(config, "unix:ino", LinkOption.NOFOLLOW_LINKS);
      InspectContainerResponse c = fx.inspect(result.handle()).orElseThrow();
      List<String> env = List.of(c.getConfig().getEnv());
      assertTrue(env.contains("LLEM_CONFIG_PATH=/run/llem/llem_config.json"), env.toString());
      assertTrue(env.contains("LLEM_OUTPUT_DIR=/run/llem"), env.toString());
      assertEquals(8L << 30, c.getHostConfig().getShmSize());
      List<String> args = List.of(c.getArgs());
      assertEquals("/usr/local/bin/llem-upstream-double", args.get(args.size() - 1), "" + args);

      // A launch tried again (the worker crashed after it) attaches and leaves the file alone.
      LaunchResult again = launcher.launch(request, fx.settings);
      assertEquals("attached", again.state());
      assertEquals(key, Files.readAttributes(config, "unix:ino", LinkOption.NOFOLLOW_LINKS));

      launcher.release(result.handle());
      fx.waitExited(result.handle(), Duration.ofSeconds(20));
      assertEquals(0, fx.inspect(result.handle()).orElseThrow().getState().getExitCodeLong());
      try (var files = Files.list(out)) {
        List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
        assertEquals(1, names.stream().filter(n -> n.endsWith("_result.json")).count(), "" + names);
        assertTrue(names.contains("timeseries.parquet"), names.toString());
        assertFalse(names.contains("llem_error.json"), names.toString());
      }
    }
  }

  private static void requireImage(DockerRunFixture fx) {
    try {
      fx.engine.client().inspectImageCmd(IMAGE).exec();
    } catch (com.github.dockerjava.api.exception.NotFoundException e) {
      throw new AssertionError(
          IMAGE + " is missing: build the test images with scripts/build-test-images", e);
    }
  }
}
