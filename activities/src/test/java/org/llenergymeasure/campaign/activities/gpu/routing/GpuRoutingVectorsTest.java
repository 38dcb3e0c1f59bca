package org.llenergymeasure.campaign.activities.gpu.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.llenergymeasure.campaign.activities.RunFailureException;
import org.llenergymeasure.campaign.activities.gpu.Fixtures;
import org.llenergymeasure.campaign.activities.gpu.inventory.HostInventory;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.config.BusyPolicy;
import org.llenergymeasure.campaign.config.GpuRequest;
import org.llenergymeasure.campaign.config.Parallelism;
import org.llenergymeasure.campaign.workflows.host.DeviceMapping;
import org.llenergymeasure.campaign.workflows.host.DeviceRequestSpec;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.RoutedDevice;

/**
 * The 30 test vectors of gpu-routing.md. Every expected value is written out from the spec and the
 * fixture files (UUIDs copied from query-gpu.csv / nvidia-smi-L.txt), never from the router.
 */
class GpuRoutingVectorsTest {

  // H1 = h100x4: PCI 18, 2A, 3A, 5D; pid 48211 (2566 MiB) on GPU 0.
  static final String G0 = "GPU-0a1b2c3d-1111-4e5f-8a9b-000000000000";
  static final String G1 = "GPU-1b2c3d4e-2222-4f60-9bac-111111111111";
  static final String G2 = "GPU-2c3d4e5f-3333-4071-acbd-222222222222";
  static final String G3 = "GPU-3d4e5f60-4444-4182-bdce-333333333333";
  static final String H100 = "NVIDIA H100 80GB HBM3";
  // H2 = a100-mig: GPU 0 in MIG mode with instances 0 and 1, GPU 1 full.
  static final String A0 = "GPU-5e6f7081-aaaa-4b3c-8d9e-444444444444";
  static final String A1 = "GPU-6f708192-bbbb-4c4d-9eaf-555555555555";
  static final String M0 = "MIG-7a8b9cad-cccc-5d5e-a0b1-666666666666";
  static final String M1 = "MIG-8b9cadbe-dddd-5e6f-b1c2-777777777777";
  static final String A100 = "NVIDIA A100-SXM4-80GB";
  // H3 = mixed-t4-h100: T4 = GPU 0 at bus 18, H100 PCIe = GPU 1 at bus 3B.
  static final String T4 = "GPU-9cadbecf-eeee-4f70-c2d3-888888888888";
  static final String H100P = "GPU-adbecfd0-ffff-4081-d3e4-999999999999";
  // H0 = h200-1gpu (real).
  static final String H200 = "GPU-ce5f3ece-a5f2-5612-b320-42cc4e6f1ce9";

  static final String NVD = "NVIDIA_VISIBLE_DEVICES";
  static final String CVD = "CUDA_VISIBLE_DEVICES";
  static final String CDO = "CUDA_DEVICE_ORDER";
  static final String NDC = "NVIDIA_DRIVER_CAPABILITIES";

  /** One row of the table: a request on a host and what must come out. */
  record Vector(String host, RoutingRequest request, Expected expected) {}

  sealed interface Expected permits Ok, Refused {}

  record Ok(
      List<RoutedDevice> devices,
      Map<String, String> env,
      DeviceRequestSpec deviceRequest,
      int expectedDeviceCount,
      List<String> expectedUuids,
      List<DeviceMapping> mapping)
      implements Expected {}

  record Refused(String type, boolean retryable, List<String> messageParts) implements Expected {}

