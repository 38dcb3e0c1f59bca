package org.llenergymeasure.campaign.worker.temporal;

import com.uber.m3.tally.Scope;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.File;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.llenergymeasure.campaign.worker.EnvironmentProblem;
import org.llenergymeasure.campaign.workflows.LlemDataConverter;

/** A connected client to a Temporal service, with the project's data converter. */
public final class TemporalConnection implements AutoCloseable {

  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final String address;

  private TemporalConnection(WorkflowServiceStubs service, WorkflowClient client, String address) {
    this.service = service;
    this.client = client;
    this.address = address;
  }

  /** Wraps an existing client (the in-process fallback server, tests). */
  public static TemporalConnection of(
      WorkflowServiceStubs service, WorkflowClient client, String address) {
    return new TemporalConnection(service, client, address);
  }

  /**
   * Connects and checks that the service answers; an unreachable service is one clear
   * EnvironmentProblem naming the address, not a stack trace.
   */
  public static TemporalConnection connect(TemporalSettings settings) {
    return connect(settings, Tuning.DEFAULT);
  }

  /**
   * What a command may change about the connection.
   *
   * @param queryTimeout how long a query may wait for a worker (null: the SDK's default); the read
   *     commands keep it short so that a campaign without a worker falls back quickly
   * @param metricsScope where the SDK reports its metrics (null: nowhere)
   */
  public record Tuning(Duration queryTimeout, Scope metricsScope) {
    public static final Tuning DEFAULT = new Tuning(null, null);
  }

  /** As {@link #connect(TemporalSettings)} with a query timeout and/or a metrics scope. */
  public static TemporalConnection connect(TemporalSettings settings, Tuning tuning) {
    String address = settings.effectiveAddress();
    WorkflowServiceStubsOptions.Builder options =
        WorkflowServiceStubsOptions.newBuilder().setTarget(address);
    if (tuning.queryTimeout() != null) {
      options.setRpcQueryTimeout(tuning.queryTimeout());
    }
    if (tuning.metricsScope() != null) {
      options.setMetricsScope(tuning.metricsScope());
    }
    try {
      if (settings.tls()) {
        options.setSslContext(sslContext(settings));
      }
      if (settings.tlsServerName() != null) {
        // The name the server's certificate must carry (and the SNI), when it differs from the
        // address's host, e.g. a tunnel or an IP address.
        String serverName = settings.tlsServerName();
        options.setChannelInitializer(channel -> channel.overrideAuthority(serverName));
      }
      if (settings.apiKey() != null) {
        String key = settings.apiKey();
        options.addApiKey(() -> key);
        Metadata headers = new Metadata();
        headers.put(
            Metadata.Key.of("temporal-namespace", Metadata.ASCII_STRING_MARSHALLER),
            settings.namespace());
        options.setHeaders(headers);
      }
    } catch (Exception e) {
      throw new EnvironmentProblem(
          "cannot set up TLS for Temporal at " + address + ": " + e.getMessage(), e);
    }
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(options.build());
    try {
      service
          .blockingStub()
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      service.shutdownNow();
      throw new EnvironmentProblem(
          "no Temporal server reachable at "
              + address
              + " ("
              + e.getStatus().getCode()
              + (e.getStatus().getDescription() == null
                  ? ""
                  : ": " + firstLine(e.getStatus().getDescription()))
              + "); start one with `llem-campaign server`, or set --temporal / TEMPORAL_ADDRESS");
    }
    WorkflowClient client =
        WorkflowClient.newInstance(
            service,
            WorkflowClientOptions.newBuilder()
                .setNamespace(settings.namespace())
                .setDataConverter(LlemDataConverter.create())
                .build());
    return new TemporalConnection(service, client, address);
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  private static SslContext sslContext(TemporalSettings s) throws Exception {
    SslContextBuilder builder = GrpcSslContexts.forClient();
    if (s.tlsCertPath() != null && s.tlsKeyPath() != null) {
      builder.keyManager(new File(s.tlsCertPath()), new File(s.tlsKeyPath()));
    }
    if (s.tlsCaPath() != null) {
      builder.trustManager(new File(s.tlsCaPath()));
    }
    return builder.build();
  }

  public WorkflowClient client() {
    return client;
  }

  public WorkflowServiceStubs service() {
    return service;
  }

  public String address() {
    return address;
  }

  @Override
  public void close() {
    service.shutdown();
    service.awaitTermination(5, TimeUnit.SECONDS);
  }
}
