package org.llenergymeasure.campaign.activities.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.config.Experiment;
import org.llenergymeasure.campaign.config.RunUser;
import org.llenergymeasure.campaign.workflows.FailureTypes;

/**
 * The user a process-mode run executes as when its experiment sets {@code user:}, resolved on the
 * worker's host at launch (its passwd and group databases, through {@code getent}).
 *
 * <p>Only the experiment's command switches: the wrapper stays the worker's (root), and runs it as
 * {@code setpriv --reuid=UID --regid=GID (--init-groups | --clear-groups) --no-new-privs -- cmd}
 * (util-linux). A user given by name gets its supplementary groups ({@code --init-groups}); a bare
 * number gets none. A bare {@code UID} takes the primary group of its passwd entry when it has one,
 * else the group of the same number.
 *
 * <p>The folders: the run folder {@code a<n>/out/} (just made by the worker) is given to the user;
 * the attempt folder {@code a<n>/} stays the worker's, mode 0710 with the user's group, so the run
 * can pass through it to its folder by its absolute path ({@code LLEM_RESULTS_DIR}) but can list,
 * create or delete nothing in it. Its parents must let the user pass too: checked here.
 *
 * @param uid the numeric user id
 * @param gid the numeric group id
 * @param name the user's name when the host knows one, else null
 * @param initGroups whether to give the run the user's supplementary groups
 */
record ProcessUser(long uid, long gid, String name, boolean initGroups) {

  private static final long GETENT_SECONDS = 10;

  /**
   * Resolves {@code experiment.user()}; a {@code LaunchFailed} when this worker cannot switch users
   * (it is not root) or the host does not know the user or group.
   */
  static ProcessUser resolve(Experiment experiment, String hostId) {
    RunUser spec = RunUser.parse(experiment.user());
    String where =
        " (experiment " + experiment.name() + ", user: " + experiment.user() + ", host " + hostId;
    long self = workerUid();
    if (self != 0) {
      throw failed(
          "this worker runs as uid "
              + self
              + ", not root, so it cannot start a run as another user"
              + where
              + "); run the worker as root or remove `user:`");
    }
    String[] pw = getent("passwd", spec.user());
    boolean named = !RunUser.isNumber(spec.user());
    if (pw == null && named) {
      throw failed("no user named `" + spec.user() + "` on this host" + where + ")");
    }
    long uid = pw != null ? Long.parseLong(pw[2]) : RunUser.number(spec.user());
    long gid;
    if (spec.group() == null) {
      gid = pw != null ? Long.parseLong(pw[3]) : uid;
    } else if (RunUser.isNumber(spec.group())) {
      gid = RunUser.number(spec.group());
    } else {
      String[] gr = getent("group", spec.group());
      if (gr == null) {
        throw failed("no group named `" + spec.group() + "` on this host" + where + ")");
      }
      gid = Long.parseLong(gr[2]);
    }
    if (uid == 0) {
      throw failed("`" + spec.user() + "` is root on this host" + where + "); remove `user:`");
    }
    return new ProcessUser(uid, gid, pw != null ? pw[0] : null, named);
  }

  /** What runs before the command: {@code setpriv} with this user's ids. */
  List<String> prefix() {
    List<String> argv = new ArrayList<>();
    argv.add(ProcessLauncher.utilLinux("setpriv"));
    argv.add("--reuid=" + uid);
    argv.add("--regid=" + gid);
    argv.add(initGroups ? "--init-groups" : "--clear-groups");
    // A setuid program (sudo, su) cannot hand the run root back.
    argv.add("--no-new-privs");
    argv.add("--");
    return argv;
  }

  /**
   * Gives the run folder to the user (not following links: the worker just made it) and lets the
   * user's group pass through the attempt folder; checks that the user can reach the run folder
   * through the attempt folder's parents.
   */
  void prepare(Path attemptDir, Path runDir, String hostId) {
    try {
      Files.setAttribute(runDir, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(runDir, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
      Files.setPosixFilePermissions(runDir, PosixFilePermissions.fromString("rwx------"));
      Files.setAttribute(attemptDir, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
      Files.setPosixFilePermissions(attemptDir, PosixFilePermissions.fromString("rwx--x---"));
    } catch (IOException | UnsupportedOperationException e) {
      throw failed(
          "cannot give the run folder "
              + runDir
              + " to uid "
              + uid
              + " on host "
              + hostId
              + " ("
              + e
              + ")");
    }
    for (Path p = attemptDir.getParent(); p != null; p = p.getParent()) {
      if (!canPass(p)) {
        throw failed(
            "user "
                + describe()
                + " cannot pass through "
                + p
                + " on host "
                + hostId
                + " to reach its run folder "
                + runDir
                + "; let it (e.g. chmod o+x "
                + p
                + ") or use a results folder (--results) it can reach");
      }
    }
  }

  /** {@code nobody (uid 65534, gid 65534)}. */
  String describe() {
    return (name != null ? name + " " : "") + "(uid " + uid + ", gid " + gid + ")";
  }

  private boolean canPass(Path dir) {
    try {
      PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class);
      Set<PosixFilePermission> p = a.permissions();
      int owner = (Integer) Files.getAttribute(dir, "unix:uid");
      int group = (Integer) Files.getAttribute(dir, "unix:gid");
      if (owner == uid) {
        return p.contains(PosixFilePermission.OWNER_EXECUTE);
      }
      if (group == gid) {
        return p.contains(PosixFilePermission.GROUP_EXECUTE);
      }
      // Supplementary groups are not looked at: a conservative answer.
      return p.contains(PosixFilePermission.OTHERS_EXECUTE);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** The worker's own uid: the owner of {@code /proc/self}. */
  static long workerUid() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    } catch (IOException | UnsupportedOperationException e) {
      return -1;
    }
  }

  /** The fields of {@code getent <db> <key>}, or null when the host has no such entry. */
  private static String[] getent(String db, String key) {
    try {
      Process p =
          new ProcessBuilder("getent", db, key)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      byte[] out = p.getInputStream().readNBytes(64 * 1024);
      if (!p.waitFor(GETENT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw failed("`getent " + db + " " + key + "` did not answer within 10 s");
      }
      String line = new String(out, StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0 || line.isEmpty()) {
        return null;
      }
      String[] fields = line.split("\n", 2)[0].split(":", -1);
      return fields.length >= (db.equals("passwd") ? 4 : 3) ? fields : null;
    } catch (IOException e) {
      throw failed("cannot run getent to look up `" + key + "` (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new org.llenergymeasure.campaign.activities.WorkerShutdownException(
          "interrupted while looking up " + key, e);
    }
  }

  private static RunFailureException failed(String message) {
    return new RunFailureException(FailureTypes.LAUNCH_FAILED, message, false);
  }
}
