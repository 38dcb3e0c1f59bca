package org.llenergymeasure.campaign.activities.gpu.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CudaViewParserTest {

  static final String A = "GPU-5a93e929-1998-96ea-22da-81bdfbd0251b";
  static final String B = "GPU-50cd15cd-5bbf-cc4a-8012-afc6cd9b8def";

  @Test
  void twoDevicesInCudaOrder() {
    assertEquals(
        new CudaView(0, List.of(B, A)),
        CudaViewParser.parse(
            "# llem-cuda-view ctypes\ncuInit: 0\ncount: 2\n0: " + B + "\n1: " + A + "\n"));
  }

  @Test
  void failedCuInitMeansNoDevice() {
    assertEquals(
        new CudaView(100, List.of()),
        CudaViewParser.parse("# llem-cuda-view x\ncuInit: 100\ncount: 0\n"));
    assertEquals(new CudaView(101, List.of()), CudaViewParser.parse("cuInit: 101\n"));
  }

  @Test
  void migDevice() {
    assertEquals(
        List.of("MIG-8b9cadbe-dddd-5e6f-b1c2-777777777777"),
        CudaViewParser.parse("cuInit: 0\ncount: 1\n0: MIG-8b9cadbe-dddd-5e6f-b1c2-777777777777")
            .uuids());
  }

  @Test
  void unknownLinesAreProbeFailuresQuotingTheLine() {
    ProbeOutputException e =
        assertThrows(
            ProbeOutputException.class,
            () ->
                CudaViewParser.parse("cuInit: 0\ncount: 1\nTraceback (most recent call last):\n"));
    assertEquals("ProbeFailed", e.type());
    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    assertTrue(e.getMessage().contains("\"Traceback (most recent call last):\""), e.getMessage());
  }

  @Test
  void inconsistentListingsAreRefused() {
    assertMessage("cuInit: 0\ncount: 2\n0: " + A + "\n", "count: 2 but 1 device lines");
    assertMessage("cuInit: 0\ncount: 2\n1: " + A + "\n", "expected device 0 next");
    assertMessage("cuInit: 0\n", "no \"count: <n>\" line");
    assertMessage("", "no \"cuInit: <n>\" line");
    assertMessage("count: 1\ncuInit: 0\n", "line 1");
    assertMessage(
        "cuInit: 100\ncount: 1\n0: " + A + "\n", "cuInit failed (100) but devices are listed");
    assertMessage("cuInit: 0\ncuInit: 0\n", "line 2");
  }

  private static void assertMessage(String output, String part) {
    ProbeOutputException e =
        assertThrows(ProbeOutputException.class, () -> CudaViewParser.parse(output));
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
