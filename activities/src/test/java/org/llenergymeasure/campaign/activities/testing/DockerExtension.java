package org.llenergymeasure.campaign.activities.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension for tests against the real Docker engine: injects a {@link DockerClient}
 * (constructor, test and lifecycle method parameters) and makes sure the test image {@value
 * #PROBE_IMAGE} is current before the first test.
 *
 * <p>An unreachable engine fails the tests with a message saying what to start; it never skips
 * them, because a skipped suite looks green on a machine that tested nothing. One client and one
 * image check are shared by every test class of the JVM (root store); JUnit closes the client at
 * the end.
 */
public final class DockerExtension implements BeforeAllCallback, ParameterResolver {

  /** The busybox test image with the simulated NVIDIA runtime (images/llem-probe). */
  public static final String PROBE_IMAGE = "llem-probe:dev";

  /** Label carried by every container a test creates, so leftovers can be found and removed. */
  public static final String TEST_LABEL = "llem.test";

  static final String BUILD_SCRIPT = "scripts/build-test-images";

  private static final Namespace NAMESPACE = Namespace.create(DockerExtension.class);
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(3);

  @Override
  public void beforeAll(ExtensionContext context) {
    DockerClient docker = client(context);
    context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent("probe-image", key -> ensureProbeImage(docker), String.class);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == DockerClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return client(context);
  }

  private static DockerClient client(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent("client", key -> connect(), DockerClient.class);
  }

  /** A client for the engine named by the usual DOCKER_HOST settings, checked with a ping. */
  public static DockerClient connect() {
    return connect(DefaultDockerClientConfig.createDefaultConfigBuilder().build());
  }

  /** A client for {@code config}'s engine, checked with a ping; fails loudly when it is down. */
  public static DockerClient connect(DockerClientConfig config) {
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .connectionTimeout(Duration.ofSeconds(5))
            .responseTimeout(Duration.ofMinutes(2))
            .build();
    DockerClient docker = DockerClientImpl.getInstance(config, http);
    try {
      docker.pingCmd().exec();
    } catch (RuntimeException e) {
      closeQuietly(docker);
      throw new IllegalStateException(
          "These tests need a running Docker engine, but "
              + config.getDockerHost()
              + " did not answer ("
              + e.getMessage()
              + "). Start one (e.g. `dockerd --iptables=false --ip-masq=false &`, see"
              + " .ci/run) or point DOCKER_HOST at one, then check with `docker info`.",
          e);
    }
    return docker;
  }

  /**
   * Runs {@value #BUILD_SCRIPT} when this is a checkout of the project: the script rebuilds the
   * image only when its content hash changed, so a stale image never hides an edited simulator.
   * Without the script (tests run from a packaged test-jar) an existing image is used as is.
   *
   * @return the image name, once it exists
   */
  static String ensureProbeImage(DockerClient docker) {
    Optional<Path> root = findRepoRoot(Path.of("").toAbsolutePath());
    if (root.isPresent()) {
      runBuildScript(root.get());
    } else if (!imageExists(docker, PROBE_IMAGE)) {
      throw new IllegalStateException(
          "Image "
              + PROBE_IMAGE
              + " is missing and "
              + BUILD_SCRIPT
              + " was not found above "
              + Path.of("").toAbsolutePath()
              + ". Run the tests from a checkout of the project, or build the image there with "
              + BUILD_SCRIPT
              + ".");
    }
    return PROBE_IMAGE;
  }

  private static void runBuildScript(Path root) {
    Path script = root.resolve(BUILD_SCRIPT);
    String output;
    int exit;
    try {
      Process process =
          new ProcessBuilder(script.toString())
              .directory(root.toFile())
              .redirectErrorStream(true)
              .start();
      process.getOutputStream().close();
      try (InputStream out = process.getInputStream()) {
        output = new String(out.readAllBytes(), StandardCharsets.UTF_8).strip();
      }
      if (!process.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(script + " did not finish within " + BUILD_TIMEOUT);
      }
      exit = process.exitValue();
    } catch (IOException e) {
      throw new IllegalStateException("Could not run " + script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running " + script, e);
    }
    if (exit != 0) {
      throw new IllegalStateException(
          "Building the test image "
              + PROBE_IMAGE
              + " failed ("
              + script
              + ", exit "
              + exit
              + "):\n"
              + output);
    }
  }

  private static boolean imageExists(DockerClient docker, String image) {
    try {
      docker.inspectImageCmd(image).exec();
      return true;
    } catch (com.github.dockerjava.api.exception.NotFoundException e) {
      return false;
    }
  }

  /** The nearest folder at or above {@code start} that holds {@value #BUILD_SCRIPT}. */
  public static Optional<Path> findRepoRoot(Path start) {
    for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(BUILD_SCRIPT))) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }

  /** The project checkout the tests run in; fails with a clear message outside of one. */
  public static Path repoRoot() {
    Path cwd = Path.of("").toAbsolutePath();
    return findRepoRoot(cwd)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "No project checkout (a folder with " + BUILD_SCRIPT + ") at or above " + cwd));
  }

  /**
   * A host inventory fixture (e.g. {@code h100x4}) as a folder on this machine, ready to be bind
   * mounted at /llem-sim/inventory. Resolved in the checkout so it also works from modules that
   * only see activities' test-jar.
   */
  public static Path gpuFixture(String host) {
    Path dir = repoRoot().resolve("activities/src/test/resources/fixtures/gpu").resolve(host);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("No GPU inventory fixture " + host + " at " + dir);
    }
    return dir;
  }

  /**
   * Force-removes every container, running or not, carrying {@code label} ({@code key} or {@code
   * key=value}, as in {@code docker ps --filter label=...}).
   *
   * @return how many containers were removed
   */
  public static int removeContainersLabelled(DockerClient docker, String label) {
    List<Container> found =
        docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(label)).exec();
    for (Container container : found) {
      try {
        docker.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
      } catch (com.github.dockerjava.api.exception.NotFoundException alreadyGone) {
        // Removed concurrently (e.g. AutoRemove): nothing left to do.
      }
    }
    return found.size();
  }

  private static void closeQuietly(DockerClient docker) {
    try {
      docker.close();
    } catch (IOException ignored) {
      // Only called on a client that never worked.
    }
  }
}
