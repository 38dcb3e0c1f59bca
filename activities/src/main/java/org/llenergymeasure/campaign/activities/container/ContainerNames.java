package org.llenergymeasure.campaign.activities.container;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.llenergymeasure.campaign.workflows.host.RunRef;

/**
 * The container name of a run attempt: {@code llem-<campaign>-<runId>-a<attempt>}, where attempt is
 * the ExperimentWorkflow's own counter. A retried activity computes the same name and finds the
 * container its earlier try made.
 *
 * <p>Docker allows {@code [a-zA-Z0-9][a-zA-Z0-9_.-]*}. Other characters become {@code -}; since two
 * different names could then collide ({@code a/b} and {@code a:b}), a name that had to change gets
 * a short hash of the original appended.
 */
public final class ContainerNames {

  private static final int MAX_LENGTH = 200;

  private ContainerNames() {}

  public static String forRun(RunRef run) {
    return sanitise("llem-" + run.campaign() + "-" + run.runId() + "-a" + run.attempt());
  }

  static String sanitise(String original) {
    StringBuilder out = new StringBuilder(original.length());
    for (int i = 0; i < original.length(); i++) {
      char c = original.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || (i > 0 && (c == '_' || c == '.' || c == '-'));
      out.append(allowed ? c : '-');
    }
    String cleaned = out.toString();
    if (cleaned.equals(original) && cleaned.length() <= MAX_LENGTH) {
      return cleaned;
    }
    String hash = shortHash(original);
    int keep = Math.min(cleaned.length(), MAX_LENGTH - hash.length() - 1);
    return cleaned.substring(0, keep) + "-" + hash;
  }

  private static String shortHash(String s) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
