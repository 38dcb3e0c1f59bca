package org.llenergymeasure.campaign.activities.gpu.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.activities.gpu.Fixtures;
import org.llenergymeasure.campaign.config.AttachMode;
import org.llenergymeasure.campaign.workflows.host.DeviceMapping;
import org.llenergymeasure.campaign.workflows.host.DeviceRequestSpec;
import org.llenergymeasure.campaign.workflows.host.GpuRouting;
import org.llenergymeasure.campaign.workflows.host.RoutedDevice;

/** Routings are written out by hand here so that the verifier is tested on its own. */
class RoutingVerifierTest {

  static final String G0 = "GPU-0a1b2c3d-1111-4e5f-8a9b-000000000000";
  static final String G1 = "GPU-1b2c3d4e-2222-4f60-9bac-111111111111";
  static final String G2 = "GPU-2c3d4e5f-3333-4071-acbd-222222222222";
  static final String G3 = "GPU-3d4e5f60-4444-4182-bdce-333333333333";
  static final String A0 = "GPU-5e6f7081-aaaa-4b3c-8d9e-444444444444";
  static final String M1 = "MIG-8b9cadbe-dddd-5e6f-b1c2-777777777777";
  // h200-2gpu (real)
  static final String R0 = "GPU-5a93e929-1998-96ea-22da-81bdfbd0251b";
  static final String R1 = "GPU-50cd15cd-5bbf-cc4a-8012-afc6cd9b8def";

  /** H1 [1,2] in a container (vector 1). */
  static final GpuRouting H1_1_2 =
      routing(
          AttachMode.DEVICE_REQUEST,
          List.of(
              new RoutedDevice(G1, 1, "H100", null, null),
              new RoutedDevice(G2, 2, "H100", null, null)));

  static GpuRouting routing(AttachMode attach, List<RoutedDevice> devices) {
    List<String> uuids = devices.stream().map(RoutedDevice::uuid).toList();
    List<DeviceMapping> mapping = new ArrayList<>();
    for (int i = 0; i < devices.size(); i++) {
      mapping.add(new DeviceMapping(i, uuids.get(i), devices.get(i).index()));
    }
    DeviceRequestSpec dr =
        attach == AttachMode.DEVICE_REQUEST && !uuids.isEmpty()
            ? new DeviceRequestSpec("nvidia", uuids, List.of(List.of("gpu")))
            : null;
    return new GpuRouting("h", attach, devices, Map.of(), dr, uuids.size(), uuids, mapping, true);
  }

