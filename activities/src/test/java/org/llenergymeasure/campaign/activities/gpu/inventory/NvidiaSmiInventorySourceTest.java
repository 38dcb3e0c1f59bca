package org.llenergymeasure.campaign.activities.gpu.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.activities.gpu.Fixtures;

/** Runs a stand-in nvidia-smi (a shell script) through the real process handling. */
class NvidiaSmiInventorySourceTest {

  @TempDir Path dir;

  private String fakeSmi(String body) throws IOException {
    Path script = dir.resolve("nvidia-smi");
    Files.writeString(script, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script.toString();
  }

  @Test
  void readsTheThreeCommands() throws IOException {
    Path fixtures = Fixtures.dir("h100x4");
    String smi =
        fakeSmi(
            "case \"$1\" in\n"
                + "  --query-gpu=index,uuid,pci.bus_id,name,memory.total,mig.mode.current) cat '"
                + fixtures.resolve("query-gpu.csv")
                + "' ;;\n"
                + "  -L) cat '"
                + fixtures.resolve("nvidia-smi-L.txt")
                + "' ;;\n"
                + "  --query-compute-apps=pid,gpu_uuid,used_memory) cat '"
                + fixtures.resolve("compute-apps.csv")
                + "' ;;\n"
                + "  *) echo \"unexpected $*\" >&2; exit 64 ;;\n"
                + "esac");
    HostInventory host = new NvidiaSmiInventorySource("node-7", smi, Duration.ofSeconds(20)).read();
    assertEquals("node-7", host.hostId());
    assertFalse(host.simulated());
    assertEquals(4, host.gpus().size());
    assertEquals(48211, host.processes().get(0).pid());
  }

  @Test
  void missingNvidiaSmi() {
    NoGpusFoundException e =
        assertThrows(
            NoGpusFoundException.class,
            () ->
                new NvidiaSmiInventorySource(
                        "node-7", dir.resolve("absent").toString(), Duration.ofSeconds(5))
                    .read());
    assertTrue(
        e.getMessage().startsWith("no NVIDIA GPUs found on host node-7: cannot run"),
        e.getMessage());
    assertEquals("node-7", e.hostId());
  }

  @Test
  void failingNvidiaSmiSaysWhy() throws IOException {
    String smi =
        fakeSmi(
            "echo \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA"
                + " driver.\"\n"
                + "exit 9");
    NoGpusFoundException e =
        assertThrows(
            NoGpusFoundException.class,
            () -> new NvidiaSmiInventorySource("n", smi, Duration.ofSeconds(20)).read());
    assertTrue(e.getMessage().contains("exited with 9"), e.getMessage());
    assertTrue(
        e.getMessage().contains("couldn't communicate with the NVIDIA driver"), e.getMessage());
  }

  @Test
  void noGpuListedIsAnErrorNotAnEmptyHost() throws IOException {
    String smi = fakeSmi("exit 0");
    NoGpusFoundException e =
        assertThrows(
            NoGpusFoundException.class,
            () -> new NvidiaSmiInventorySource("n", smi, Duration.ofSeconds(20)).read());
    assertTrue(e.getMessage().contains("listed no GPU"), e.getMessage());
  }

  @Test
  void hungNvidiaSmiIsKilledAtTheDeadline() throws IOException {
    String smi = fakeSmi("exec sleep 30");
    long start = System.nanoTime();
    NoGpusFoundException e =
        assertThrows(
            NoGpusFoundException.class,
            () -> new NvidiaSmiInventorySource("n", smi, Duration.ofMillis(500)).read());
    assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10);
  }
}
