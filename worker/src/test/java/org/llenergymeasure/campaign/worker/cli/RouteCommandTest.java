package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code llem-campaign route}, run in-process against the captured inventories; the numbered cases
 * are gpu-routing.md's test vectors. Expected UUIDs, names and pids come from the fixture files.
 */
class RouteCommandTest {

  static final FixtureHost H1 = FixtureHost.example("h100x4");
  static final FixtureHost H2 = FixtureHost.example("a100-mig");
  static final FixtureHost H3 = FixtureHost.example("mixed-t4-h100");
  static final FixtureHost H0 = FixtureHost.example("h200-1gpu");

  @TempDir Path tmp;

  static CliRun route(FixtureHost host, String... args) {
    List<String> all = new ArrayList<>(List.of("route", "--inventory", host.arg()));
    all.addAll(List.of("--host-id", "sim-a"));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  static JsonNode ok(CliRun run) {
    assertEquals(0, run.exit(), "stdout: " + run.out() + "\nstderr: " + run.err());
    return run.json();
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** devices, expectedUuids and mapping all name these host GPUs, in this order. */
  static void assertDevices(JsonNode json, FixtureHost host, int... hostIndices) {
    JsonNode devices = json.get("devices");
    assertEquals(hostIndices.length, devices.size(), json.toString());
    List<String> uuids = new ArrayList<>();
    for (int i = 0; i < hostIndices.length; i++) {
      FixtureHost.Gpu gpu = host.gpu(hostIndices[i]);
      uuids.add(gpu.uuid());
      JsonNode d = devices.get(i);
      assertEquals(gpu.uuid(), d.get("uuid").asText());
      assertEquals(gpu.index(), d.get("index").asInt());
      assertEquals(gpu.name(), d.get("name").asText());
      JsonNode m = json.get("mapping").get(i);
      assertEquals(i, m.get("container").asInt());
      assertEquals(gpu.uuid(), m.get("uuid").asText());
      assertEquals(gpu.index(), m.get("hostIndex").asInt());
    }
    assertEquals(hostIndices.length, json.get("mapping").size());
    assertEquals(hostIndices.length, json.get("expectedDeviceCount").asInt());
    assertEquals(uuids, texts(json.get("expectedUuids")));
  }

  @Test
  void v1ContainerRoutingOfTwoGpus() {
    CliRun run = route(H1, "--gpus", "1,2", "--json");
    JsonNode json = ok(run);
    assertDevices(json, H1, 1, 2);
    String both = H1.uuid(1) + "," + H1.uuid(2);
    JsonNode env = json.get("env");
    assertEquals(both, env.get("NVIDIA_VISIBLE_DEVICES").asText());
    assertEquals("0,1", env.get("CUDA_VISIBLE_DEVICES").asText());
    assertEquals("PCI_BUS_ID", env.get("CUDA_DEVICE_ORDER").asText());
    assertEquals("compute,utility", env.get("NVIDIA_DRIVER_CAPABILITIES").asText());
    JsonNode dr = json.get("deviceRequest");
    assertEquals("nvidia", dr.get("driver").asText());
    assertEquals(List.of(H1.uuid(1), H1.uuid(2)), texts(dr.get("deviceIds")));
    assertEquals("[[\"gpu\"]]", dr.get("capabilities").toString());
    assertEquals(3, dr.size(), "driver, deviceIds, capabilities (never a Count): " + dr);
    assertEquals("sim-a", json.get("host").asText());
    // Shown as requested; a note says what a simulated host's runs really use.
    assertEquals("device-request", json.get("attach").asText());
    assertTrue(run.err().contains("note:") && run.err().contains("attach mode env"), run.err());
  }

  @Test
  void v2ProcessModeExportsUuidsAndNoDeviceRequest() {
    CliRun run = route(H1, "--gpus", "1,2", "--attach", "process", "--json");
    JsonNode json = ok(run);
    assertDevices(json, H1, 1, 2);
    assertEquals(
        H1.uuid(1) + "," + H1.uuid(2), json.get("env").get("CUDA_VISIBLE_DEVICES").asText());
    assertFalse(json.get("env").has("NVIDIA_VISIBLE_DEVICES"), json.toString());
    assertTrue(json.has("deviceRequest") && json.get("deviceRequest").isNull(), json.toString());
    assertFalse(run.err().contains("note:"), run.err());
  }

  @Test
  void v3DevicesInPciOrderWhateverOrderTheyWereWritten() {
    assertDevices(ok(route(H1, "--gpus", "2,0", "--busy", "ignore", "--json")), H1, 0, 2);
  }

  @Test
  void v7UniqueUuidPrefixAndV9CaseInsensitiveUuid() {
    String prefix = H1.uuid(1).substring(0, 8);
    assertDevices(ok(route(H1, "--gpus", prefix, "--json")), H1, 1);
    assertDevices(
        ok(route(H1, "--gpus", H1.uuid(1).toLowerCase(java.util.Locale.ROOT), "--json")), H1, 1);
  }

  @Test
  void v11AllAndV12None() {
    JsonNode all = ok(route(FixtureHost.example("sim-4gpu-idle"), "--gpus", "all", "--json"));
    assertDevices(all, FixtureHost.example("sim-4gpu-idle"), 0, 1, 2, 3);
    assertFalse(all.get("env").get("CUDA_VISIBLE_DEVICES").asText().contains("all"));

    JsonNode none = ok(route(H1, "--gpus", "none", "--json"));
    assertDevices(none, H1);
    assertTrue(none.get("deviceRequest").isNull(), none.toString());
    assertEquals("void", none.get("env").get("NVIDIA_VISIBLE_DEVICES").asText());
  }

  @Test
  void v13CountPicksTheFirstIdleGpusInPciOrder() {
    // The fixture's busy GPUs are the ones its compute-apps.csv names.
    List<Integer> idle =
        H1.gpus().stream()
            .filter(g -> H1.processes().stream().noneMatch(p -> p.gpuUuid().equals(g.uuid())))
            .map(FixtureHost.Gpu::index)
            .sorted()
            .toList();
    JsonNode json = ok(route(H1, "--count", "2", "--json"));
    assertDevices(json, H1, idle.get(0), idle.get(1));
    assertEquals(
        List.of(H1.uuid(idle.get(0)), H1.uuid(idle.get(1))),
        texts(json.get("deviceRequest").get("deviceIds")));
  }

  @Test
  void v20EnvAttachAndV21Cdi() {
    JsonNode env = ok(route(H1, "--gpus", "1,2", "--attach", "env", "--json"));
    assertTrue(env.get("deviceRequest").isNull(), env.toString());
    assertEquals(
        H1.uuid(1) + "," + H1.uuid(2), env.get("env").get("NVIDIA_VISIBLE_DEVICES").asText());
    assertEquals("0,1", env.get("env").get("CUDA_VISIBLE_DEVICES").asText());

    JsonNode cdi = ok(route(H1, "--gpus", "1", "--attach", "cdi", "--json"));
    assertEquals("cdi", cdi.get("deviceRequest").get("driver").asText());
    assertEquals(
        List.of("nvidia.com/gpu=" + H1.uuid(1)), texts(cdi.get("deviceRequest").get("deviceIds")));
  }

  @Test
  void v22MigInstanceByGpuAndMigIndex() {
    JsonNode json = ok(route(H2, "--gpus", "0:1", "--json"));
    FixtureHost.Mig mig = H2.mig(0, 1);
    assertEquals(List.of(mig.uuid()), texts(json.get("expectedUuids")));
    assertEquals(1, json.get("expectedDeviceCount").asInt());
    JsonNode d = json.get("devices").get(0);
    assertEquals(mig.uuid(), d.get("uuid").asText());
    assertEquals(0, d.get("index").asInt());
    assertEquals(1, d.get("migIndex").asInt());
    assertEquals(H2.uuid(0), d.get("parentUuid").asText());
  }

  @Test
  void v28MixedHostProcessModeUsesTheUuidNotTheIndex() {
    JsonNode json = ok(route(H3, "--gpus", "1", "--attach", "process", "--json"));
    assertEquals(H3.uuid(1), json.get("env").get("CUDA_VISIBLE_DEVICES").asText());
    assertDevices(json, H3, 1);
  }

  @Test
  void v29SingleH200ProcessMode() {
    JsonNode json = ok(route(H0, "--gpus", "0", "--attach", "process", "--json"));
    assertEquals(H0.uuid(0), json.get("env").get("CUDA_VISIBLE_DEVICES").asText());
    assertDevices(json, H0, 0);
  }

  @Test
  void textOutputShowsTheMappingEnvAndDeviceRequest() {
    CliRun run = route(H1, "--gpus", "2,1");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("cuda:0 = host GPU 1"), run.out());
    assertTrue(run.out().contains("cuda:1 = host GPU 2"), run.out());
    assertTrue(run.out().contains("CUDA_VISIBLE_DEVICES=0,1"), run.out());
    assertTrue(run.out().contains("driver nvidia"), run.out());
    assertTrue(run.out().contains("SIMULATED"), run.out());
  }

  /** gpu-routing.md's error vectors: host, arguments, type, retryable, words the message has. */
  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(
            H1,
            List.of("--gpus", "1,1"),
            "InvalidGpuSelection",
            false,
            List.of("duplicate", H1.uuid(1))),
        Arguments.of(
            H1,
            List.of("--gpus", "4"),
            "InvalidGpuSelection",
            false,
            List.of("out of range", "0-3")),
        Arguments.of(
            H1,
            List.of("--gpus=-1"),
            "InvalidGpuSelection",
            false,
            List.of("\"-1\"", "host index", "GPU-", "MIG-", "<gpu>:<mig>")),
        Arguments.of(
            H1,
            List.of("--gpus", "0a"),
            "InvalidGpuSelection",
            false,
            List.of("\"0a\"", "host index (0-3)", "<gpu>:<mig>")),
        Arguments.of(
            H1, List.of("--gpus", ""), "InvalidGpuSelection", false, List.of("host index", "GPU-")),
        Arguments.of(
            H1,
            List.of("--gpus", "GPU-"),
            "InvalidGpuSelection",
            false,
            List.of("ambiguous", H1.uuid(0), H1.uuid(3))),
        Arguments.of(
            H1,
            List.of("--gpus", "GPU-ffffffff-0000-0000-0000-000000000000"),
            "InvalidGpuSelection",
            false,
            List.of("unknown GPU UUID")),
        Arguments.of(
            H0,
            List.of("--gpus", "1"),
            "InvalidGpuSelection",
            false,
            List.of("out of range", "only GPU 0")),
        Arguments.of(
            H1,
            List.of("--count", "5"),
            "InvalidGpuSelection",
            false,
            List.of("count: 5", "4 full")),
        Arguments.of(
            H2,
            List.of("--gpus", H2.mig(0, 0).uuid() + "," + H2.mig(0, 1).uuid()),
            "MigSelection",
            false,
            List.of("one MIG instance")),
        Arguments.of(
            H2,
            List.of("--gpus", "1:0"),
            "MigSelection",
            false,
            List.of("GPU 1 is not in MIG mode")),
        Arguments.of(
            H2, List.of("--gpus", "0"), "MigSelection", false, List.of("MIG mode", "0:0", "0:1")),
        Arguments.of(H2, List.of("--gpus", "0:0,1"), "MigSelection", false, List.of("cannot mix")),
        Arguments.of(
            H2,
            List.of("--gpus", "0:2"),
            "MigSelection",
            false,
            List.of("MIG device 2 does not exist on GPU 0")),
        Arguments.of(
            H1,
            List.of("--gpus", "1,2", "--tensor", "4"),
            "ParallelismMismatch",
            false,
            List.of("4", "2")),
        Arguments.of(
            H1,
            List.of("--gpus", "1", "--env", "NVIDIA_VISIBLE_DEVICES=0"),
            "RoutingConflict",
            false,
            List.of("NVIDIA_VISIBLE_DEVICES")),
        Arguments.of(
            H1,
            List.of("--gpus", "1", "--env", "CUDA_VISIBLE_DEVICES=1"),
            "RoutingConflict",
            false,
            List.of("CUDA_VISIBLE_DEVICES")),
        Arguments.of(
            H1,
            List.of("--gpus", "1", "--privileged"),
            "RoutingConflict",
            false,
            List.of("privileged")),
        Arguments.of(
            H1,
            List.of("--gpus", "0,1", "--busy", "fail"),
            "GpuBusy",
            false,
            List.of(
                "GPU 0",
                String.valueOf(H1.processes().get(0).pid()),
                String.valueOf(H1.processes().get(0).usedMemoryMiB()))),
        Arguments.of(
            H1,
            List.of("--gpus", "0,1"),
            "GpuBusy",
            true,
            List.of("GPU 0", String.valueOf(H1.processes().get(0).pid()))));
  }

  @ParameterizedTest
  @MethodSource("refusals")
  void refusedRoutingsExitTwoWithTheirTypeAndAJsonErrorObject(
      FixtureHost host, List<String> args, String type, boolean retryable, List<String> words) {
    List<String> withJson = new ArrayList<>(args);
    withJson.add("--json");
    CliRun run = route(host, withJson.toArray(String[]::new));
    JsonNode error = run.assertJsonError(2, type, retryable);
    for (String word : words) {
      assertTrue(error.get("message").asText().contains(word), word + " in " + error);
    }
    // Without --json: the same line on stderr and nothing on stdout.
    CliRun plain = route(host, args.toArray(String[]::new));
    assertEquals(2, plain.exit());
    assertEquals("", plain.out());
    assertEquals(
        List.of("error: " + error.get("message").asText()),
        plain.errLines().stream().filter(l -> !l.startsWith("note:")).toList());
  }

  static Stream<Arguments> badFlags() {
    return Stream.of(
        Arguments.of(
            List.of("--gpus", "1", "--attach", "docker"),
            List.of("docker", "device-request, env, cdi or process")),
        Arguments.of(List.of("--gpus", "1", "--busy", "maybe"), List.of("wait, fail or ignore")),
        Arguments.of(List.of(), List.of("--gpus", "--count")),
        Arguments.of(List.of("--gpus", "1", "--count", "1"), List.of("exactly one")),
        Arguments.of(List.of("--count", "0"), List.of("at least 1", "--gpus none")),
        Arguments.of(List.of("--gpus", "1", "--env", "FOO"), List.of("FOO", "K=V")),
        Arguments.of(List.of("--gpus", "1", "--tensor", "0"), List.of("at least 1")));
  }

  @ParameterizedTest
  @MethodSource("badFlags")
  void badFlagsAreBadInputSayingWhatIsValid(List<String> args, List<String> words) {
    List<String> withJson = new ArrayList<>(args);
    withJson.add("--json");
    JsonNode error =
        route(H1, withJson.toArray(String[]::new)).assertJsonError(2, "BadInput", false);
    for (String word : words) {
      assertTrue(error.get("message").asText().contains(word), word + " in " + error);
    }
  }

  @Test
  void noNvidiaSmiExitsThree() {
    String missing = tmp.resolve("none/nvidia-smi").toString();
    CliRun run = CliRun.of("route", "--gpus", "0", "--nvidia-smi", missing, "--json");
    JsonNode error = run.assertJsonError(3, "EnvironmentProblem", true);
    assertTrue(error.get("message").asText().contains("--inventory"), error.toString());
    CliRun plain = CliRun.of("route", "--gpus", "0", "--nvidia-smi", missing);
    assertEquals(3, plain.exit());
    assertEquals(1, plain.errLines().size(), plain.err());
  }

  /**
   * The live H200 capture through the real-host path (a stand-in nvidia-smi printing the captured
   * outputs): the same routing as the one printed on the machine (docs/hardware-checks.md).
   */
  @Test
  void liveH200RoutesAsItDidOnTheMachine() throws Exception {
    FixtureHost live = FixtureHost.live();
    String smi = live.fakeNvidiaSmi(tmp).toString();
    ObjectMapper mapper = new ObjectMapper();
    String[][] cases = {{"0", "route-0-process.json"}, {live.uuid(0), "route-uuid-process.json"}};
    for (String[] c : cases) {
      CliRun run =
          CliRun.of(
              "route",
              "--gpus",
              c[0],
              "--attach",
              "process",
              "--json",
              "--nvidia-smi",
              smi,
              "--host-id",
              "h200-live");
      JsonNode json = ok(run);
      assertEquals(live.uuid(0), json.get("env").get("CUDA_VISIBLE_DEVICES").asText());
      assertDevices(json, live, 0);
      assertFalse(json.get("simulated").asBoolean());
      assertEquals(mapper.readTree(Files.readString(live.dir().resolve(c[1]))), json);
    }
    CliRun refused =
        CliRun.of("route", "--gpus", "1", "--json", "--nvidia-smi", smi, "--host-id", "h200-live");
    JsonNode error = refused.assertJsonError(2, "InvalidGpuSelection", false);
    assertEquals(
        mapper.readTree(Files.readString(live.dir().resolve("route-1.json"))).get("error"), error);
  }

  @Test
  void helpShowsSelectorsAndExamples() {
    CliRun run = CliRun.of("route", "--help");
    assertEquals(0, run.exit());
    assertTrue(run.out().contains("Examples:"), run.out());
    assertTrue(run.out().contains("<gpu>:<mig>"), run.out());
    assertTrue(run.out().contains("--attach"), run.out());
    assertTrue(run.out().contains("GpuBusy"), run.out());
  }
}
