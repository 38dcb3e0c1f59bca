package org.llenergymeasure.campaign.activities.gpu.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.activities.gpu.Fixtures;

class QueryGpuParserTest {

  @Test
  void h100x4() {
    List<GpuDevice> gpus = QueryGpuParser.parse(Fixtures.read("h100x4/query-gpu.csv"));
    assertEquals(4, gpus.size());
    assertEquals(
        new GpuDevice(
            2,
            "GPU-2c3d4e5f-3333-4071-acbd-222222222222",
            "00000000:3A:00.0",
            "NVIDIA H100 80GB HBM3",
            81559L,
            false,
            List.of()),
        gpus.get(2));
    assertEquals(List.of(0, 1, 2, 3), gpus.stream().map(GpuDevice::index).toList());
  }

  @Test
  void realH200() {
    List<GpuDevice> gpus = QueryGpuParser.parse(Fixtures.read("h200-1gpu/query-gpu.csv"));
    assertEquals(
        List.of(
            new GpuDevice(
                0,
                "GPU-ce5f3ece-a5f2-5612-b320-42cc4e6f1ce9",
                "00000000:00:06.0",
                "NVIDIA H200",
                143771L,
                false,
                List.of())),
        gpus);
  }

  @Test
  void headerFromFormatCsvIsSkipped() {
    assertEquals(
        QueryGpuParser.parse(Fixtures.read("h200-1gpu/query-gpu.csv")),
        QueryGpuParser.parse(Fixtures.read("h200-1gpu/query-gpu-header.csv")));
  }

  @Test
  void realTwoH200s() {
    List<GpuDevice> gpus = QueryGpuParser.parse(Fixtures.read("h200-2gpu/query-gpu.csv"));
    assertEquals(
        List.of(
            "GPU-5a93e929-1998-96ea-22da-81bdfbd0251b", "GPU-50cd15cd-5bbf-cc4a-8012-afc6cd9b8def"),
        gpus.stream().map(GpuDevice::uuid).toList());
    assertEquals("00000000:00:07.0", gpus.get(1).pciBusId());
  }

  @Test
  void migModeEnabledAndDisabled() {
    List<GpuDevice> gpus = QueryGpuParser.parse(Fixtures.read("a100-mig/query-gpu.csv"));
    assertTrue(gpus.get(0).migEnabled());
    assertFalse(gpus.get(1).migEnabled());
    assertEquals(81920L, gpus.get(0).memoryMiB());
  }

  @Test
  void migNotAvailableMeansNotMig() {
    List<GpuDevice> gpus = QueryGpuParser.parse(Fixtures.read("mixed-t4-h100/query-gpu.csv"));
    assertEquals("Tesla T4", gpus.get(0).name());
    assertFalse(gpus.get(0).migEnabled());
    assertEquals(15360L, gpus.get(0).memoryMiB());
    assertEquals("00000000:3B:00.0", gpus.get(1).pciBusId());
  }

  @Test
  void wideQueryIsRefusedQuotingTheLine() {
    InventoryParseException e =
        assertThrows(
            InventoryParseException.class,
            () -> QueryGpuParser.parse(Fixtures.read("h200-1gpu/query-gpu-wide.csv")));
    assertEquals(1, e.lineNumber());
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    assertTrue(e.getMessage().contains("found 11"), e.getMessage());
    assertTrue(
        e.getMessage().contains("0, GPU-ce5f3ece-a5f2-5612-b320-42cc4e6f1ce9, 00000000:00:06.0"));
  }

  @Test
  void tolerantOfSpacingBareNumbersAndNotAvailableMemory() {
    String output =
        "0,GPU-aaaa,0000:18:00.0,Card A,1024,Disabled\r\n"
            + "\n"
            + "  1 ,  GPU-bbbb ,00000000:19:00.0 ,  Card B  , [N/A] , Enabled  \n";
    List<GpuDevice> gpus = QueryGpuParser.parse(output);
    assertEquals(1024L, gpus.get(0).memoryMiB());
    assertEquals("0000:18:00.0", gpus.get(0).pciBusId());
    assertNull(gpus.get(1).memoryMiB());
    assertEquals("Card B", gpus.get(1).name());
    assertTrue(gpus.get(1).migEnabled());
  }

  @Test
  void emptyOutputHasNoGpus() {
    assertEquals(List.of(), QueryGpuParser.parse(""));
    assertEquals(List.of(), QueryGpuParser.parse("\n\n"));
  }

  @Test
  void strictAboutWhatItDoesNotUnderstand() {
    String good = "0, GPU-aaaa, 00000000:18:00.0, Card, 1024 MiB, Disabled\n";
    assertRefused(good + "1, GPU-bbbb, 00000000:19:00.0, Card, 80 GiB, Disabled", 2, "80 GiB");
    assertRefused(good + "x, GPU-bbbb, 00000000:19:00.0, Card, 80 MiB, Disabled", 2, "index");
    assertRefused(good + "\n1, bbbb, 00000000:19:00.0, Card, 80 MiB, Disabled", 3, "GPU-");
    assertRefused(good + "1, GPU-bbbb, 19:00.0, Card, 80 MiB, Disabled", 2, "pci.bus_id");
    assertRefused(good + "1, GPU-bbbb, 00000000:19:00.0, Card, 80 MiB, Pending", 2, "Pending");
    assertRefused("No devices were found", 1, "expected 6 fields");
  }

  private static void assertRefused(String output, int line, String mentioned) {
    InventoryParseException e =
        assertThrows(InventoryParseException.class, () -> QueryGpuParser.parse(output));
    assertEquals(line, e.lineNumber(), e.getMessage());
    assertTrue(e.getMessage().contains("line " + line), e.getMessage());
    assertTrue(e.getMessage().contains(mentioned), e.getMessage());
    assertTrue(e.getMessage().contains("\"" + output.split("\n")[line - 1] + "\""), e.getMessage());
  }
}
