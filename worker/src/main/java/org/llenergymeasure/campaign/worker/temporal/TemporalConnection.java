package org.llenergymeasure.campaign.worker.temporal;

import com.uber.m3.tally.Scope;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
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
    WorkflowServiceStubsOptions.Builder options;
    try {
      // envconfig's own translation of the profile: target, API key, TLS files, server name.
      options = WorkflowServiceStubsOptions.newBuilder(settings.stubsOptions());
    } catch (RuntimeException e) {
      throw new EnvironmentProblem(
          "cannot set up TLS for Temporal at " + address + ": " + causes(e), e);
    }
    options.setTarget(address);
    if (tuning.queryTimeout() != null) {
      options.setRpcQueryTimeout(tuning.queryTimeout());
    }
    if (tuning.metricsScope() != null) {
      options.setMetricsScope(tuning.metricsScope());
    }
    if (settings.apiKey() != null) {
      // Temporal Cloud routes an API-key request by this header.
      Metadata headers = new Metadata();
      headers.put(
          Metadata.Key.of("temporal-namespace", Metadata.ASCII_STRING_MARSHALLER),
          settings.namespace());
      options.setHeaders(headers);
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
              + tlsFailure(e)
              + ")"
              + (settings.addressSource() == null
                  ? ""
                  : "; address from " + settings.addressSource())
              + "; start one with `llem-campaign server`, or set --temporal / TEMPORAL_ADDRESS"
              + " / --profile");
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

  /** A failed TLS handshake (wrong CA, wrong server name, not TLS at all) said in words. */
  private static String tlsFailure(Throwable e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return "; TLS handshake failed: " + firstLine(String.valueOf(t.getMessage()));
      }
    }
    return "";
  }

  private static String causes(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      text.append(": ").append(t);
    }
    return text.toString();
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