  static String smiList(String... uuids) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < uuids.length; i++) {
      sb.append("GPU ")
          .append(i)
          .append(": NVIDIA H100 80GB HBM3 (UUID: ")
          .append(uuids[i])
          .append(")\n");
    }
    return sb.toString();
  }

  static String cudaView(String... uuids) {
    StringBuilder sb =
        new StringBuilder("# llem-cuda-view test\ncuInit: 0\ncount: " + uuids.length + "\n");
    for (int i = 0; i < uuids.length; i++) {
      sb.append(i).append(": ").append(uuids[i]).append('\n');
    }
    return sb.toString();
  }

  @Test
  void bothViewsMatch() {
    Verification v = RoutingVerifier.verify(H1_1_2, smiList(G1, G2), cudaView(G1, G2));
    assertTrue(v.passed(), v.explanation());
    assertEquals(List.of(G1, G2), v.deviceView());
    assertEquals(List.of(G1, G2), v.cudaView());
    assertTrue(
        v.explanation().contains("the device view and the CUDA view match"), v.explanation());
  }

  @Test
  void hostIndicesCopiedIntoCudaVisibleDevices() {
    // The upstream bug: CUDA_VISIBLE_DEVICES=1,2 inside a container holding host GPUs 1 and 2.
    // Container device 1 is host GPU 2; "2" does not exist there, so CUDA stops: one device.
    Verification v = RoutingVerifier.verify(H1_1_2, smiList(G1, G2), cudaView(G2));
    assertFalse(v.passed());
    assertEquals(List.of(G2), v.cudaView());
    assertTrue(
        v.explanation()
            .startsWith(
                "expected GPU-1b2c3d4e… (host GPU 1), GPU-2c3d4e5f… (host GPU 2) in that order;"
                    + " CUDA saw GPU-2c3d4e5f… (host GPU 2) only: CUDA_VISIBLE_DEVICES inside the"
                    + " run selects host indices?"),
        v.explanation());
  }

  @Test
  void wrongOrder() {
    Verification v = RoutingVerifier.verify(H1_1_2, smiList(G1, G2), cudaView(G2, G1));
    assertFalse(v.passed());
    assertTrue(v.explanation().contains("another order"), v.explanation());
  }

  @Test
  void theRuntimeExposedEveryGpu() {
    Verification v = RoutingVerifier.verify(H1_1_2, smiList(G0, G1, G2, G3), cudaView(G1, G2));
    assertFalse(v.passed());
    assertEquals(4, v.deviceView().size());
    assertTrue(v.explanation().contains("not routed"), v.explanation());
    assertTrue(v.explanation().contains("GPU-0a1b2c3d…"), v.explanation());
  }

  @Test
  void theRuntimeExposedTooFew() {
    Verification v = RoutingVerifier.verify(H1_1_2, smiList(G1), null);
    assertFalse(v.passed());
    assertTrue(v.explanation().contains("did not expose every routed GPU"), v.explanation());
  }

  @Test
  void duplicateInCudaVisibleDevicesFailsCuInit() {
    Verification v = RoutingVerifier.verify(H1_1_2, smiList(G1, G2), "cuInit: 101\ncount: 0\n");
    assertFalse(v.passed());
    assertEquals(List.of(), v.cudaView());
    assertTrue(v.explanation().contains("cuInit returned 101"), v.explanation());
    assertTrue(v.explanation().contains("duplicate"), v.explanation());
  }

  @Test
  void containerWithoutCudaViewPassesOnTheDeviceViewAndSaysSo() {
    Verification v =
        RoutingVerifier.verify(H1_1_2, "GPU-1b2c3d4e-2222-4f60-9bac-111111111111\n" + G2, null);
    assertTrue(v.passed(), v.explanation());
    assertNull(v.cudaView());
    assertTrue(v.explanation().contains("the CUDA view was not run"), v.explanation());
  }

  @Test
  void containerWithoutDeviceViewFails() {
    Verification v = RoutingVerifier.verify(H1_1_2, null, cudaView(G1, G2));
    assertFalse(v.passed());
    assertTrue(
        v.explanation().contains("device view (nvidia-smi -L) gave no output"), v.explanation());
  }

  @Test
  void processModeChecksOnlyTheCudaView() {
    GpuRouting process =
        routing(
            AttachMode.PROCESS,
            List.of(
                new RoutedDevice(G1, 1, "H100", null, null),
                new RoutedDevice(G2, 2, "H100", null, null)));
    // nvidia-smi on the host lists every GPU: irrelevant for a process.
    Verification v = RoutingVerifier.verify(process, smiList(G0, G1, G2, G3), cudaView(G1, G2));
    assertTrue(v.passed(), v.explanation());
    assertNull(v.deviceView());
    Verification none = RoutingVerifier.verify(process, smiList(G1, G2), null);
    assertFalse(none.passed());
  }

  @Test
  void migRoutingExpectsTheMigUuid() {
    GpuRouting mig =
        routing(AttachMode.DEVICE_REQUEST, List.of(new RoutedDevice(M1, 0, "A100", A0, 1)));
    String deviceView =
        "GPU 0: NVIDIA A100-SXM4-80GB (UUID: "
            + A0
            + ")\n  MIG 3g.40gb     Device  0: (UUID: "
            + M1
            + ")\n";
    Verification v = RoutingVerifier.verify(mig, deviceView, cudaView(M1));
    assertTrue(v.passed(), v.explanation());
    assertEquals(List.of(M1), v.deviceView());
    Verification parentOnly =
        RoutingVerifier.verify(mig, "GPU-5e6f7081-aaaa-4b3c-8d9e-444444444444\n", null);
    assertFalse(parentOnly.passed());
    assertTrue(parentOnly.explanation().contains("host MIG 0:1"), parentOnly.explanation());
  }

  @Test
  void gpusNone() {
    GpuRouting none = routing(AttachMode.DEVICE_REQUEST, List.of());
    assertTrue(RoutingVerifier.verify(none, null, null).passed());
    assertTrue(RoutingVerifier.verify(none, null, "cuInit: 100\ncount: 0\n").passed());
    Verification leak = RoutingVerifier.verify(none, smiList(G0), null);
    assertFalse(leak.passed());
    assertTrue(leak.explanation().startsWith("expected no GPU"), leak.explanation());
  }

  @Test
  void uuidCaseDoesNotMatter() {
    assertTrue(
        RoutingVerifier.verify(H1_1_2, smiList(G1, G2), cudaView(G1.toUpperCase(), G2)).passed());
  }

  @Test
  void unreadableProbeOutputIsAProbeFailureNotAMismatch() {
    ProbeOutputException e =
        assertThrows(
            ProbeOutputException.class,
            () -> RoutingVerifier.verify(H1_1_2, smiList(G1, G2), "python3: not found\n"));
    assertEquals("ProbeFailed", e.type());
  }

  /**
   * The real two-H200 CUDA_VISIBLE_DEVICES matrix, replayed as CUDA views of a process routed to
   * both GPUs: only the rows where CUDA saw both GPUs in PCI order pass.
   */
  @Test
  void realCvdMatrixAgainstARoutingOfBothGpus() {
    GpuRouting both =
        routing(
            AttachMode.PROCESS,
            List.of(
                new RoutedDevice(R0, 0, "NVIDIA H200", null, null),
                new RoutedDevice(R1, 1, "NVIDIA H200", null, null)));
    Pattern row = Pattern.compile("CVD=\\[(.*?)\\] cuda_view: (.*?)  \\| torch: .*");
    List<String> passed = new ArrayList<>();
    int rows = 0;
    for (String line : Fixtures.read("h200-2gpu/cvd-matrix.txt").split("\n")) {
      Matcher m = row.matcher(line);
      assertTrue(m.matches(), line);
      rows++;
      String view = m.group(2).strip();
      String output;
      if (view.startsWith("cuInit failed: CUresult ")) {
        output = "cuInit: " + view.substring("cuInit failed: CUresult ".length()) + "\ncount: 0\n";
      } else {
        output = cudaView(view.split(" "));
      }
      if (RoutingVerifier.verify(both, null, output).passed()) {
        passed.add(m.group(1));
      }
    }
    assertEquals(16, rows);
    assertEquals(List.of("__unset__", "0,1"), passed);
  }
}
