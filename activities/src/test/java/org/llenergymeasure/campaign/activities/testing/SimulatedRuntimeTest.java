package org.llenergymeasure.campaign.activities.testing;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.llenergymeasure.campaign.activities.testing.ShellBatch.env;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.llenergymeasure.campaign.activities.testing.ShellBatch.Outcome;

/**
 * The simulated NVIDIA runtime of {@code llem-probe:dev}, run in real containers: it must reproduce
 * the real captures (fixtures/gpu) and the measured CUDA_VISIBLE_DEVICES behaviour, and must show
 * the wrong GPU when a router makes the upstream mistake. Expected values come from the fixture
 * files only.
 */
@Tag("docker")
@ExtendWith(DockerExtension.class)
class SimulatedRuntimeTest {

  private static final String QUERY =
      "--query-gpu=index,uuid,pci.bus_id,name,memory.total,mig.mode.current";
  private static final String NVD = "NVIDIA_VISIBLE_DEVICES";
  private static final String CVD = "CUDA_VISIBLE_DEVICES";

  private final DockerClient docker;

  SimulatedRuntimeTest(DockerClient docker) {
    this.docker = docker;
  }

  @ParameterizedTest
  @ValueSource(strings = {"h200-1gpu", "h200-2gpu", "h100x4", "a100-mig", "mixed-t4-h100"})
  void allGpusReproduceTheHostsNvidiaSmiOutputByteForByte(String host) {
    Map<String, Outcome> out =
        new ShellBatch()
            .add("list", "nvidia-smi", "-L")
            .add("list-long-option", "nvidia-smi", "--list-gpus")
            .add("list-ignores-cvd", env(CVD, "1"), "nvidia-smi", "-L")
            .add("query", "nvidia-smi", QUERY, "--format=csv,noheader")
            .add("query-header", "nvidia-smi", QUERY, "--format=csv")
            .add("query-nounits", "nvidia-smi", QUERY, "--format=csv,noheader,nounits")
            .add(
                "apps",
                "nvidia-smi",
                "--query-compute-apps=pid,gpu_uuid,used_memory",
                "--format=csv,noheader")
            .run(docker, DockerExtension.gpuFixture(host), List.of(NVD + "=all"));

    String list = fixture(host, "nvidia-smi-L.txt");
    String query = fixture(host, "query-gpu.csv");
    // The header line is real (captured on h200-1gpu) and the same for every host.
    String header = fixture("h200-1gpu", "query-gpu-header.csv").lines().findFirst().orElseThrow();
    assertAll(
        () -> assertSuccess(list, out.get("list")),
        () -> assertSuccess(list, out.get("list-long-option")),
        () -> assertSuccess(list, out.get("list-ignores-cvd")),
        () -> assertSuccess(query, out.get("query")),
        () -> assertSuccess(header + "\n" + query, out.get("query-header")),
        () -> assertSuccess(query.replace(" MiB, ", ", "), out.get("query-nounits")),
        () -> assertSuccess(fixtureOrEmpty(host, "compute-apps.csv"), out.get("apps")));
    if (host.equals("h200-1gpu")) {
      assertEquals(fixture(host, "query-gpu-header.csv"), out.get("query-header").stdout());
      // The real nounits capture: its first six fields are the standard query's.
      String wide = fixture(host, "query-gpu-wide.csv").strip();
      String firstSix = String.join(", ", Arrays.asList(wide.split(", ")).subList(0, 6));
      assertEquals(firstSix + "\n", out.get("query-nounits").stdout());
    }
  }

  /** Every line of both real CUDA_VISIBLE_DEVICES matrices, replayed with all GPUs exposed. */
  @TestFactory
  Stream<DynamicContainer> cudaViewReplaysTheMeasuredMatrices() {
    return Stream.of("h200-1gpu", "h200-2gpu")
        .map(host -> DynamicContainer.dynamicContainer(host, replayMatrix(host)));
  }

