package org.llenergymeasure.campaign.activities.gpu.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.activities.gpu.Fixtures;

class SmiListParserTest {

  @Test
  void realH200() {
    assertEquals(
        List.of(
            new ListedGpu(0, "NVIDIA H200", "GPU-ce5f3ece-a5f2-5612-b320-42cc4e6f1ce9", List.of())),
        SmiListParser.parse(Fixtures.read("h200-1gpu/nvidia-smi-L.txt")));
  }

  @Test
  void realTwoH200s() {
    List<ListedGpu> gpus = SmiListParser.parse(Fixtures.read("h200-2gpu/nvidia-smi-L.txt"));
    assertEquals(2, gpus.size());
    assertEquals(
        new ListedGpu(1, "NVIDIA H200", "GPU-50cd15cd-5bbf-cc4a-8012-afc6cd9b8def", List.of()),
        gpus.get(1));
  }

  @Test
  void h100x4AndMixed() {
    List<ListedGpu> h100 = SmiListParser.parse(Fixtures.read("h100x4/nvidia-smi-L.txt"));
    assertEquals(List.of(0, 1, 2, 3), h100.stream().map(ListedGpu::index).toList());
    assertEquals("NVIDIA H100 80GB HBM3", h100.get(3).name());
    assertEquals("GPU-3d4e5f60-4444-4182-bdce-333333333333", h100.get(3).uuid());
    List<ListedGpu> mixed = SmiListParser.parse(Fixtures.read("mixed-t4-h100/nvidia-smi-L.txt"));
    assertEquals("Tesla T4", mixed.get(0).name());
    assertEquals("GPU-adbecfd0-ffff-4081-d3e4-999999999999", mixed.get(1).uuid());
  }

  @Test
  void migLinesBelongToTheGpuAbove() {
    List<ListedGpu> gpus = SmiListParser.parse(Fixtures.read("a100-mig/nvidia-smi-L.txt"));
    assertEquals(2, gpus.size());
    assertEquals(
        List.of(
            new MigDevice(0, "MIG-7a8b9cad-cccc-5d5e-a0b1-666666666666", "3g.40gb"),
            new MigDevice(1, "MIG-8b9cadbe-dddd-5e6f-b1c2-777777777777", "3g.40gb")),
        gpus.get(0).migDevices());
    assertEquals(List.of(), gpus.get(1).migDevices());
  }

  @Test
  void olderDriverMigUuidForm() {
    String output =
        "GPU 0: A100-SXM4-40GB (UUID: GPU-e91edf3b-b297-37c1-a2a7-7601c3238fa2)\n"
            + "  MIG 1g.5gb Device 0: (UUID: MIG-GPU-e91edf3b-b297-37c1-a2a7-7601c3238fa2/7/0)\n";
    assertEquals(
        "MIG-GPU-e91edf3b-b297-37c1-a2a7-7601c3238fa2/7/0",
        SmiListParser.parse(output).get(0).migDevices().get(0).uuid());
  }

  @Test
  void refusesWhatItDoesNotUnderstand() {
    InventoryParseException e =
        assertThrows(
            InventoryParseException.class,
            () ->
                SmiListParser.parse(
                    "GPU 0: NVIDIA H200 (UUID: GPU-ce5f3ece-a5f2-5612-b320-42cc4e6f1ce9)\n"
                        + "GPU 1: NVIDIA H200 (UUID: 1234)\n"));
    assertEquals(2, e.lineNumber());
    assertTrue(e.getMessage().contains("\"GPU 1: NVIDIA H200 (UUID: 1234)\""), e.getMessage());

    InventoryParseException orphan =
        assertThrows(
            InventoryParseException.class,
            () -> SmiListParser.parse("  MIG 3g.40gb     Device  0: (UUID: MIG-7a8b)\n"));
    assertTrue(orphan.getMessage().contains("before any GPU line"), orphan.getMessage());
  }
}
