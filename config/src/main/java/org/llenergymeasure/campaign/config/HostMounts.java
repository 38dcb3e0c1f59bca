package org.llenergymeasure.campaign.config;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Host folders that a run must not mount (campaign-format.md, "Mounts of the host"). Paths are
 * compared after lexical normalisation ({@code //etc}, {@code /etc/}, {@code /./etc} are {@code
 * /etc}); symbolic links are not followed, since the file is checked where it is validated, not on
 * the GPU host.
 *
 * <ul>
 *   <li>The Docker socket: {@code /var/run/docker.sock}, {@code /run/docker.sock}, any file named
 *       {@code docker.sock} (rootless and desktop engines), and every folder that contains one of
 *       the first two ({@code /}, {@code /var}, {@code /var/run}, {@code /run}). A run that reaches
 *       the engine controls the host (it can start a privileged container, or write the results
 *       ledger). Never allowed.
 *   <li>The host's system folders {@code /etc}, {@code /proc}, {@code /sys}, {@code /dev} and
 *       anything below them. Allowed only with {@code allowDangerousMounts: true}, with a warning.
 * </ul>
 */
final class HostMounts {

  static final List<String> SOCKETS = List.of("/var/run/docker.sock", "/run/docker.sock");

  private HostMounts() {}

  /** {@code path} (absolute) without empty and {@code .} segments, {@code ..} resolved. */
  static String normalise(String path) {
    Deque<String> parts = new ArrayDeque<>();
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(segment);
      }
    }
    return parts.isEmpty() ? "/" : "/" + String.join("/", parts);
  }

  /** Why mounting host folder {@code source} would give the run the Docker socket, or null. */
  static String socketProblem(String source) {
    String p = normalise(source);
    String why = null;
    if (p.equals("/")) {
      why = "is the host's whole file system, Docker socket included";
    } else if (SOCKETS.contains(p) || p.endsWith("/docker.sock")) {
      why = "is the Docker socket";
    } else {
      for (String socket : SOCKETS) {
        if (socket.startsWith(p + "/")) {
          why = "holds the Docker socket (" + socket + ")";
          break;
        }
      }
    }
    if (why == null) {
      return null;
    }
    return "`"
        + source
        + "` "
        + why
        + ": a run that reaches the Docker engine controls the host (it could start a privileged"
        + " container or write the results ledger), so it is never mounted, not even with"
        + " allowDangerousMounts; mount a folder of your own";
  }

  /**
   * What a run could do to the host through host folder {@code source} when it is one of the host's
   * system folders, or null when it is not.
   */
  static String systemFolder(String source) {
    String p = normalise(source);
    if (within(p, "/etc")) {
      return "the host's configuration (users, passwords, services)";
    }
    if (within(p, "/proc")) {
      return "the host's processes and kernel settings";
    }
    if (within(p, "/sys")) {
      return "the host's kernel and device settings";
    }
    if (within(p, "/dev")) {
      return "the host's devices (disks, every GPU), bypassing the GPU routing";
    }
    return null;
  }

  /** The error for a system folder mounted without {@code allowDangerousMounts}. */
  static String systemProblem(String source, String what) {
    return "`"
        + source
        + "` is a system folder of the host: a run could read or change "
        + what
        + "; mount a folder of your own, or set `allowDangerousMounts: true` (in the"
        + " experiment or in defaults) if the run really needs it";
  }

  /** The warning for a system folder mounted with {@code allowDangerousMounts: true}. */
  static String systemWarning(String source, String what, boolean readOnly) {
    return "`"
        + source
        + "` is a system folder of the host, mounted because allowDangerousMounts is true: the run"
        + (readOnly ? " can read " : " can read and change ")
        + what;
  }

  private static boolean within(String p, String folder) {
    return p.equals(folder) || p.startsWith(folder + "/");
  }
}
