package org.llenergymeasure.campaign.activities.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.activities.gpu.inventory.ComputeAppsParser;
import org.llenergymeasure.campaign.activities.gpu.inventory.GpuDevice;
import org.llenergymeasure.campaign.activities.gpu.inventory.HostInventory;
import org.llenergymeasure.campaign.activities.gpu.routing.GpuRouter;
import org.llenergymeasure.campaign.activities.gpu.routing.RoutingRequest;
import org.llenergymeasure.campaign.activities.gpu.verify.RoutingVerifier;
import org.llenergymeasure.campaign.activities.gpu.verify.Verification;
import org.llenergymeasure.campaign.activities.ledger.LedgerEntry;
import org.llenergymeasure.campaign.activities.ledger.RunLedger;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.BusyPolicy;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.config.Parallelism;
import org.llenergymeasure.campaign.workflows.FailureTypes;
import org.llenergymeasure.campaign.workflows.host.DeviceMapping;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;

/**
 * What the project's own CLI did on a live host with two H200s (fixtures/gpu/h200-2gpu-live,
 * docs/hardware-checks.md, check 2): two {@code attach: process} campaigns run by {@code run} with
 * the in-process Temporal server. The captured inventory, the routes, the runs' CUDA views
 * (probe.txt), what PyTorch and a torchrun NCCL all-reduce saw (log.txt, result.json) and the
 * ledgers are checked against today's parsers, router and verifier.
 */
class LiveH200x2Test {

  static final String LIVE = "h200-2gpu-live";
  // From the capture's nvidia-smi -L (checked in theCaptureIsSelfConsistent).
  static final String GPU0 = "GPU-f8f6bfbd-2738-b2e5-35e4-58a5375ac676";
  static final String GPU1 = "GPU-2511a9c5-3ea6-02e5-7016-4b01df354566";
  static final Pattern SMI_L = Pattern.compile("GPU (\\d+): (.+) \\(UUID: (GPU-[0-9a-f-]+)\\)");
  // torch_view.py's lines: "cuda:<i> <name> GPU-<uuid>".
  static final Pattern TORCH = Pattern.compile("cuda:(\\d+) (.+) (GPU-[0-9a-f-]+)");

  private static final ObjectMapper JSON = new ObjectMapper();

  static HostInventory host() {
    return Fixtures.host(LIVE);
  }

  static GpuRouting route(List<String> selectors, Parallelism parallelism) {
    return GpuRouter.route(
        host(),
        new RoutingRequest(
            GpuRequest.of(selectors),
            parallelism,
            AttachMode.PROCESS,
            null,
            BusyPolicy.FAIL,
            false));
  }

  static Path results() {
    return Fixtures.dir(LIVE).resolve("results");
  }

  static String attemptFile(String campaign, String run, String file) {
    return Fixtures.read(LIVE + "/results/" + campaign + "/" + run + ".c1/a1/" + file);
  }

