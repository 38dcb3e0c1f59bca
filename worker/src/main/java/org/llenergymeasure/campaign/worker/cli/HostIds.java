package org.llenergymeasure.campaign.worker.cli;

import java.net.InetAddress;
import java.util.Locale;
import org.llenergymeasure.campaign.worker.BadInput;

/** The id of this GPU host: the flag, else the short host name, in task-queue-safe form. */
final class HostIds {

  private HostIds() {}

  static String resolve(String flag) {
    if (flag != null) {
      if (!flag.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
        throw new BadInput(
            "--host-id '"
                + flag
                + "' is not a valid host id: use lower-case letters, digits, '.', '_' and '-'"
                + " (at most 63, starting with a letter or digit)");
      }
      return flag;
    }
    String name;
    try {
      name = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      name = System.getenv().getOrDefault("HOSTNAME", "localhost");
    }
    String shortName =
        name.split("\\.", -1)[0].toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
    if (shortName.isEmpty() || !Character.isLetterOrDigit(shortName.charAt(0))) {
      shortName = "host" + shortName;
    }
    return shortName.length() > 63 ? shortName.substring(0, 63) : shortName;
  }
}
