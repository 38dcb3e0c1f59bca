package org.llenergymeasure.campaign.worker.server;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.llenergymeasure.campaign.worker.EnvironmentProblem;

/**
 * Who serves a dev server's SQLite state file: a lock ({@code <db>.lock}, held while the server
 * runs) and a holder file next to it ({@code <db>.holder.json}: the process that started the
 * server, its command, the server's own pid and its addresses). Two servers on one SQLite file
 * corrupt each other's view of it, so a second start is refused naming the holder. A holder file
 * whose processes are gone (a killed command) is stale and taken over.
 */
public final class StateFileHolder implements AutoCloseable {

  /**
   * What the holder file says.
   *
   * @param pid the process that started the server (an {@code llem-campaign} command)
   * @param command that process's command line, shortened to {@code llem-campaign ARGS} when it is
   *     this tool
   * @param serverPid the {@code temporal} server process; null while it starts
   * @param webUi the server's Web UI base URL; null when headless
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Holder(
      long pid, String command, Long serverPid, String address, String webUi, String startedAt) {

    /** {@code process 123 (llem-campaign run x.yaml), server 456 on 127.0.0.1:7233, Web UI ...}. */
    public String describe() {
      return "process "
          + pid
          + " ("
          + command
          + ")"
          + (serverPid == null ? "" : ", its Temporal server pid " + serverPid)
          + " on "
          + address
          + (webUi == null ? ", no Web UI" : ", Web UI " + webUi);
    }

    boolean alive() {
      return isAlive(pid) || (serverPid != null && isAlive(serverPid));
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The claims of this process, by state file: a second one in the same JVM is refused too. */
  private static final Map<Path, StateFileHolder> HELD_HERE = new ConcurrentHashMap<>();

  private final Path db;
  private final FileChannel channel;
  private final FileLock lock;
  private volatile Holder holder;

  private StateFileHolder(Path db, FileChannel channel, FileLock lock, Holder holder) {
    this.db = db;
    this.channel = channel;
    this.lock = lock;
    this.holder = holder;
  }

  public static Path holderFile(Path db) {
    return db.resolveSibling(db.getFileName() + ".holder.json");
  }

  static Path lockFile(Path db) {
    return db.resolveSibling(db.getFileName() + ".lock");
  }

  /**
   * Claims {@code db} for a server about to start at {@code address} (Web UI {@code webUi}, or
   * null); {@link StateFileHeld} when a live process holds it.
   */
  public static synchronized StateFileHolder claim(Path db, String address, String webUi) {
    Path file = db.toAbsolutePath().normalize();
    StateFileHolder here = HELD_HERE.get(file);
    if (here != null) {
      if (here.holder.serverPid() == null || isAlive(here.holder.serverPid())) {
        throw new StateFileHeld(file, here.holder);
      }
      here.close(); // this process's earlier server is gone (killed): its claim goes with it
    }
    Optional<Holder> recorded = read(file);
    // A server whose starting command was killed -9 keeps running on the file without the lock.
    if (recorded.isPresent()
        && recorded.get().serverPid() != null
        && isAlive(recorded.get().serverPid())) {
      throw new StateFileHeld(file, recorded.get());
    }
    try {
      Files.createDirectories(file.getParent());
      FileChannel channel =
          FileChannel.open(lockFile(file), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new StateFileHeld(
            file,
            recorded.orElse(
                new Holder(0, "another process (no holder file)", null, "?", null, null)));
      }
      Holder me =
          new Holder(
              ProcessHandle.current().pid(),
              commandOf(ProcessHandle.current()),
              null,
              address,
              webUi,
              Instant.now().toString());
      StateFileHolder claim = new StateFileHolder(file, channel, lock, me);
      claim.write();
      HELD_HERE.put(file, claim);
      return claim;
    } catch (IOException e) {
      throw new EnvironmentProblem("cannot lock " + lockFile(file) + ": " + e.getMessage(), e);
    }
  }

  /** The live holder of {@code db}, when one is recorded. */
  public static Optional<Holder> liveHolder(Path db) {
    return read(db.toAbsolutePath().normalize()).filter(Holder::alive);
  }

  /** Records the started server's own pid. */
  public void serverStarted(long serverPid) {
    Holder h = holder;
    holder = new Holder(h.pid(), h.command(), serverPid, h.address(), h.webUi(), h.startedAt());
    write();
  }

  public Holder holder() {
    return holder;
  }

  /** Removes the holder file and releases the lock. */
  @Override
  public synchronized void close() {
    HELD_HERE.remove(db, this);
    try {
      Files.deleteIfExists(holderFile(db));
    } catch (IOException e) {
      // A stale holder file names dead processes: the next claim takes it over.
    }
    try {
      if (lock.isValid()) {
        lock.release();
      }
      channel.close();
    } catch (IOException e) {
      // The lock goes with the channel, and with this process at the latest.
    }
  }

  private void write() {
    Path file = holderFile(db);
    try {
      Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
      JSON.writeValue(tmp.toFile(), holder);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new EnvironmentProblem("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static Optional<Holder> read(Path db) {
    Path file = holderFile(db);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), Holder.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static boolean isAlive(long pid) {
    return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** {@code llem-campaign ARGS} for this tool (run from its jar or its main class), else as is. */
  static String commandOf(ProcessHandle p) {
    ProcessHandle.Info info = p.info();
    List<String> args = info.arguments().map(List::of).orElse(List.of());
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if ((a.endsWith(".jar")
              && a.contains("llem-campaign")
              && i > 0
              && args.get(i - 1).equals("-jar"))
          || a.endsWith(".cli.Main")) {
        return "llem-campaign " + String.join(" ", args.subList(i + 1, args.size()));
      }
    }
    String line = info.commandLine().orElse(info.command().orElse("pid " + p.pid()));
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  /** The state file is served by another live process (exit 3, naming it). */
  public static final class StateFileHeld extends EnvironmentProblem {

    private final transient Holder holder;

    StateFileHeld(Path db, Holder holder) {
      super(
          "the Temporal state file "
              + db
              + " is already served by "
              + holder.describe()
              + "; a second server on it is refused (stop that one first, or use it)");
      this.holder = holder;
    }

    public Holder holder() {
      return holder;
    }
  }
}