  static Stream<Arguments> vectors() {
    List<Arguments> rows = new ArrayList<>();
    rows.add(
        row(
            "1",
            "H1 C [1,2]",
            "h100x4",
            req(list("1", "2"), AttachMode.DEVICE_REQUEST),
            new Ok(
                List.of(gpu(G1, 1, H100), gpu(G2, 2, H100)),
                Map.of(NVD, G1 + "," + G2, CVD, "0,1", CDO, "PCI_BUS_ID", NDC, "compute,utility"),
                nvidia(G1, G2),
                2,
                List.of(G1, G2),
                List.of(new DeviceMapping(0, G1, 1), new DeviceMapping(1, G2, 2)))));
    rows.add(
        row(
            "2",
            "H1 P [1,2]",
            "h100x4",
            req(list("1", "2"), AttachMode.PROCESS),
            new Ok(
                List.of(gpu(G1, 1, H100), gpu(G2, 2, H100)),
                Map.of(CVD, G1 + "," + G2, CDO, "PCI_BUS_ID"),
                null,
                2,
                List.of(G1, G2),
                List.of(new DeviceMapping(0, G1, 1), new DeviceMapping(1, G2, 2)))));
    rows.add(
        row(
            "3",
            "H1 C [2,0] busy=ignore: PCI order",
            "h100x4",
            req(list("2", "0"), AttachMode.DEVICE_REQUEST, BusyPolicy.IGNORE),
            new Ok(
                List.of(gpu(G0, 0, H100), gpu(G2, 2, H100)),
                Map.of(NVD, G0 + "," + G2, CVD, "0,1", CDO, "PCI_BUS_ID", NDC, "compute,utility"),
                nvidia(G0, G2),
                2,
                List.of(G0, G2),
                List.of(new DeviceMapping(0, G0, 0), new DeviceMapping(1, G2, 2)))));
    rows.add(
        row(
            "4",
            "H1 [1,1] duplicate",
            "h100x4",
            req(list("1", "1"), AttachMode.DEVICE_REQUEST),
            refused("InvalidGpuSelection", false, "duplicate", "GPU 1", G1)));
    rows.add(
        row(
            "5",
            "H1 [4] out of range",
            "h100x4",
            req(list("4"), AttachMode.DEVICE_REQUEST),
            refused(
                "InvalidGpuSelection",
                false,
                "GPU 4 is out of range",
                "host h100x4 has GPUs 0-3")));
    for (String bad : List.of("-1", "0a", "")) {
      rows.add(
          row(
              "6",
              "H1 [\"" + bad + "\"] invalid selector",
              "h100x4",
              req(list(bad), AttachMode.DEVICE_REQUEST),
              refused(
                  "InvalidGpuSelection", false, "invalid GPU selector \"" + bad + "\"", "0-3")));
    }
    rows.add(
        row(
            "7",
            "H1 [GPU-1b2c] unique prefix",
            "h100x4",
            req(list("GPU-1b2c"), AttachMode.DEVICE_REQUEST),
            new Ok(
                List.of(gpu(G1, 1, H100)),
                Map.of(NVD, G1, CVD, "0", CDO, "PCI_BUS_ID", NDC, "compute,utility"),
                nvidia(G1),
                1,
                List.of(G1),
                List.of(new DeviceMapping(0, G1, 1)))));
    rows.add(
        row(
            "8",
            "H1 [GPU-] ambiguous prefix",
            "h100x4",
            req(list("GPU-"), AttachMode.DEVICE_REQUEST),
            refused("InvalidGpuSelection", false, "ambiguous", G0, G1, G2, G3)));
    rows.add(
        row(
            "9",
            "H1 lower-case UUID normalised",
            "h100x4",
            req(list("gpu-1b2c3d4e-2222-4f60-9bac-111111111111"), AttachMode.DEVICE_REQUEST),
            new Ok(
                List.of(gpu(G1, 1, H100)),
                Map.of(NVD, G1, CVD, "0", CDO, "PCI_BUS_ID", NDC, "compute,utility"),
                nvidia(G1),
                1,
                List.of(G1),
                List.of(new DeviceMapping(0, G1, 1)))));
    rows.add(
        row(
            "10",
            "H1 unknown UUID",
            "h100x4",
            req(list("GPU-ffffffff-0000-0000-0000-000000000000"), AttachMode.DEVICE_REQUEST),
            refused(
                "InvalidGpuSelection",
                false,
                "unknown GPU UUID",
                "GPU-ffffffff-0000-0000-0000-000000000000")));
    // H1's GPU 0 runs pid 48211; with the default busy: wait `all` would wait (tested in
    // GpuRouterTest), so the vector, which is about listing every UUID, runs with busy: ignore.
    rows.add(
        row(
            "11",
            "H1 C all (busy=ignore)",
            "h100x4",
            new RoutingRequest(
                GpuRequest.all(),
                null,
                AttachMode.DEVICE_REQUEST,
                Map.of(),
                BusyPolicy.IGNORE,
                false),
            new Ok(
                List.of(gpu(G0, 0, H100), gpu(G1, 1, H100), gpu(G2, 2, H100), gpu(G3, 3, H100)),
                Map.of(
                    NVD, G0 + "," + G1 + "," + G2 + "," + G3,
                    CVD, "0,1,2,3",
                    CDO, "PCI_BUS_ID",
                    NDC, "compute,utility"),
                nvidia(G0, G1, G2, G3),
                4,
                List.of(G0, G1, G2, G3),
                List.of(
                    new DeviceMapping(0, G0, 0),
                    new DeviceMapping(1, G1, 1),
                    new DeviceMapping(2, G2, 2),
                    new DeviceMapping(3, G3, 3)))));
    rows.add(
        row(
            "12",
            "H1 C none",
            "h100x4",
            req(GpuRequest.none(), AttachMode.DEVICE_REQUEST),
            new Ok(
                List.of(),
                Map.of(NVD, "void", CVD, "", CDO, "PCI_BUS_ID"),
                null,
                0,
                List.of(),
                List.of())));
    rows.add(
        row(
            "13",
            "H1 C count: 2, busy=wait: idle GPUs 1,2",
            "h100x4",
            req(GpuRequest.count(2), AttachMode.DEVICE_REQUEST, BusyPolicy.WAIT),
            new Ok(
                List.of(gpu(G1, 1, H100), gpu(G2, 2, H100)),
                Map.of(NVD, G1 + "," + G2, CVD, "0,1", CDO, "PCI_BUS_ID", NDC, "compute,utility"),
                nvidia(G1, G2),
                2,
                List.of(G1, G2),
                List.of(new DeviceMapping(0, G1, 1), new DeviceMapping(1, G2, 2)))));
    rows.add(
        row(
            "14",
            "H1 [0,1] busy=fail",
            "h100x4",
            req(list("0", "1"), AttachMode.DEVICE_REQUEST, BusyPolicy.FAIL),
            refused("GpuBusy", false, "GPU 0 busy", "pid 48211", "2566 MiB")));
    rows.add(
        row(
            "15",
            "H1 [0,1] busy=wait",
            "h100x4",
            req(list("0", "1"), AttachMode.DEVICE_REQUEST, BusyPolicy.WAIT),
            refused("GpuBusy", true, "GPU 0 busy", "pid 48211")));
    rows.add(
        row(
            "16",
            "H1 [0,1] tensor 4",
            "h100x4",
            new RoutingRequest(
                list("0", "1"),
                new Parallelism(4, 1),
                AttachMode.DEVICE_REQUEST,
                Map.of(),
                BusyPolicy.WAIT,
                false),
            refused(
                "ParallelismMismatch", false, "tensor×pipeline parallel = 4", "2 GPUs selected")));
    rows.add(
        row(
            "17",
            "H1 C [1] + env NVIDIA_VISIBLE_DEVICES=0",
            "h100x4",
            new RoutingRequest(
                list("1"),
                null,
                AttachMode.DEVICE_REQUEST,
                Map.of(NVD, "0"),
                BusyPolicy.WAIT,
                false),
            refused(
                "RoutingConflict", false, "NVIDIA_VISIBLE_DEVICES=0", "contradicts the routing")));
    rows.add(
        row(
            "18",
            "H1 C [1] + env CUDA_VISIBLE_DEVICES=1",
            "h100x4",
            new RoutingRequest(
                list("1"),
                null,
                AttachMode.DEVICE_REQUEST,
                Map.of(CVD, "1"),
                BusyPolicy.WAIT,
                false),
            refused(
                "RoutingConflict",
                false,
                "CUDA_VISIBLE_DEVICES=1",
                "would select a host index inside the container")));
    rows.add(
        row(
            "19",
            "H1 C [1] privileged",
            "h100x4",
            new RoutingRequest(
                list("1"), null, AttachMode.DEVICE_REQUEST, Map.of(), BusyPolicy.WAIT, true),
            refused("RoutingConflict", false, "privileged containers see every GPU")));
    rows.add(
        row(
            "20",
            "H1 attach env [1,2]",
            "h100x4",
            req(list("1", "2"), AttachMode.ENV),
            new Ok(
                List.of(gpu(G1, 1, H100), gpu(G2, 2, H100)),
                Map.of(NVD, G1 + "," + G2, CVD, "0,1", CDO, "PCI_BUS_ID", NDC, "compute,utility"),
                null,
                2,
                List.of(G1, G2),
                List.of(new DeviceMapping(0, G1, 1), new DeviceMapping(1, G2, 2)))));
    rows.add(
        row(
            "21",
            "H1 attach cdi [1]",
            "h100x4",
            req(list("1"), AttachMode.CDI),
            new Ok(
                List.of(gpu(G1, 1, H100)),
                Map.of(NVD, G1, CVD, "0", CDO, "PCI_BUS_ID", NDC, "compute,utility"),
                new DeviceRequestSpec(
                    "cdi", List.of("nvidia.com/gpu=" + G1), List.of(List.of("gpu"))),
                1,
                List.of(G1),
                List.of(new DeviceMapping(0, G1, 1)))));
    rows.add(
        row(
            "22",
            "H2 [0:1] second MIG instance",
            "a100-mig",
            req(list("0:1"), AttachMode.DEVICE_REQUEST),
            new Ok(
                List.of(new RoutedDevice(M1, 0, A100, A0, 1)),
                Map.of(NVD, M1, CVD, "0", CDO, "PCI_BUS_ID", NDC, "compute,utility"),
                nvidia(M1),
                1,
                List.of(M1),
                List.of(new DeviceMapping(0, M1, 0)))));
    rows.add(
        row(
            "23",
            "H2 two MIG UUIDs",
            "a100-mig",
            req(list(M0, M1), AttachMode.DEVICE_REQUEST),
            refused("MigSelection", false, "one MIG instance per CUDA process", M0, M1)));
    rows.add(
        row(
            "24",
            "H2 [1:0] not MIG",
            "a100-mig",
            req(list("1:0"), AttachMode.DEVICE_REQUEST),
            refused("MigSelection", false, "GPU 1 is not in MIG mode")));
    rows.add(
        row(
            "25",
            "H2 [0] MIG-mode GPU",
            "a100-mig",
            req(list("0"), AttachMode.DEVICE_REQUEST),
            refused("MigSelection", false, "GPU 0 is in MIG mode", "0:0 or 0:1")));
    rows.add(
        row(
            "26",
            "H2 [0:0, 1] mix",
            "a100-mig",
            req(list("0:0", "1"), AttachMode.DEVICE_REQUEST),
            refused("MigSelection", false, "cannot mix MIG instances and full GPUs")));
    rows.add(
        row(
            "27",
            "H2 [0:2] no such MIG device",
            "a100-mig",
            req(list("0:2"), AttachMode.DEVICE_REQUEST),
            refused("MigSelection", false, "MIG device 2 does not exist on GPU 0 (has 0-1)")));
    rows.add(
        row(
            "28",
            "H3 P [1] the H100, by UUID",
            "mixed-t4-h100",
            req(list("1"), AttachMode.PROCESS),
            new Ok(
                List.of(gpu(H100P, 1, "NVIDIA H100 PCIe")),
                Map.of(CVD, H100P, CDO, "PCI_BUS_ID"),
                null,
                1,
                List.of(H100P),
                List.of(new DeviceMapping(0, H100P, 1)))));
    rows.add(
        row(
            "29",
            "H0 P [0] real H200",
            "h200-1gpu",
            req(list("0"), AttachMode.PROCESS),
            new Ok(
                List.of(gpu(H200, 0, "NVIDIA H200")),
                Map.of(CVD, "GPU-ce5f3ece-a5f2-5612-b320-42cc4e6f1ce9", CDO, "PCI_BUS_ID"),
                null,
                1,
                List.of(H200),
                List.of(new DeviceMapping(0, H200, 0)))));
    rows.add(
        row(
            "30",
            "H0 [1] out of range",
            "h200-1gpu",
            req(list("1"), AttachMode.DEVICE_REQUEST),
            refused(
                "InvalidGpuSelection",
                false,
                "GPU 1 is out of range",
                "host h200-1gpu has only GPU 0")));
    return rows.stream();
  }