  private Stream<DynamicTest> replayMatrix(String host) {
    List<CvdMatrixLine> lines =
        CvdMatrixLine.parseAll(fixture(host, "cvd-matrix.txt"), uuids(host));
    ShellBatch batch = new ShellBatch();
    for (int i = 0; i < lines.size(); i++) {
      batch.add("line" + i, env(CVD, lines.get(i).cvd()), "llem-cuda-view");
    }
    Map<String, Outcome> out =
        batch.run(docker, DockerExtension.gpuFixture(host), List.of(NVD + "=all"));
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      CvdMatrixLine line = lines.get(i);
      Outcome outcome = out.get("line" + i);
      String name = line.cvd() == null ? "CVD unset" : "CVD=[" + line.cvd() + "]";
      tests.add(
          DynamicTest.dynamicTest(
              name,
              () -> {
                CudaView view = CudaView.parse(outcome);
                assertEquals(line.uuids(), view.uuids(), name);
                if (line.cuInit() != null) {
                  assertEquals(line.cuInit(), view.cuInit(), name + ": cuInit");
                } else {
                  assertEquals(line.uuids().isEmpty(), view.cuInit() != 0, name + ": cuInit");
                }
              }));
    }
    return tests.stream();
  }

  @Test
  void subsetExposureRenumbersAndCudaIndicesAreRelativeToIt() {
    List<String> hostUuids = uuids("h100x4");
    List<String> pair = List.of(hostUuids.get(1), hostUuids.get(2));
    Map<String, Outcome> out =
        new ShellBatch()
            .add("list", "nvidia-smi", "-L")
            .add("query", "nvidia-smi", QUERY, "--format=csv,noheader")
            .add(
                "apps",
                "nvidia-smi",
                "--query-compute-apps=pid,gpu_uuid,used_memory",
                "--format=csv,noheader")
            .add("cuda-unset", env(CVD, null), "llem-cuda-view")
            .add("cuda-0,1", env(CVD, "0,1"), "llem-cuda-view")
            .add("cuda-host-indices", env(CVD, "1,2"), "llem-cuda-view")
            .add(
                "cuda-prefixes-reversed",
                env(CVD, pair.get(1).substring(0, 12) + "," + pair.get(0).substring(0, 12)),
                "llem-cuda-view")
            .run(
                docker,
                DockerExtension.gpuFixture("h100x4"),
                List.of(NVD + "=" + String.join(",", pair)));

    List<String> listLines = fixture("h100x4", "nvidia-smi-L.txt").lines().toList();
    List<String> queryLines = fixture("h100x4", "query-gpu.csv").lines().toList();
    String expectedList =
        listLines.get(1).replaceFirst("^GPU 1:", "GPU 0:")
            + "\n"
            + listLines.get(2).replaceFirst("^GPU 2:", "GPU 1:")
            + "\n";
    String expectedQuery =
        queryLines.get(1).replaceFirst("^1, ", "0, ")
            + "\n"
            + queryLines.get(2).replaceFirst("^2, ", "1, ")
            + "\n";
    CudaView hostIndices = CudaView.parse(out.get("cuda-host-indices"));
    assertAll(
        () -> assertSuccess(expectedList, out.get("list")),
        () -> assertSuccess(expectedQuery, out.get("query")),
        // The busy process of h100x4 runs on GPU 0, which this container does not see.
        () -> assertSuccess("", out.get("apps")),
        () -> assertEquals(pair, CudaView.parse(out.get("cuda-unset")).uuids()),
        // The output contract shared with the real ctypes probe, byte for byte.
        () ->
            assertEquals(
                "# llem-cuda-view simulated (test double: reads /llem-sim/inventory, not real"
                    + " GPUs)\n"
                    + "cuInit: 0\n"
                    + "count: 2\n"
                    + "0: "
                    + pair.get(0)
                    + "\n1: "
                    + pair.get(1)
                    + "\n",
                out.get("cuda-unset").stdout()),
        () -> assertEquals(pair, CudaView.parse(out.get("cuda-0,1")).uuids()),
        () ->
            assertEquals(
                List.of(pair.get(1), pair.get(0)),
                CudaView.parse(out.get("cuda-prefixes-reversed")).uuids()),
        // The upstream bug: host indices copied into CUDA_VISIBLE_DEVICES select the wrong GPUs.
        () -> assertEquals(List.of(hostUuids.get(2)), hostIndices.uuids()),
        () -> assertNotEquals(pair, hostIndices.uuids()));
  }

  @Test
  void runtimeSelectorsAndTheirFailures() {
    List<String> h = uuids("h100x4");
    String unknownUuid = "GPU-ffffffff-0000-0000-0000-000000000000";
    String prefixOnly = h.get(1).substring(0, 12);
    ShellBatch batch =
        new ShellBatch()
            .add("indices", env(NVD, "2,1"), "llem-cuda-view")
            .add("bus-ids", env(NVD, "00000000:3A:00.0,0000:2a:00.0"), "llem-cuda-view")
            .add("repeated", env(NVD, "2,2," + h.get(2)), "llem-cuda-view")
            .add("none-smi", env(NVD, "none"), "nvidia-smi", "-L")
            .add("none-cuda", env(NVD, "none"), "llem-cuda-view")
            .add("bad-option", "nvidia-smi", "-x")
            .add("bad-field", "nvidia-smi", "--query-gpu=power.draw", "--format=csv")
            .add("no-format", "nvidia-smi", "--query-gpu=uuid")
            .add("bad-format", "nvidia-smi", "--query-gpu=uuid", "--format=json");
    Map<String, String> noGpuSupport = Map.of("void", "void", "empty", "");
    noGpuSupport.forEach(
        (name, value) ->
            batch
                .add(name + "-smi", env(NVD, value), "nvidia-smi", "-L")
                .add(name + "-cuda", env(NVD, value), "llem-cuda-view"));
    batch
        .add("unset-smi", env(NVD, null), "nvidia-smi", "-L")
        .add("unset-cuda", env(NVD, null), "llem-cuda-view");
    List<String> unknown = List.of("4", prefixOnly, unknownUuid, "1,x", "0:0", "00000000:99:00.0");
    for (String entry : unknown) {
      batch
          .add("unknown-smi " + entry, env(NVD, entry), "nvidia-smi", "-L")
          .add("unknown-cuda " + entry, env(NVD, entry), "llem-cuda-view");
    }
    Map<String, Outcome> out =
        batch.run(docker, DockerExtension.gpuFixture("h100x4"), List.of(NVD + "=all"));

    List<Executable> checks = new ArrayList<>();
    checks.add(
        () ->
            assertEquals(
                List.of(h.get(1), h.get(2)),
                CudaView.parse(out.get("indices")).uuids(),
                "PCI bus order whatever the list order"));
    checks.add(
        () ->
            assertEquals(List.of(h.get(1), h.get(2)), CudaView.parse(out.get("bus-ids")).uuids()));
    checks.add(() -> assertEquals(List.of(h.get(2)), CudaView.parse(out.get("repeated")).uuids()));
    checks.add(() -> assertOutcome(6, "No devices were found\n", out.get("none-smi")));
    checks.add(
        () -> {
          CudaView none = CudaView.parse(out.get("none-cuda"));
          assertEquals(100, none.cuInit());
          assertEquals(List.of(), none.uuids());
        });
    for (String bad : List.of("bad-option", "bad-field", "no-format", "bad-format")) {
      checks.add(
          () -> {
            Outcome o = out.get(bad);
            assertTrue(
                o.exitCode() != 0 && o.stdout().isEmpty() && !o.stderr().isEmpty(), bad + ": " + o);
          });
    }
    for (String name : List.of("void", "empty", "unset")) {
      checks.add(() -> assertOutcome(127, "", out.get(name + "-smi")));
      checks.add(() -> assertOutcome(3, "", out.get(name + "-cuda")));
    }
    for (String entry : unknown) {
      // The runtime names the first entry it does not know ("x" in "1,x").
      String first = entry.equals("1,x") ? "x" : entry;
      String expected = "nvidia-container-cli: device error: " + first + ": unknown device";
      for (String tool : List.of("smi", "cuda")) {
        checks.add(
            () -> {
              Outcome o = out.get("unknown-" + tool + " " + entry);
              assertOutcome(125, "", o);
              assertTrue(o.stderr().startsWith(expected + "\n"), entry + ": " + o.stderr());
            });
      }
    }
    assertAll(checks);
  }

  @Test
  void unknownDeviceInTheContainersOwnEnvironmentFailsBothTools() {
    String unknownUuid = "GPU-ffffffff-0000-0000-0000-000000000000";
    Map<String, Outcome> out =
        new ShellBatch()
            .add("smi", "nvidia-smi", "-L")
            .add("cuda", "llem-cuda-view")
            .run(docker, DockerExtension.gpuFixture("h100x4"), List.of(NVD + "=" + unknownUuid));
    String expected = "nvidia-container-cli: device error: " + unknownUuid + ": unknown device\n";
    assertAll(
        () -> assertOutcome(125, "", out.get("smi")),
        () -> assertTrue(out.get("smi").stderr().startsWith(expected), out.get("smi").stderr()),
        () -> assertOutcome(125, "", out.get("cuda")),
        () -> assertTrue(out.get("cuda").stderr().startsWith(expected), out.get("cuda").stderr()));
  }

  @Test
  void migInstancesByGpuColonMigAndByUuid() {
    List<String> gpus = uuids("a100-mig");
    List<String> list = fixture("a100-mig", "nvidia-smi-L.txt").lines().toList();
    String parentLine = list.get(0);
    String mig0Line = list.get(1);
    String mig1Line = list.get(2);
    String mig0 = uuidIn(mig0Line);
    String mig1 = uuidIn(mig1Line);
    Map<String, Outcome> out =
        new ShellBatch()
            .add("all-cuda", "llem-cuda-view")
            .add("all-cuda-mig1", env(CVD, mig1), "llem-cuda-view")
            .add("0:1-list", env(NVD, "0:1"), "nvidia-smi", "-L")
            .add(
                "0:1-query",
                env(NVD, "0:1"),
                "nvidia-smi",
                "--query-gpu=index,uuid",
                "--format=csv,noheader")
            .add("0:1-cuda", env(NVD, "0:1"), "llem-cuda-view")
            .add("uuid-list", env(NVD, mig0), "nvidia-smi", "-L")
            .add("uuid-cuda", env(NVD, mig0), "llem-cuda-view")
            .add("both-list", env(NVD, mig1 + "," + mig0), "nvidia-smi", "-L")
            .add("both-cuda", env(NVD, mig1 + "," + mig0), "llem-cuda-view")
            .add(
                "both-cuda-cvd",
                Map.of(NVD, mig1 + "," + mig0, CVD, mig0 + "," + mig1),
                "llem-cuda-view")
            .add("mig-and-gpu-list", env(NVD, "1,0:1"), "nvidia-smi", "-L")
            .add("mig-and-gpu-cuda", env(NVD, "1,0:1"), "llem-cuda-view")
            .add("1:0", env(NVD, "1:0"), "nvidia-smi", "-L")
            .add("0:2", env(NVD, "0:2"), "llem-cuda-view")
            .run(docker, DockerExtension.gpuFixture("a100-mig"), List.of(NVD + "=all"));

    String renumbered = mig1Line.replace("Device  1:", "Device  0:");
    assertAll(
        // A CUDA process enumerates at most one MIG instance: the first, then the full GPU 1.
        () -> assertEquals(List.of(mig0, gpus.get(1)), CudaView.parse(out.get("all-cuda")).uuids()),
        () -> assertEquals(List.of(mig1), CudaView.parse(out.get("all-cuda-mig1")).uuids()),
        () -> assertSuccess(parentLine + "\n" + renumbered + "\n", out.get("0:1-list")),
        // --query-gpu shows only the parent GPU: the MIG UUID must come from -L.
        () -> assertSuccess("0, " + gpus.get(0) + "\n", out.get("0:1-query")),
        () -> assertEquals(List.of(mig1), CudaView.parse(out.get("0:1-cuda")).uuids()),
        () -> assertSuccess(parentLine + "\n" + mig0Line + "\n", out.get("uuid-list")),
        () -> assertEquals(List.of(mig0), CudaView.parse(out.get("uuid-cuda")).uuids()),
        () -> assertSuccess(String.join("\n", list.subList(0, 3)) + "\n", out.get("both-list")),
        () -> assertEquals(List.of(mig0), CudaView.parse(out.get("both-cuda")).uuids()),
        () -> assertEquals(List.of(mig0), CudaView.parse(out.get("both-cuda-cvd")).uuids()),
        () ->
            assertSuccess(
                parentLine + "\n" + renumbered + "\n" + list.get(3) + "\n",
                out.get("mig-and-gpu-list")),
        () ->
            assertEquals(
                List.of(mig1, gpus.get(1)), CudaView.parse(out.get("mig-and-gpu-cuda")).uuids()),
        () -> assertOutcome(125, "", out.get("1:0")),
        () -> assertOutcome(125, "", out.get("0:2")));
  }

  @Test
  void withoutAnInventoryTheToolsSaySo() {
    Map<String, Outcome> out =
        new ShellBatch()
            .add("smi", "nvidia-smi", "-L")
            .add("cuda", "llem-cuda-view")
            .run(docker, null, List.of(NVD + "=all"));
    assertAll(
        () -> assertOutcome(2, "", out.get("smi")),
        () -> assertOutcome(2, "", out.get("cuda")),
        () ->
            assertTrue(
                out.get("cuda").stderr().contains("/llem-sim/inventory"),
                out.get("cuda").stderr()));
  }

  // ---- helpers ----

  private static void assertSuccess(String expectedStdout, Outcome outcome) {
    assertOutcome(0, expectedStdout, outcome);
    assertEquals("", outcome.stderr(), "stderr");
  }

  private static void assertOutcome(int exitCode, String expectedStdout, Outcome outcome) {
    assertEquals(expectedStdout, outcome.stdout(), () -> "stdout of " + outcome);
    assertEquals(exitCode, outcome.exitCode(), () -> "exit code of " + outcome);
  }

  private static String fixture(String host, String file) {
    try {
      return Files.readString(DockerExtension.gpuFixture(host).resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String fixtureOrEmpty(String host, String file) {
    Path path = DockerExtension.gpuFixture(host).resolve(file);
    return Files.exists(path) ? fixture(host, file) : "";
  }

  /** Host GPU UUIDs in index order, from the fixture's query-gpu.csv. */
  private static List<String> uuids(String host) {
    return fixture(host, "query-gpu.csv").lines().map(l -> l.split(", ")[1]).toList();
  }

  private static String uuidIn(String listLine) {
    Matcher m = Pattern.compile("\\(UUID: ([^)]+)\\)").matcher(listLine);
    assertTrue(m.find(), listLine);
    return m.group(1);
  }
}
