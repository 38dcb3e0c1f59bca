package org.llenergymeasure.campaign.activities.gpu.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.activities.gpu.Fixtures;

class ComputeAppsParserTest {

  @Test
  void oneProcessOnGpu0() {
    assertEquals(
        List.of(new GpuProcess(48211, "GPU-0a1b2c3d-1111-4e5f-8a9b-000000000000", 2566L)),
        ComputeAppsParser.parse(Fixtures.read("h100x4/compute-apps.csv")));
  }

  @Test
  void emptyMeansIdle() {
    assertEquals(List.of(), ComputeAppsParser.parse(Fixtures.read("h200-2gpu/compute-apps.csv")));
    assertEquals(List.of(), ComputeAppsParser.parse(null));
  }

  @Test
  void notAvailableMemoryAndBareNumbers() {
    assertEquals(
        List.of(new GpuProcess(7, "GPU-aaaa", null), new GpuProcess(8, "MIG-bbbb", 12L)),
        ComputeAppsParser.parse("7, GPU-aaaa, [N/A]\n8,MIG-bbbb,12\n"));
  }

  @Test
  void refusesWhatItDoesNotUnderstand() {
    InventoryParseException e =
        assertThrows(
            InventoryParseException.class,
            () -> ComputeAppsParser.parse("7, GPU-aaaa, 1 MiB\nabc, GPU-aaaa, 1 MiB\n"));
    assertEquals(2, e.lineNumber());
    assertTrue(e.getMessage().contains("\"abc, GPU-aaaa, 1 MiB\""), e.getMessage());
    assertThrows(InventoryParseException.class, () -> ComputeAppsParser.parse("7, GPU-aaaa"));
  }
}
