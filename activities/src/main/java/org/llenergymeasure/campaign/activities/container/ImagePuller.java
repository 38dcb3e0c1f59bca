package org.llenergymeasure.campaign.activities.container;

import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.WorkerShutdownException;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's image on this host: the local one, else pulled (for at most {@value #PULL_LIMIT_HOURS}
 * hours). An image that is neither here nor pullable is ImageNotFound (not retryable), with how to
 * get it; an engine that is down is the engine's own failure.
 */
final class ImagePuller {

  static final int PULL_LIMIT_HOURS = 2;

  private static final Logger log = LoggerFactory.getLogger(ImagePuller.class);
  private static final Duration PULL_LIMIT = Duration.ofHours(PULL_LIMIT_HOURS);

  private final DockerEngine engine;

  ImagePuller(DockerEngine engine) {
    this.engine = engine;
  }

  /** The image's description (its user, entrypoint and command), pulling it first if needed. */
  InspectImageResponse ensure(String image) {
    try {
      return engine.client().inspectImageCmd(image).exec();
    } catch (NotFoundException e) {
      log.info("image {} is not on this host; pulling it", image);
    }
    try {
      String[] ref = splitReference(image);
      PullImageResultCallback callback =
          engine.client().pullImageCmd(ref[0]).withTag(ref[1]).exec(new PullImageResultCallback());
      if (!callback.awaitCompletion(PULL_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
        callback.close();
        throw new IllegalStateException("the pull took longer than " + PULL_LIMIT);
      }
      return engine.client().inspectImageCmd(image).exec();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerShutdownException("interrupted while pulling " + image, e);
    } catch (RuntimeException | IOException e) {
      if (e instanceof RuntimeException re
          && engine.translate(re, "pulling " + image) instanceof RunFailureException rf) {
        throw rf;
      }
      throw new RunFailureException(
          FailureTypes.IMAGE_NOT_FOUND,
          "image "
              + image
              + " is not on this host and could not be pulled ("
              + String.valueOf(e.getMessage()).strip()
              + "). "
              + howToGet(image),
          false);
    }
  }

  static String howToGet(String image) {
    if (image.startsWith("llem-probe:") || image.startsWith("llem-test")) {
      return "It is a local test image: build it with scripts/build-test-images.";
    }
    return "Pull it on this host (docker pull "
        + image
        + "; docker login first for a private registry) or build it locally with that tag.";
  }

  /** {@code repo[:tag]} or {@code repo@digest} as (repository, tag-or-digest). */
  static String[] splitReference(String image) {
    int at = image.indexOf('@');
    if (at >= 0) {
      return new String[] {image.substring(0, at), image.substring(at + 1)};
    }
    int colon = image.lastIndexOf(':');
    if (colon > image.lastIndexOf('/')) {
      return new String[] {image.substring(0, colon), image.substring(colon + 1)};
    }
    return new String[] {image, "latest"};
  }
}
