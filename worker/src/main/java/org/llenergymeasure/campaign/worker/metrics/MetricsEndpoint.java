package org.llenergymeasure.campaign.worker.metrics;

import com.sun.net.httpserver.HttpServer;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.llenergymeasure.campaign.worker.EnvironmentProblem;

/**
 * The Temporal SDK's metrics (workflow and activity task latencies, polls, failures, sticky cache,
 * ...) for Prometheus at {@code http://127.0.0.1:<port>/metrics}. Bound to the loopback address
 * only: a scraper on another machine goes through a tunnel or a local agent, never an open port.
 */
public final class MetricsEndpoint implements AutoCloseable {

  public static final String PATH = "/metrics";

  private final PrometheusMeterRegistry registry;
  private final Scope scope;
  private final HttpServer server;

  private MetricsEndpoint(PrometheusMeterRegistry registry, Scope scope, HttpServer server) {
    this.registry = registry;
    this.scope = scope;
    this.server = server;
  }

  /** Starts serving on 127.0.0.1:{@code port} (0 = any free port); a taken port is exit 3. */
  public static MetricsEndpoint start(int port) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      registry.close();
      throw new EnvironmentProblem(
          "cannot serve metrics on 127.0.0.1:"
              + port
              + " ("
              + e.getMessage()
              + "); choose a free port with"
              + " --metrics-port");
    }
    server.createContext(
        PATH,
        exchange -> {
          byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    Scope scope =
        new RootScopeBuilder()
            .reporter(new MicrometerClientStatsReporter(registry))
            .reportEvery(com.uber.m3.util.Duration.ofSeconds(1));
    return new MetricsEndpoint(registry, scope, server);
  }

  /** Where the SDK reports (WorkflowServiceStubsOptions.setMetricsScope). */
  public Scope scope() {
    return scope;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port() + PATH;
  }

  @Override
  public void close() {
    try {
      scope.close();
    } catch (com.uber.m3.tally.ScopeCloseException e) {
      // the last report is lost; the process is stopping anyway
    }
    server.stop(0);
    registry.close();
  }
}
