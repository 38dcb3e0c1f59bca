package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * validate --hosts: a file whose runs are placed from the host registry is checked against the
 * server (which it must reach, as other commands do); a file with none says there is nothing to
 * check. Which runs no registered host could ever fit is PoolCheckTest's.
 */
class ValidateHostsCommandTest {

  @Test
  void aFileWithoutRegistryPlacementHasNothingToCheck(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("plain.yaml");
    Files.writeString(
        file, "campaign: plain\nexperiments:\n  - {name: a, image: 'img:1', gpus: {count: 1}}\n");
    CliRun run = CliRun.of("validate", "--hosts", file.toString());
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.err().contains("nothing to check against it"), run.err());
    assertTrue(run.out().contains(": ok: campaign plain"), run.out());
  }

  @Test
  void aFilePlacedFromTheRegistryNeedsTheServer(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("pool.yaml");
    Files.writeString(
        file,
        "campaign: pool\nhosts: any\n"
            + "experiments:\n  - {name: a, image: 'img:1', gpus: {count: 1, model: '*H100*'}}\n");
    CliRun plain = CliRun.of("validate", file.toString());
    assertEquals(0, plain.exit(), "without --hosts no server is asked: " + plain.err());
    CliRun run = CliRun.of("validate", "--hosts", "--temporal", "127.0.0.1:1", file.toString());
    assertEquals(3, run.exit(), run.err());
  }
}
