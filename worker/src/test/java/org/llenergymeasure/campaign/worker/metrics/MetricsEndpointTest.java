package org.llenergymeasure.campaign.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.worker.WorkerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.llenergymeasure.campaign.worker.temporal.TemporalConnection;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;
import org.llenergymeasure.campaign.workflows.TaskQueues;

/** The SDK's metrics of a polling worker show up in the Prometheus text format on loopback. */
@Tag("temporal")
class MetricsEndpointTest {

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  @Test
  void aWorkersPollsAreServedForPrometheusOnLoopback() throws Exception {
    try (MetricsEndpoint endpoint = MetricsEndpoint.start(0);
        TemporalConnection connection =
            TemporalConnection.connect(
                temporal.settings(), new TemporalConnection.Tuning(null, endpoint.scope()))) {
      assertTrue(endpoint.url().startsWith("http://127.0.0.1:"), endpoint.url());
      WorkerFactory factory = WorkerFactory.newInstance(connection.client());
      factory.newWorker(TaskQueues.CAMPAIGNS + "-metrics-test");
      factory.start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        String body = "";
        for (int i = 0; i < 40 && !body.contains("temporal_"); i++) {
          Thread.sleep(250);
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(URI.create(endpoint.url())).build(),
                  HttpResponse.BodyHandlers.ofString());
          assertEquals(200, r.statusCode());
          body = r.body();
        }
        assertTrue(body.contains("temporal_"), "SDK metrics in:\n" + body);
        assertTrue(body.contains("# TYPE"), body);
      } finally {
        factory.shutdownNow();
      }
    }
  }
}
