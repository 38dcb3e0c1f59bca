package com.example.ownworker;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.llenergymeasure.campaign.plugin.LlemCampaignPlugin;

/**
 * The team's worker: their own workflow and activities on their queue "nightly", with llem-campaign
 * added as a plugin. Starts one NightlyBenchmark, prints its result, and stops.
 *
 * <pre>
 * java -jar target/own-worker.jar --address 127.0.0.1:7233 --host-id gpu-node-1 \
 *     --results /srv/llem/results --campaign nightly.yaml [--inventory DIR] [--notes FILE]
 * </pre>
 */
public final class OwnWorker {

  static final String QUEUE = "nightly";

  private OwnWorker() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = parse(argv);
    LlemCampaignPlugin llem =
        LlemCampaignPlugin.builder(args.getOrDefault("host-id", "gpu-node-1"))
            .results(Path.of(args.getOrDefault("results", "results")))
            .inventoryFolder(args.containsKey("inventory") ? Path.of(args.get("inventory")) : null)
            .build();
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(args.getOrDefault("address", "127.0.0.1:7233"))
                .build());
    // The team's own client settings (data converter, codec, interceptors) go here and stay in
    // charge; the plugin on the client reaches every worker factory made from it.
    WorkflowClient client =
        WorkflowClient.newInstance(
            service,
            WorkflowClientOptions.newBuilder()
                .setNamespace(args.getOrDefault("namespace", "default"))
                .setPlugins(llem)
                .build());
    WorkerFactory factory = WorkerFactory.newInstance(client);
    Worker own = factory.newWorker(QUEUE);
    own.registerWorkflowImplementationTypes(NightlyBenchmarkImpl.class);
    own.registerActivitiesImplementations(
        new NightlyActivitiesImpl(Path.of(args.getOrDefault("notes", "nightly-notes.txt"))));
    factory.start(); // also llem-campaigns and llem-host-<host-id>, from the plugin

    String workflowId = args.getOrDefault("workflow-id", "nightly-benchmark");
    NightlyBenchmark nightly =
        client.newWorkflowStub(
            NightlyBenchmark.class,
            WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(QUEUE).build());
    int exit = 0;
    try {
      String outcome = nightly.run(args.get("campaign"));
      System.out.println("nightly benchmark " + workflowId + ": " + outcome);
    } catch (RuntimeException e) {
      StringBuilder why = new StringBuilder(e.toString());
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        why.append("\n  caused by ").append(c);
      }
      System.out.println("nightly benchmark " + workflowId + " failed: " + why);
      exit = 1;
    } finally {
      factory.shutdown();
      factory.awaitTermination(10, TimeUnit.SECONDS);
      llem.close();
      service.shutdown();
    }
    System.exit(exit);
  }

  private static Map<String, String> parse(String[] argv) {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      if (!argv[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got " + argv[i]);
      }
      args.put(argv[i].substring(2), argv[i + 1]);
    }
    if (!args.containsKey("campaign")) {
      throw new IllegalArgumentException("--campaign FILE is required");
    }
    return args;
  }
}
