package org.llenergymeasure.campaign.activities.container;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.llenergymeasure.campaign.activities.WorkerShutdownException;

/** Collects a (short) log read, stdout and stderr interleaved as the engine returns them. */
final class LogTail extends ResultCallback.Adapter<Frame> {

  /**
   * The non-empty lines among the last {@code n} log entries of a container, secrets masked (also a
   * piece of one left at the start, where the engine's entry began inside it), each stripped.
   */
  static List<String> lines(DockerEngine engine, String container, int n, Secrets secrets) {
    LogTail collector = new LogTail();
    engine
        .client()
        .logContainerCmd(container)
        .withStdOut(true)
        .withStdErr(true)
        .withTail(n)
        .exec(collector);
    try {
      collector.awaitCompletion(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerShutdownException("interrupted while reading the log of " + container, e);
    }
    List<String> out = new ArrayList<>();
    for (String line : secrets.redactWindow(collector.text(), true, false).split("\n", -1)) {
      if (!line.isBlank()) {
        out.add(line.strip());
      }
    }
    return out;
  }

  private static final int MAX = 256 * 1024;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @Override
  public synchronized void onNext(Frame frame) {
    byte[] payload = frame.getPayload();
    int room = MAX - out.size();
    if (room > 0) {
      out.write(payload, 0, Math.min(room, payload.length));
    }
  }

  synchronized String text() {
    return out.toString(StandardCharsets.UTF_8);
  }
}