  /** The probe's own stdout, from probe.txt: the lines after "$ command" up to "[exit n]". */
  static String probeStdout(String probeTxt) {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String line : probeTxt.split("\n")) {
      if (line.startsWith("$ ")) {
        in = true;
      } else if (line.startsWith("[exit ")) {
        in = false;
      } else if (in) {
        out.add(line);
      }
    }
    return String.join("\n", out) + "\n";
  }

  static JsonNode json(String hostAndFile) throws Exception {
    return JSON.readTree(Fixtures.read(hostAndFile));
  }

  @Test
  void theCaptureIsSelfConsistent() {
    Map<Integer, String> listed =
        Fixtures.read(LIVE + "/nvidia-smi-L.txt")
            .lines()
            .map(SMI_L::matcher)
            .filter(Matcher::matches)
            .collect(Collectors.toMap(m -> Integer.parseInt(m.group(1)), m -> m.group(3)));
    assertEquals(Map.of(0, GPU0, 1, GPU1), listed);
    String table = Fixtures.read(LIVE + "/nvidia-smi.txt");
    assertTrue(table.contains("00000000:00:06.0") && table.contains("00000000:00:07.0"), table);
    assertTrue(table.contains("No running processes found"), table);
    // The GPUs are linked by NVLink (18 links), as on the earlier 2-GPU host.
    assertTrue(Fixtures.read(LIVE + "/topo.txt").contains("GPU0\t X \tNV18"));
  }

  @Test
  void inventoryParsersReadTheLiveHost() {
    HostInventory host = host();
    assertEquals(2, host.gpus().size());
    GpuDevice g0 = host.gpus().get(0);
    GpuDevice g1 = host.gpus().get(1);
    assertEquals(List.of(0, 1), List.of(g0.index(), g1.index()));
    assertEquals(List.of(GPU0, GPU1), List.of(g0.uuid(), g1.uuid()));
    assertEquals(
        List.of("00000000:00:06.0", "00000000:00:07.0"), List.of(g0.pciBusId(), g1.pciBusId()));
    for (GpuDevice g : host.gpus()) {
      assertEquals("NVIDIA H200", g.name());
      assertEquals(143771L, g.memoryMiB());
      assertFalse(g.migEnabled());
    }
    assertEquals(List.of(), host.processes(), "compute-apps.csv was empty: idle before");
    assertEquals(
        List.of(),
        ComputeAppsParser.parse(Fixtures.read(LIVE + "/compute-apps-after.csv")),
        "no process of the campaigns left on a GPU");
  }

  @Test
  void pytorchOnTheHostEnumeratesInPciOrderLikeNvidiaSmi() {
    // torch-host.txt: no CUDA_VISIBLE_DEVICES, CUDA_DEVICE_ORDER=PCI_BUS_ID.
    List<String> torch = torchUuids(Fixtures.read(LIVE + "/torch-host.txt"));
    assertEquals(List.of(GPU0, GPU1), torch);
  }

  @Test
  void theRouterGivesWhatTheCliPrintedOnTheHost() throws Exception {
    Object[][] cases = {
      {List.of("1"), "route-1-process.json", List.of(GPU1)},
      {List.of("0"), "route-0-process.json", List.of(GPU0)},
      // Asked as [1, 0]: listed in PCI bus order, so cuda:0 is host GPU 0.
      {List.of("1", "0"), "route-1-0-process.json", List.of(GPU0, GPU1)},
    };
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      GpuRouting routing = route((List<String>) c[0], null);
      JsonNode cli = json(LIVE + "/" + c[1]);
      @SuppressWarnings("unchecked")
      List<String> want = (List<String>) c[2];
      assertEquals(want, routing.expectedUuids(), c[1].toString());
      assertEquals(String.join(",", want), routing.env().get("CUDA_VISIBLE_DEVICES"));
      JsonNode env = cli.get("env");
      assertEquals(
          env.get("CUDA_VISIBLE_DEVICES").asText(), routing.env().get("CUDA_VISIBLE_DEVICES"));
      assertEquals(env.get("CUDA_DEVICE_ORDER").asText(), routing.env().get("CUDA_DEVICE_ORDER"));
      assertFalse(env.has("NVIDIA_VISIBLE_DEVICES"));
      List<DeviceMapping> mapping = new ArrayList<>();
      cli.get("mapping")
          .forEach(
              m ->
                  mapping.add(
                      new DeviceMapping(
                          m.get("container").asInt(),
                          m.get("uuid").asText(),
                          m.get("hostIndex").asInt())));
      assertEquals(routing.mapping(), mapping, c[1].toString());
    }
  }

  @Test
  void everyLiveRunsCapturedCudaViewPassesVerification() {
    Map<String, GpuRouting> runs =
        Map.of(
            "gpu1", route(List.of("1"), null),
            "gpu0", route(List.of("0"), null),
            "pair-1-0", route(List.of("1", "0"), null),
            "tp2-torchrun", route(List.of("1", "0"), new Parallelism(2, 1)));
    for (Map.Entry<String, GpuRouting> run : runs.entrySet()) {
      String probe = attemptFile("gpu12-live", run.getKey(), "probe.txt");
      // The default view, the project's ctypes probe, ran (no probe: key in the campaign).
      assertTrue(probe.contains("# llem-cuda-view ctypes"), probe);
      Verification v = RoutingVerifier.verify(run.getValue(), null, probeStdout(probe));
      assertTrue(v.passed(), run.getKey() + ": " + v.explanation());
      assertEquals(run.getValue().expectedUuids(), v.cudaView(), run.getKey());
    }
  }

  @Test
  void pytorchInsideEachRunSawExactlyTheRoutedGpusInTheMappingsOrder() throws Exception {
    Map<String, List<String>> routed =
        Map.of("gpu1", List.of(GPU1), "gpu0", List.of(GPU0), "pair-1-0", List.of(GPU0, GPU1));
    for (Map.Entry<String, List<String>> run : routed.entrySet()) {
      String log = attemptFile("gpu12-live", run.getKey(), "log.txt");
      JsonNode result = json(LIVE + "/results/gpu12-live/" + run.getKey() + ".c1/a1/result.json");
      assertTrue(log.contains("device_count: " + run.getValue().size()), log);
      assertEquals(run.getValue(), torchUuids(log), run.getKey() + " cuda:i in order");
      List<String> fromResult = new ArrayList<>();
      result.get("uuids").forEach(u -> fromResult.add(u.asText()));
      assertEquals(run.getValue(), fromResult);
      assertEquals("PCI_BUS_ID", result.get("cuda_device_order").asText());
    }
    // Item 2 of the issue: the mapping the router reports for [1, 0] is cuda:0 = host GPU 0,
    // cuda:1 = host GPU 1, and that is what PyTorch inside the run enumerated.
    GpuRouting pair = route(List.of("1", "0"), null);
    List<String> torch = torchUuids(attemptFile("gpu12-live", "pair-1-0", "log.txt"));
    for (DeviceMapping m : pair.mapping()) {
      assertEquals(m.uuid(), torch.get(m.container()), "cuda:" + m.container());
      assertEquals(m.uuid(), host().gpus().get(m.hostIndex()).uuid());
    }
  }

  @Test
  void theTorchrunAllReduceRanOnTheRoutedGpus() throws Exception {
    String log = attemptFile("gpu12-live", "tp2-torchrun", "log.txt");
    // The two ranks' lines may share a line of the log (two processes writing at once).
    Matcher m =
        Pattern.compile("rank (\\d) local cuda:(\\d) uuid (GPU-[0-9a-f-]+) sum ([0-9.]+)")
            .matcher(log);
    Map<Integer, String> byRank = new TreeMap<>();
    while (m.find()) {
      assertEquals(m.group(1), m.group(2), "one GPU per rank, local rank = cuda index");
      assertEquals("3.0", m.group(4), "1 + 2 all-reduced");
      byRank.put(Integer.parseInt(m.group(1)), m.group(3));
    }
    assertEquals(Map.of(0, GPU0, 1, GPU1), byRank);
    JsonNode result = json(LIVE + "/results/gpu12-live/tp2-torchrun.c1/a1/result.json");
    assertEquals(2, result.get("world_size").asInt());
    assertEquals(result.get("expected_sum").asDouble(), result.get("sum").asDouble());
    assertEquals(GPU0, result.get("rank_uuids").get(0).asText());
    assertEquals(GPU1, result.get("rank_uuids").get(1).asText());
    assertEquals("0", result.get("nccl_nvls_enable").asText(), "NVLink multicast stayed off");
  }

  @Test
  void theLiveLedgerRecordsFourVerifiedRuns() {
    List<LedgerEntry> ledger = RunLedger.of(results(), "gpu12-live").read();
    assertEquals(
        List.of("gpu1", "gpu0", "pair-1-0", "tp2-torchrun"),
        ledger.stream().map(LedgerEntry::experiment).toList());
    for (LedgerEntry e : ledger) {
      assertEquals("completed", e.status(), e.toString());
      assertEquals(1, e.attempt());
      assertNull(e.error());
      assertEquals(e.routing().uuids(), e.verifiedUuids(), e.runId());
      assertEquals(
          String.join(",", e.routing().uuids()), e.routing().env().get("CUDA_VISIBLE_DEVICES"));
    }
  }

  @Test
  void theWrongEnvironmentsAreMismatchesAndTheirCommandsNeverRan() {
    // wrong-container-index: routed [1], the probe enumerated with CUDA_VISIBLE_DEVICES=0 (the
    // container-relative index in a host process). wrong-requested-order: routed [1, 0], the
    // probe used the host indices in the requested order, 1,0, not the routed PCI order.
    Map<String, GpuRouting> runs =
        Map.of(
            "wrong-container-index", route(List.of("1"), null),
            "wrong-requested-order", route(List.of("1", "0"), null));
    Map<String, LedgerEntry> ledger = new HashMap<>();
    RunLedger.of(results(), "gpu12-wrong").read().forEach(e -> ledger.put(e.experiment(), e));
    assertEquals(runs.keySet(), ledger.keySet());
    for (Map.Entry<String, GpuRouting> run : runs.entrySet()) {
      String probe = attemptFile("gpu12-wrong", run.getKey(), "probe.txt");
      Verification v = RoutingVerifier.verify(run.getValue(), null, probeStdout(probe));
      assertFalse(v.passed(), run.getKey());
      LedgerEntry e = ledger.get(run.getKey());
      assertEquals("failed", e.status());
      assertEquals(FailureTypes.GPU_ROUTING_MISMATCH, e.error().type());
      assertTrue(
          e.error().message().endsWith(v.explanation()),
          e.error().message() + "\nvs\n" + v.explanation());
      assertNull(e.result());
      Path attempt = results().resolve("gpu12-wrong").resolve(run.getKey() + ".c1").resolve("a1");
      assertFalse(Files.exists(attempt.resolve("result.json")), "the command must not have run");
      assertEquals(
          "", attemptFile("gpu12-wrong", run.getKey(), "log.txt"), "no output: never started");
    }
    String index =
        RoutingVerifier.verify(
                runs.get("wrong-container-index"),
                null,
                probeStdout(attemptFile("gpu12-wrong", "wrong-container-index", "probe.txt")))
            .explanation();
    assertTrue(index.contains("expected GPU-2511a9c5… (host GPU 1)"), index);
    assertTrue(index.contains("CUDA saw GPU-f8f6bfbd"), index);
    String order =
        RoutingVerifier.verify(
                runs.get("wrong-requested-order"),
                null,
                probeStdout(attemptFile("gpu12-wrong", "wrong-requested-order", "probe.txt")))
            .explanation();
    assertTrue(
        order.contains(
            "expected GPU-f8f6bfbd… (host GPU 0), GPU-2511a9c5… (host GPU 1) in that order"),
        order);
    assertTrue(
        order.contains("CUDA saw GPU-2511a9c5… (host GPU 1), GPU-f8f6bfbd… (host GPU 0)"), order);
    assertTrue(order.contains("another order"), order);
  }

  private static List<String> torchUuids(String output) {
    return output
        .lines()
        .map(TORCH::matcher)
        .filter(Matcher::matches)
        .map(m -> m.group(3))
        .toList();
  }
}
