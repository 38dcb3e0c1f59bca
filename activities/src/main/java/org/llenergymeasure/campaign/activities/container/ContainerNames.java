package org.llenergymeasure.campaign.activities.container;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.llenergymeasure.campaign.workflows.host.RunRef;

/**
 * The container name of a run attempt: {@code llem-<campaign>-R-<runId>-A<attempt>}, where attempt
 * is the ExperimentWorkflow's own counter. A retried activity computes the same name.
 *
 * <p><b>No two runs share a name.</b> Campaign names and run ids hold only {@code a-z}, {@code
 * 0-9}, {@code .}, {@code _} and {@code -} (the campaign format's name rule; a run id is {@code
 * <experiment>.c<cycle>}), never an upper-case letter. So the first {@code R} of the name ends the
 * campaign and the last {@code A} begins the attempt: campaign {@code adv-p-q} with run {@code r}
 * ({@code llem-adv-p-q-R-r-A1}) and campaign {@code adv-p} with run {@code q-r} ({@code
 * llem-adv-p-R-q-r-A1}) differ. Both parts stay readable in {@code docker ps}.
 *
 * <p>Parts outside that rule (only tests make them) have their other characters replaced by {@code
 * -} and the name gets {@code -H} and a hash of the exact parts, so they cannot collide with each
 * other or with a name of the plain form (which never contains {@code H}). Docker allows {@code
 * [a-zA-Z0-9][a-zA-Z0-9_.-]*}.
 *
 * <p>Containers made before this rule are named {@code llem-<campaign>-<runId>-a<attempt>}; the
 * launcher finds a run's container by its {@code llem.*} labels, so those are still adopted.
 */
public final class ContainerNames {

  private static final Pattern PART = Pattern.compile("[a-z0-9][a-z0-9._-]{0,79}");
  private static final int MAX_PART = 80;

  private ContainerNames() {}

  public static String forRun(RunRef run) {
    String campaign = run.campaign();
    String runId = run.runId();
    String plain = "llem-" + clean(campaign) + "-R-" + clean(runId) + "-A" + run.attempt();
    if (PART.matcher(campaign).matches() && PART.matcher(runId).matches()) {
      return plain;
    }
    return plain
        + "-H"
        + shortHash(campaign.length() + ":" + campaign + runId + "/" + run.attempt());
  }

  /** The name the worker gave a run's container before {@link #forRun}'s rule (still adopted). */
  public static String legacy(RunRef run) {
    return "llem-" + run.campaign() + "-" + run.runId() + "-a" + run.attempt();
  }

  /** Lower-case letters, digits, '.', '_' and '-' kept (at most {@value #MAX_PART}), others '-'. */
  private static String clean(String part) {
    StringBuilder out = new StringBuilder(Math.min(part.length(), MAX_PART));
    for (int i = 0; i < part.length() && i < MAX_PART; i++) {
      char c = part.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
      out.append(allowed ? c : '-');
    }
    return out.toString();
  }

  private static String shortHash(String s) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
