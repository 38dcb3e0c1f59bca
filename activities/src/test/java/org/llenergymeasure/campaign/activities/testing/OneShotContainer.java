package org.llenergymeasure.campaign.activities.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Runs a container to completion for a test: create, start, wait, collect stdout and stderr, remove
 * (always, also on failure). Every container carries {@link DockerExtension#TEST_LABEL}.
 */
public final class OneShotContainer {

  /** Exit code and the raw bytes the container wrote to each stream. */
  public record Result(int exitCode, byte[] stdout, byte[] stderr) {
    public String stdoutText() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
      return new String(stderr, StandardCharsets.UTF_8);
    }
  }

  private OneShotContainer() {}

  /**
   * @param setup adds command, env, binds... to the create command (its labels are kept)
   */
  public static Result run(
      DockerClient docker,
      String image,
      Duration timeout,
      UnaryOperator<CreateContainerCmd> setup) {
    CreateContainerCmd create = setup.apply(docker.createContainerCmd(image));
    Map<String, String> labels = new HashMap<>();
    if (create.getLabels() != null) {
      labels.putAll(create.getLabels());
    }
    labels.putIfAbsent(DockerExtension.TEST_LABEL, "one-shot");
    String id = create.withLabels(labels).exec().getId();
    try {
      docker.startContainerCmd(id).exec();
      Integer exit =
          docker
              .waitContainerCmd(id)
              .exec(new WaitContainerResultCallback())
              .awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      try {
        boolean complete =
            docker
                .logContainerCmd(id)
                .withStdOut(true)
                .withStdErr(true)
                .exec(
                    new ResultCallback.Adapter<Frame>() {
                      @Override
                      public void onNext(Frame frame) {
                        (frame.getStreamType() == StreamType.STDERR ? err : out)
                            .writeBytes(frame.getPayload());
                      }
                    })
                .awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!complete) {
          throw new IllegalStateException(
              "Logs of container " + id + " not read within " + timeout);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while reading the logs of " + id, e);
      }
      return new Result(exit, out.toByteArray(), err.toByteArray());
    } finally {
      docker.removeContainerCmd(id).withForce(true).exec();
    }
  }
}
