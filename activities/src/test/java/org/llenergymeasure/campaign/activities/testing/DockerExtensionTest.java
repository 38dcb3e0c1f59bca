package org.llenergymeasure.campaign.activities.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@Tag("docker")
@ExtendWith(DockerExtension.class)
class DockerExtensionTest {

  @Test
  void theInjectedClientTalksToTheEngineAndTheProbeImageExists(DockerClient docker) {
    String apiVersion = docker.versionCmd().exec().getApiVersion();
    assertTrue(apiVersion != null && apiVersion.matches("\\d+\\.\\d+"), apiVersion);
    String hash =
        docker
            .inspectImageCmd(DockerExtension.PROBE_IMAGE)
            .exec()
            .getConfig()
            .getLabels()
            .get("llem.probe.hash");
    assertTrue(hash != null && hash.matches("[0-9a-f]{32}"), "content hash label: " + hash);
  }

  @Test
  void removesExactlyTheContainersCarryingTheLabel(DockerClient docker) {
    String mine = "llem.test.cleanup=" + UUID.randomUUID();
    String[] kv = mine.split("=", 2);
    String other =
        docker
            .createContainerCmd(DockerExtension.PROBE_IMAGE)
            .withLabels(Map.of(kv[0], "someone-else"))
            .exec()
            .getId();
    try {
      for (int i = 0; i < 2; i++) {
        docker
            .createContainerCmd(DockerExtension.PROBE_IMAGE)
            .withLabels(Map.of(kv[0], kv[1]))
            .exec();
      }
      assertEquals(2, DockerExtension.removeContainersLabelled(docker, mine));
      assertEquals(
          List.of(),
          docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(mine)).exec());
      assertEquals(0, DockerExtension.removeContainersLabelled(docker, mine));
      // The container with another value of the same key is untouched.
      assertEquals(other, docker.inspectContainerCmd(other).exec().getId());
    } finally {
      docker.removeContainerCmd(other).withForce(true).exec();
    }
  }

  @Test
  void anUnreachableEngineFailsWithWhatToDo(@TempDir Path tmp) {
    String host = "unix://" + tmp.resolve("no-docker.sock");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                DockerExtension.connect(
                    DefaultDockerClientConfig.createDefaultConfigBuilder()
                        .withDockerHost(host)
                        .build()));
    assertTrue(e.getMessage().contains(host), e.getMessage());
    assertTrue(e.getMessage().contains("docker info"), e.getMessage());
  }

  @Test
  void repoRootIsTheNearestFolderWithTheBuildScript(@TempDir Path tmp) throws IOException {
    Path script = tmp.resolve(DockerExtension.BUILD_SCRIPT);
    Files.createDirectories(script.getParent());
    Files.writeString(script, "#!/bin/sh\n");
    Path deep = Files.createDirectories(tmp.resolve("worker/src/test"));
    assertEquals(Optional.of(tmp.toAbsolutePath()), DockerExtension.findRepoRoot(deep));
    assertEquals(Optional.empty(), DockerExtension.findRepoRoot(tmp.getParent()));
  }
}
