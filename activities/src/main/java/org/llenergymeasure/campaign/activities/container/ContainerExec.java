package org.llenergymeasure.campaign.activities.container;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmd;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.llenergymeasure.campaign.activities.WorkerShutdownException;

/**
 * Runs a command inside a running container and returns its exit code and output. Never attaches
 * stdin: over the httpclient5 transport the engine never sees the end of the input and the command
 * would hang, so input goes in arguments, environment or copied files.
 */
final class ContainerExec {

  /** Output kept per stream; a probe that prints more than this is cut, not a memory problem. */
  private static final int MAX_OUTPUT = 1 << 20;

  private final DockerEngine engine;

  ContainerExec(DockerEngine engine) {
    this.engine = engine;
  }

  /**
   * @param user null for the image's user
   * @throws com.github.dockerjava.api.exception.DockerException when the engine refuses the exec
   *     (e.g. 409: the container is not running)
   */
  ExecResult run(String container, List<String> command, String user, Duration timeout) {
    ExecCreateCmd create =
        engine
            .client()
            .execCreateCmd(container)
            .withCmd(command.toArray(String[]::new))
            .withAttachStdout(true)
            .withAttachStderr(true)
            .withAttachStdin(false)
            .withTty(false);
    if (user != null) {
      create.withUser(user);
    }
    String execId = create.exec().getId();
    Collector collector = new Collector();
    try {
      engine.client().execStartCmd(execId).withDetach(false).withTty(false).exec(collector);
      if (!collector.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        collector.close();
        return new ExecResult(
            124, collector.stdout(), collector.stderr() + "\n(timed out after " + timeout + ")");
      }
      // The stream can end a moment before the engine records the exit code.
      for (int i = 0; i < 100; i++) {
        InspectExecResponse inspect = engine.client().inspectExecCmd(execId).exec();
        if (!Boolean.TRUE.equals(inspect.isRunning()) && inspect.getExitCodeLong() != null) {
          return new ExecResult(
              inspect.getExitCodeLong().intValue(), collector.stdout(), collector.stderr());
        }
        Thread.sleep(20);
      }
      return new ExecResult(-1, collector.stdout(), collector.stderr());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerShutdownException("interrupted while running " + command.get(0), e);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static final class Collector extends ResultCallback.Adapter<Frame> {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Override
    public void onNext(Frame frame) {
      ByteArrayOutputStream target = frame.getStreamType() == StreamType.STDERR ? err : out;
      synchronized (this) {
        int room = MAX_OUTPUT - target.size();
        if (room > 0) {
          byte[] payload = frame.getPayload();
          target.write(payload, 0, Math.min(room, payload.length));
        }
      }
    }

    synchronized String stdout() {
      return out.toString(StandardCharsets.UTF_8);
    }

    synchronized String stderr() {
      return err.toString(StandardCharsets.UTF_8);
    }
  }
}
