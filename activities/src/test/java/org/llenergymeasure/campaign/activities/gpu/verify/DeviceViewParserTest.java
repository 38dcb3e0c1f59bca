package org.llenergymeasure.campaign.activities.gpu.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.activities.gpu.Fixtures;

class DeviceViewParserTest {

  @Test
  void nvidiaSmiListOfFullGpus() {
    assertEquals(
        List.of(
            "GPU-5a93e929-1998-96ea-22da-81bdfbd0251b", "GPU-50cd15cd-5bbf-cc4a-8012-afc6cd9b8def"),
        DeviceViewParser.parse(Fixtures.read("h200-2gpu/nvidia-smi-L.txt")));
  }

  @Test
  void aGpuWithMigInstancesStandsForThem() {
    assertEquals(
        List.of(
            "MIG-7a8b9cad-cccc-5d5e-a0b1-666666666666",
            "MIG-8b9cadbe-dddd-5e6f-b1c2-777777777777",
            "GPU-6f708192-bbbb-4c4d-9eaf-555555555555"),
        DeviceViewParser.parse(Fixtures.read("a100-mig/nvidia-smi-L.txt")));
  }

  @Test
  void bareUuidsOnePerLineWithCommentsAndBlankLines() {
    assertEquals(
        List.of("GPU-aaaa", "MIG-bbbb"),
        DeviceViewParser.parse("# my probe\nGPU-aaaa\n\n  MIG-bbbb  \n"));
  }

  @Test
  void aMigLineWithoutItsGpuLineIsAnEntry() {
    assertEquals(
        List.of("MIG-cccc"),
        DeviceViewParser.parse("MIG 3g.40gb     Device  0: (UUID: MIG-cccc)\n"));
  }

  @Test
  void noDevicesFoundIsAnEmptyView() {
    assertEquals(List.of(), DeviceViewParser.parse("No devices were found\n"));
    // Driver 580's nvidia-smi -L in a container that was given no GPU (exit 0).
    assertEquals(List.of(), DeviceViewParser.parse("No devices found.\n"));
    assertEquals(List.of(), DeviceViewParser.parse(""));
  }

  @Test
  void anythingElseIsAProbeFailureQuotingTheLine() {
    ProbeOutputException e =
        assertThrows(
            ProbeOutputException.class,
            () -> DeviceViewParser.parse("GPU-aaaa\nbash: nvidia-smi: command not found\n"));
    assertEquals("ProbeFailed", e.type());
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    assertTrue(e.getMessage().contains("\"bash: nvidia-smi: command not found\""), e.getMessage());
  }
}
