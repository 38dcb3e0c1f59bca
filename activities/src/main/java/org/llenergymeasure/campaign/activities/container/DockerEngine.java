package org.llenergymeasure.campaign.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.IOException;
import java.time.Duration;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.WorkerShutdownException;
import org.llenergymeasure.campaign.workflows.FailureTypes;

/**
 * The Docker engine of this host: a docker-java client plus the address it talks to, so that
 * "engine unreachable" errors can say which {@code DOCKER_HOST} was tried.
 */
public final class DockerEngine implements AutoCloseable {

  private final DockerClient client;
  private final String dockerHost;

  private DockerEngine(DockerClient client, String dockerHost) {
    this.client = client;
    this.dockerHost = dockerHost;
  }

  /**
   * The engine named by {@code DOCKER_HOST} (and docker-java's other settings), else the socket.
   */
  public static DockerEngine fromEnvironment() {
    return connect(DefaultDockerClientConfig.createDefaultConfigBuilder().build());
  }

  /** The engine at an explicit address, e.g. {@code unix:///var/run/docker.sock}. */
  public static DockerEngine connect(String dockerHost) {
    return connect(
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(dockerHost).build());
  }

  private static DockerEngine connect(DefaultDockerClientConfig config) {
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .connectionTimeout(Duration.ofSeconds(10))
            // A socket read timeout, not a whole-request one: pulls and log reads stream data.
            .responseTimeout(Duration.ofMinutes(5))
            .build();
    return new DockerEngine(
        DockerClientImpl.getInstance(config, http), config.getDockerHost().toString());
  }

  public DockerClient client() {
    return client;
  }

  public String dockerHost() {
    return dockerHost;
  }

  /** Checks that the engine answers; an unreachable one is a retryable EngineUnavailable. */
  public void ping() {
    try {
      client().pingCmd().exec();
    } catch (RuntimeException e) {
      throw translate(e, "checking the engine");
    }
  }

  /**
   * What to throw for an exception from docker-java: engine unreachable becomes a retryable {@code
   * EngineUnavailable}; an interrupt becomes {@link WorkerShutdownException}; anything else is
   * returned unchanged for the caller to classify.
   */
  public RuntimeException translate(RuntimeException e, String doing) {
    if (e instanceof RunFailureException) {
      return e;
    }
    if (Thread.currentThread().isInterrupted() || isInterrupt(e)) {
      Thread.currentThread().interrupt();
      return new WorkerShutdownException("interrupted while " + doing, e);
    }
    if (!(e instanceof DockerException) && hasIoCause(e)) {
      return new RunFailureException(
          FailureTypes.ENGINE_UNAVAILABLE,
          "the Docker engine is unreachable at DOCKER_HOST="
              + dockerHost
              + " while "
              + doing
              + " ("
              + rootMessage(e)
              + "). Start Docker (or fix DOCKER_HOST) on this host; the step will be retried.",
          true,
          e);
    }
    return e;
  }

  private static boolean isInterrupt(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      // The httpclient5 transport reports an interrupted call as a CancellationException.
      if (t instanceof InterruptedException
          || t instanceof java.util.concurrent.CancellationException
          || (t instanceof java.io.InterruptedIOException
              && !(t instanceof java.net.SocketTimeoutException))) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasIoCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