  @ParameterizedTest(name = "vector {0}: {1}")
  @MethodSource("vectors")
  void vector(String number, String description, Vector v) {
    HostInventory host = Fixtures.host(v.host());
    if (v.expected() instanceof Ok ok) {
      GpuRouting r = GpuRouter.route(host, v.request());
      assertEquals(v.host(), r.hostId());
      assertTrue(r.simulated());
      assertEquals(v.request().attach(), r.attach());
      assertEquals(ok.devices(), r.devices());
      assertEquals(new TreeMap<>(ok.env()), r.env());
      assertEquals(ok.deviceRequest(), r.deviceRequest());
      assertEquals(ok.expectedDeviceCount(), r.expectedDeviceCount());
      assertEquals(ok.expectedUuids(), r.expectedUuids());
      assertEquals(ok.mapping(), r.mapping());
      // Never "all"/"none" in CUDA_VISIBLE_DEVICES: CUDA reads both as invalid (cvd-matrix).
      String cvd = r.env().get(CVD);
      assertTrue(cvd == null || !(cvd.equals("all") || cvd.equals("none")));
    } else {
      Refused no = (Refused) v.expected();
      RunFailureException e =
          assertThrows(RunFailureException.class, () -> GpuRouter.route(host, v.request()));
      assertEquals(no.type(), e.type(), e.toString());
      assertEquals(no.retryable(), e.retryable(), e.toString());
      for (String part : no.messageParts()) {
        assertTrue(
            e.getMessage().contains(part), "expected \"" + part + "\" in: " + e.getMessage());
      }
    }
  }

  private static Arguments row(
      String number, String description, String host, RoutingRequest r, Expected e) {
    return Arguments.of(number, description, new Vector(host, r, e));
  }

  static GpuRequest list(String... selectors) {
    return GpuRequest.of(List.of(selectors));
  }

  static RoutingRequest req(GpuRequest gpus, AttachMode attach) {
    return req(gpus, attach, BusyPolicy.WAIT);
  }

  static RoutingRequest req(GpuRequest gpus, AttachMode attach, BusyPolicy busy) {
    return new RoutingRequest(gpus, null, attach, Map.of(), busy, false);
  }

  static RoutedDevice gpu(String uuid, int index, String name) {
    return new RoutedDevice(uuid, index, name, null, null);
  }

  static DeviceRequestSpec nvidia(String... uuids) {
    return new DeviceRequestSpec("nvidia", List.of(uuids), List.of(List.of("gpu")));
  }

  static Refused refused(String type, boolean retryable, String... parts) {
    return new Refused(type, retryable, List.of(parts));
  }
}
