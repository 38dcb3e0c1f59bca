package org.llenergymeasure.campaign.worker.campaign;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Locale;

/**
 * Recognises the Temporal server's (or gRPC's) refusal of a request for its size: {@code
 * RESOURCE_EXHAUSTED} (a message over the gRPC limit, 4 MiB by default) or {@code INVALID_ARGUMENT}
 * saying a blob, memo or payload exceeds its limit (the server's {@code limit.blobSize.error}, 2
 * MiB by default).
 */
final class TooLarge {

  private TooLarge() {}

  /** The server's words when {@code e} (or a cause) is a refusal for size, else null. */
  static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException s) {
        Status.Code code = s.getStatus().getCode();
        String text = String.valueOf(s.getStatus().getDescription());
        String lower = text.toLowerCase(Locale.ROOT);
        boolean sizeWords =
            lower.contains("size")
                || lower.contains("larger than")
                || lower.contains("too large")
                || lower.contains("exceeds");
        // RESOURCE_EXHAUSTED without such words is a rate limit, not a size.
        if ((code == Status.Code.RESOURCE_EXHAUSTED || code == Status.Code.INVALID_ARGUMENT)
            && sizeWords) {
          return code + ": " + text;
        }
      }
    }
    return null;
  }
}
