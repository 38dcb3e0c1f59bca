package org.llenergymeasure.campaign.activities.gpu.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.llenergymeasure.campaign.activities.gpu.Fixtures;

class FileInventorySourceTest {

  private static final Path EXAMPLES = Path.of("..", "examples", "inventories");

  @Test
  void h100x4WithOneBusyProcess() {
    HostInventory host = Fixtures.host("h100x4");
    assertEquals("h100x4", host.hostId());
    assertTrue(host.simulated());
    assertEquals(4, host.gpus().size());
    assertEquals(
        List.of(new GpuProcess(48211, "GPU-0a1b2c3d-1111-4e5f-8a9b-000000000000", 2566L)),
        host.processes());
    assertEquals(1, host.processesOn(host.gpus().get(0)).size());
    assertEquals(0, host.processesOn(host.gpus().get(1)).size());
  }

  @Test
  void migInstancesAreMergedIntoTheirGpu() {
    HostInventory host = Fixtures.host("a100-mig");
    GpuDevice gpu0 = host.gpus().get(0);
    assertTrue(gpu0.migEnabled());
    assertEquals(
        List.of(
            "MIG-7a8b9cad-cccc-5d5e-a0b1-666666666666", "MIG-8b9cadbe-dddd-5e6f-b1c2-777777777777"),
        gpu0.migDevices().stream().map(MigDevice::uuid).toList());
    assertEquals(List.of(), host.gpus().get(1).migDevices());
    assertEquals(List.of(), host.processes()); // no compute-apps.csv: idle
  }

  @Test
  void realHostsWithExtraFilesInTheFolder() {
    HostInventory one = Fixtures.host("h200-1gpu");
    assertEquals("GPU-ce5f3ece-a5f2-5612-b320-42cc4e6f1ce9", one.gpus().get(0).uuid());
    HostInventory two = Fixtures.host("h200-2gpu");
    assertEquals(2, two.gpus().size());
    assertEquals(List.of(), two.processes());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"h200-1gpu", "h200-2gpu", "h100x4", "sim-4gpu-idle", "a100-mig", "mixed-t4-h100"})
  void everyExampleInventoryReads(String name) {
    HostInventory host = new FileInventorySource(EXAMPLES.resolve(name), name).read();
    assertFalse(host.gpus().isEmpty());
    for (GpuDevice gpu : host.gpus()) {
      assertTrue(gpu.uuid().startsWith("GPU-"));
    }
  }

  @Test
  void gpusAreSortedByPciBusIdWhateverTheFileOrder(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("query-gpu.csv"),
        "1, GPU-bbbb, 00000000:3B:00.0, H100, 81559 MiB, Disabled\n"
            + "0, GPU-aaaa, 00000000:18:00.0, T4, 15360 MiB, [N/A]\n");
    Files.writeString(
        dir.resolve("nvidia-smi-L.txt"),
        "GPU 0: T4 (UUID: GPU-aaaa)\nGPU 1: H100 (UUID: GPU-bbbb)\n");
    HostInventory host = new FileInventorySource(dir, "h").read();
    assertEquals(
        List.of("GPU-aaaa", "GPU-bbbb"), host.gpus().stream().map(GpuDevice::uuid).toList());
  }

  @Test
  void missingFolderIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("nope");
    InventoryException e =
        assertThrows(InventoryException.class, () -> new FileInventorySource(missing, "h").read());
    assertTrue(e.getMessage().contains(missing.toAbsolutePath().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("query-gpu.csv"), e.getMessage());
  }

  @Test
  void missingRequiredFilesAreNamedWithTheFolder(@TempDir Path dir) throws IOException {
    InventoryException noQuery =
        assertThrows(InventoryException.class, () -> new FileInventorySource(dir, "h").read());
    assertTrue(noQuery.getMessage().contains("has no query-gpu.csv"), noQuery.getMessage());
    assertTrue(
        noQuery.getMessage().contains(dir.toAbsolutePath().toString()), noQuery.getMessage());
    assertTrue(noQuery.getMessage().contains("--query-gpu=index,uuid"), noQuery.getMessage());

    Files.writeString(dir.resolve("query-gpu.csv"), Fixtures.read("h200-1gpu/query-gpu.csv"));
    InventoryException noList =
        assertThrows(InventoryException.class, () -> new FileInventorySource(dir, "h").read());
    assertTrue(noList.getMessage().contains("has no nvidia-smi-L.txt"), noList.getMessage());
    assertTrue(noList.getMessage().contains("nvidia-smi -L"), noList.getMessage());
  }

  @Test
  void parseErrorsNameTheFolderAndLine(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("query-gpu.csv"), Fixtures.read("h200-1gpu/query-gpu.csv"));
    Files.writeString(dir.resolve("nvidia-smi-L.txt"), Fixtures.read("h200-1gpu/nvidia-smi-L.txt"));
    Files.writeString(dir.resolve("compute-apps.csv"), "\n\n12, GPU-x\n");
    InventoryException e =
        assertThrows(InventoryException.class, () -> new FileInventorySource(dir, "h").read());
    assertTrue(e.getMessage().contains(dir.toAbsolutePath().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    assertTrue(e.getMessage().contains("\"12, GPU-x\""), e.getMessage());
  }

  @Test
  void listingsThatDisagreeAreRefused(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("query-gpu.csv"), Fixtures.read("h100x4/query-gpu.csv"));
    Files.writeString(dir.resolve("nvidia-smi-L.txt"), Fixtures.read("h200-1gpu/nvidia-smi-L.txt"));
    InventoryException e =
        assertThrows(InventoryException.class, () -> new FileInventorySource(dir, "h").read());
    assertTrue(e.getMessage().contains("not in nvidia-smi -L"), e.getMessage());
  }

  @Test
  void anEmptyHostIsRefused(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("query-gpu.csv"), "");
    Files.writeString(dir.resolve("nvidia-smi-L.txt"), "");
    InventoryException e =
        assertThrows(InventoryException.class, () -> new FileInventorySource(dir, "h").read());
    assertTrue(e.getMessage().contains("lists no GPU"), e.getMessage());
  }
}
