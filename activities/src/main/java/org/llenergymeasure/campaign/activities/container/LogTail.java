package org.llenergymeasure.campaign.activities.container;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Collects a (short) log read, stdout and stderr interleaved as the engine returns them. */
final class LogTail extends ResultCallback.Adapter<Frame> {

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
