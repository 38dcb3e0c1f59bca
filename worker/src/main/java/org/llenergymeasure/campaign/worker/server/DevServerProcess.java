package org.llenergymeasure.campaign.worker.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.llenergymeasure.campaign.worker.EnvironmentProblem;
import org.llenergymeasure.campaign.workflows.LlemSearchAttributes;

/**
 * A {@code temporal server start-dev} child process: durable on a SQLite file, bound to 127.0.0.1,
 * with the project's search attributes registered. Used by the embedded default, the {@code server}
 * command and the tests (which kill and restart it on the same file).
 */
public final class DevServerProcess implements AutoCloseable {

  /**
   * SQLite settings for the server's file. Without them SQLite uses a rollback journal with {@code
   * synchronous=FULL}: several fsyncs per transaction, and every task the server hands to a worker
   * takes a few transactions, so on a disk with ~3 ms fsyncs each dispatch took 20–50 ms
   * (BENCHMARKS.md). In WAL mode with {@code synchronous=NORMAL} a commit is an append to the
   * write-ahead log without fsync; the log is synced at checkpoints. A committed transaction
   * survives a crash of the server process (kill -9: the log is in the OS's page cache and is
   * replayed at the next open); what a power loss or kernel crash can lose is the last transactions
   * since the previous checkpoint, never the file's consistency.
   */
  static final List<String> SQLITE_PRAGMAS = List.of("journal_mode=wal", "synchronous=normal");

  /**
   * The history service reads each shard's transfer queue (where every activity task, workflow
   * task, child start and signal waits before it reaches matching) at most 20 times a second by
   * default: with the dev server's one shard, a task written just after a read waits up to 50 ms,
   * several times per run (BENCHMARKS.md: 30-50 ms schedule-to-start on most steps). 1,000 reads a
   * second lets a read follow each write; an idle server still reads only when notified.
   */
  static final List<String> DYNAMIC_CONFIG = List.of("history.transferProcessorMaxPollRPS=1000");

  /** Where to start it: ports, database file, Web UI or not, and where its output goes. */
  public record Options(Path dbFile, int port, Integer uiPort, Path logFile) {}

  private final Path binary;
  private final Options options;
  private Process process;
  private StateFileHolder claim;

  public DevServerProcess(Path binary, Options options) {
    this.binary = binary;
    this.options = options;
  }

  /** The {@code temporal} CLI: {@code TEMPORAL_CLI}, else the first {@code temporal} on PATH. */
  public static Optional<Path> findBinary() {
    String explicit = System.getenv("TEMPORAL_CLI");
    if (explicit != null && !explicit.isBlank()) {
      Path p = Path.of(explicit);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator, -1)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "temporal");
      if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  public String address() {
    return "127.0.0.1:" + options.port();
  }

  public Options options() {
    return options;
  }

  List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.add("server");
    cmd.add("start-dev");
    cmd.add("--db-filename");
    cmd.add(options.dbFile().toString());
    cmd.add("--ip");
    cmd.add("127.0.0.1");
    cmd.add("--port");
    cmd.add(Integer.toString(options.port()));
    if (options.uiPort() == null) {
      cmd.add("--headless");
    } else {
      cmd.add("--ui-port");
      cmd.add(Integer.toString(options.uiPort()));
    }
    for (String pragma : SQLITE_PRAGMAS) {
      cmd.add("--sqlite-pragma");
      cmd.add(pragma);
    }
    for (String value : DYNAMIC_CONFIG) {
      cmd.add("--dynamic-config-value");
      cmd.add(value);
    }
    cmd.add("--log-level");
    cmd.add("warn");
    for (Map.Entry<String, String> sa : LlemSearchAttributes.definitions().entrySet()) {
      cmd.add("--search-attribute");
      cmd.add(sa.getKey() + "=" + sa.getValue());
    }
    return cmd;
  }

  /** Starts the server and waits until its front end accepts connections. */
  public DevServerProcess start(Duration timeout) {
    // Refused, naming the holder, when another live process serves this state file.
    claim =
        StateFileHolder.claim(
            options.dbFile(),
            address(),
            options.uiPort() == null ? null : "http://127.0.0.1:" + options.uiPort());
    try {
      return startClaimed(timeout);
    } catch (RuntimeException e) {
      releaseClaim();
      throw e;
    }
  }

  private DevServerProcess startClaimed(Duration timeout) {
    if (isListening(options.port())) {
      throw new EnvironmentProblem(
          "cannot start the Temporal dev server: port "
              + options.port()
              + " on 127.0.0.1 is already in use");
    }
    try {
      Files.createDirectories(options.dbFile().toAbsolutePath().getParent());
      Files.createDirectories(options.logFile().toAbsolutePath().getParent());
      ProcessBuilder pb = new ProcessBuilder(command());
      pb.redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(options.logFile().toFile()));
      process = pb.start();
      claim.serverStarted(process.pid());
    } catch (IOException e) {
      throw new EnvironmentProblem("cannot start " + binary + ": " + e.getMessage(), e);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new EnvironmentProblem(
            "the Temporal dev server exited with code "
                + process.exitValue()
                + " while starting; its output is in "
                + options.logFile()
                + tail(options.logFile()));
      }
      if (isListening(options.port())) {
        return this;
      }
      sleep(100);
    }
    close();
    throw new EnvironmentProblem(
        "the Temporal dev server did not listen on "
            + address()
            + " within "
            + timeout.toSeconds()
            + " s; its output is in "
            + options.logFile()
            + tail(options.logFile()));
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** kill -9: what a crash or a power cut does to the server. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      waitFor(Duration.ofSeconds(10));
    }
    releaseClaim();
  }

  /** Who holds the state file while this server runs (null before start and after close). */
  public StateFileHolder.Holder holder() {
    StateFileHolder c = claim;
    return c == null ? null : c.holder();
  }

  private void releaseClaim() {
    if (claim != null && (process == null || !process.isAlive())) {
      claim.close();
      claim = null;
    }
  }

  /** SIGTERM, then SIGKILL after a grace period. */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!waitFor(Duration.ofSeconds(10))) {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(5));
      }
    }
    releaseClaim();
  }

  private boolean waitFor(Duration d) {
    try {
      return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public static boolean isListening(int port) {
    try (Socket s = new Socket()) {
      // The address the dev server is bound to (--ip 127.0.0.1), not a name to resolve.
      InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
      s.connect(new InetSocketAddress(loopback, port), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      int from = Math.max(0, lines.size() - 5);
      return lines.isEmpty()
          ? ""
          : ":\n  " + String.join("\n  ", lines.subList(from, lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentProblem("interrupted while waiting for the Temporal dev server");
    }
  }
}
