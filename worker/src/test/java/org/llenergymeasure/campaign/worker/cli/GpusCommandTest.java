package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code llem-campaign gpus}, run in-process against the captured inventories. */
class GpusCommandTest {

  @TempDir Path tmp;

  /** Every field of cli-contract.md's gpus object, against the fixture's own files. */
  static void assertInventory(JsonNode json, FixtureHost fixture, String host, boolean simulated) {
    assertEquals(host, json.get("host").asText());
    assertEquals(simulated, json.get("simulated").asBoolean());
    JsonNode gpus = json.get("gpus");
    assertEquals(fixture.gpus().size(), gpus.size());
    List<Integer> order = new ArrayList<>();
    for (JsonNode g : gpus) {
      FixtureHost.Gpu expected = fixture.gpu(g.get("index").asInt());
      order.add(expected.index());
      assertEquals(expected.uuid(), g.get("uuid").asText());
      assertEquals(expected.pciBusId(), g.get("pciBusId").asText());
      assertEquals(expected.name(), g.get("name").asText());
      assertEquals(expected.memoryMiB().longValue(), g.get("memoryMiB").asLong());
      assertEquals(expected.mig(), g.get("migEnabled").asBoolean());
      List<FixtureHost.Mig> migs =
          fixture.migs().stream().filter(m -> m.gpuIndex() == expected.index()).toList();
      assertEquals(migs.size(), g.get("migDevices").size());
      for (int i = 0; i < migs.size(); i++) {
        JsonNode m = g.get("migDevices").get(i);
        assertEquals(migs.get(i).index(), m.get("index").asInt());
        assertEquals(migs.get(i).uuid(), m.get("uuid").asText());
        assertEquals(migs.get(i).profile(), m.get("profile").asText());
        assertEquals(3, m.size(), m.toString());
      }
      assertEquals(7, g.size(), "exactly the contract's GPU fields: " + g);
    }
    // Fixture files list GPUs by index in PCI bus order; the output keeps that order.
    assertEquals(order.stream().sorted().toList(), order);
    JsonNode processes = json.get("processes");
    assertEquals(fixture.processes().size(), processes.size());
    for (int i = 0; i < processes.size(); i++) {
      JsonNode p = processes.get(i);
      assertEquals(fixture.processes().get(i).pid(), p.get("pid").asLong());
      assertEquals(fixture.processes().get(i).gpuUuid(), p.get("gpuUuid").asText());
      assertEquals(fixture.processes().get(i).usedMemoryMiB(), p.get("usedMemoryMiB").asLong());
      assertEquals(3, p.size(), p.toString());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h100x4", "a100-mig", "mixed-t4-h100", "h200-1gpu", "sim-4gpu-idle"})
  void jsonListsEveryGpuMigInstanceAndProcessOfTheFixture(String name) {
    FixtureHost fixture = FixtureHost.example(name);
    CliRun run = CliRun.of("gpus", "--inventory", fixture.arg(), "--host-id", "sim-a", "--json");
    assertEquals(0, run.exit(), run.err());
    assertInventory(run.json(), fixture, "sim-a", true);
  }

  @Test
  void theFixturesCoverMigAndBusyGpus() {
    // Guards the parameterised test above against fixtures that would make it vacuous.
    assertEquals(2, FixtureHost.example("a100-mig").migs().size());
    assertEquals(1, FixtureHost.example("h100x4").processes().size());
  }

  @Test
  void tableMarksASimulatedHostAndShowsGpusMigInstancesAndProcesses() {
    FixtureHost mig = FixtureHost.example("a100-mig");
    CliRun run = CliRun.of("gpus", "--inventory", mig.arg(), "--host-id", "sim-a");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("SIMULATED"), run.out());
    for (FixtureHost.Gpu g : mig.gpus()) {
      assertTrue(run.out().contains(g.uuid()), run.out());
    }
    for (FixtureHost.Mig m : mig.migs()) {
      assertTrue(run.out().contains(m.gpuIndex() + ":" + m.index()), run.out());
      assertTrue(run.out().contains(m.uuid()), run.out());
    }
    FixtureHost busy = FixtureHost.example("h100x4");
    CliRun busyRun = CliRun.of("gpus", "--inventory", busy.arg());
    FixtureHost.Proc p = busy.processes().get(0);
    assertTrue(busyRun.out().contains("pid " + p.pid()), busyRun.out());
    assertTrue(busyRun.out().contains(p.usedMemoryMiB() + " MiB"), busyRun.out());
  }

  @Test
  void aRealHostIsReadThroughNvidiaSmiAndIsNotMarkedSimulated() throws Exception {
    FixtureHost live = FixtureHost.live();
    Path smi = live.fakeNvidiaSmi(tmp);
    CliRun run = CliRun.of("gpus", "--nvidia-smi", smi.toString(), "--host-id", "h200", "--json");
    assertEquals(0, run.exit(), run.err());
    assertInventory(run.json(), live, "h200", false);
    CliRun table = CliRun.of("gpus", "--nvidia-smi", smi.toString());
    assertFalse(table.out().contains("SIMULATED"), table.out());
  }

  @Test
  void noNvidiaSmiExitsThreeAndSaysToUseInventory() {
    Path missing = tmp.resolve("no-such-dir/nvidia-smi");
    CliRun run = CliRun.of("gpus", "--nvidia-smi", missing.toString());
    assertEquals(3, run.exit());
    assertEquals("", run.out());
    assertEquals(1, run.errLines().size(), run.err());
    assertTrue(run.err().startsWith("error: "), run.err());
    assertTrue(run.err().contains("--inventory"), run.err());

    JsonNode error =
        CliRun.of("gpus", "--nvidia-smi", missing.toString(), "--json")
            .assertJsonError(3, "EnvironmentProblem", true);
    assertTrue(error.get("message").asText().contains("--inventory"), error.toString());
  }

  @Test
  void nvidiaSmiListingNoGpuExitsThree() throws Exception {
    Path smi = tmp.resolve("nvidia-smi");
    Files.writeString(smi, "#!/bin/sh\nexit 0\n");
    smi.toFile().setExecutable(true);
    CliRun run = CliRun.of("gpus", "--nvidia-smi", smi.toString(), "--json");
    JsonNode error = run.assertJsonError(3, "EnvironmentProblem", true);
    assertTrue(error.get("message").asText().contains("no GPU"), error.toString());
    assertTrue(error.get("message").asText().contains("--inventory"), error.toString());
  }

  @Test
  void nvidiaSmiFailingExitsThree() throws Exception {
    Path smi = tmp.resolve("nvidia-smi");
    Files.writeString(
        smi,
        "#!/bin/sh\necho 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA"
            + " driver.' >&2\nexit 9\n");
    smi.toFile().setExecutable(true);
    CliRun run = CliRun.of("gpus", "--nvidia-smi", smi.toString());
    assertEquals(3, run.exit());
    assertEquals(1, run.errLines().size(), run.err());
    assertTrue(run.err().contains("could not communicate"), run.err());
    assertTrue(run.err().contains("--inventory"), run.err());
  }

  @Test
  void aBrokenInventoryFolderIsBadInput() throws Exception {
    CliRun missing = CliRun.of("gpus", "--inventory", tmp.resolve("nope").toString(), "--json");
    JsonNode error = missing.assertJsonError(2, "BadInput", false);
    assertTrue(error.get("message").asText().contains("query-gpu.csv"), error.toString());

    Path half = Files.createDirectories(tmp.resolve("half"));
    Files.writeString(half.resolve("nvidia-smi-L.txt"), "");
    CliRun noCsv = CliRun.of("gpus", "--inventory", half.toString());
    assertEquals(2, noCsv.exit());
    assertTrue(noCsv.err().contains("has no query-gpu.csv"), noCsv.err());
  }

  @Test
  void helpShowsExamples() {
    CliRun run = CliRun.of("gpus", "--help");
    assertEquals(0, run.exit());
    assertTrue(run.out().contains("Examples:"), run.out());
    assertTrue(run.out().contains("llem-campaign gpus --json"), run.out());
    assertTrue(run.out().contains("--inventory"), run.out());
  }
}
