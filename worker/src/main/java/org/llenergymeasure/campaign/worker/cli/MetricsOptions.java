package org.llenergymeasure.campaign.worker.cli;

import org.llenergymeasure.campaign.worker.metrics.MetricsEndpoint;
import org.llenergymeasure.campaign.worker.temporal.TemporalConnection;
import picocli.CommandLine.Option;

/**
 * {@code --metrics-port}: the commands that run a worker serve the SDK's metrics for Prometheus.
 */
final class MetricsOptions {

  @Option(
      names = "--metrics-port",
      paramLabel = "P",
      description =
          "Serve the Temporal SDK's worker metrics for Prometheus at http://127.0.0.1:P/metrics"
              + " (loopback only).")
  Integer metricsPort;

  /** The endpoint when asked for, else null. */
  MetricsEndpoint start(Console console) {
    if (metricsPort == null) {
      return null;
    }
    MetricsEndpoint endpoint = MetricsEndpoint.start(metricsPort);
    console.note("Metrics for Prometheus: " + endpoint.url());
    return endpoint;
  }

  static TemporalConnection.Tuning tuning(MetricsEndpoint endpoint) {
    return endpoint == null
        ? TemporalConnection.Tuning.DEFAULT
        : new TemporalConnection.Tuning(null, endpoint.scope());
  }
}
