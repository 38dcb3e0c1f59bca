package org.llenergymeasure.campaign.activities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads and deletes in a folder a run wrote, never following what it left there. */
class RunFolderTest {

  @TempDir Path tmp;
  private Path run;
  private Path host;

  @BeforeEach
  void setUp() throws Exception {
    run = Files.createDirectories(tmp.resolve("out"));
    host = Files.createDirectories(tmp.resolve("host"));
    Files.writeString(host.resolve("secret"), "HOST");
  }

  @Test
  void aRegularFileIsReadUpToOneByteMoreThanTheLimit() throws Exception {
    Files.createDirectories(run.resolve("a/b"));
    Files.writeString(run.resolve("a/b/r.json"), "0123456789");
    RunFolder.Read small = RunFolder.read(run, "a/b/r.json", 100);
    assertArrayEquals(
        "0123456789".getBytes(StandardCharsets.UTF_8), ((RunFolder.Bytes) small).bytes());
    assertEquals(5, ((RunFolder.Bytes) RunFolder.read(run, "a/b/r.json", 4)).bytes().length);
    assertInstanceOf(RunFolder.Missing.class, RunFolder.read(run, "a/nope.json", 4));
    assertInstanceOf(RunFolder.Missing.class, RunFolder.read(run, "nope/r.json", 4));
  }

  @Test
  void linksAndNonRegularFilesAreRefusedWithoutBeingOpened() throws Exception {
    Files.createSymbolicLink(run.resolve("r.json"), host.resolve("secret"));
    Files.createSymbolicLink(run.resolve("sub"), host);
    Files.writeString(run.resolve("file"), "x");
    Process mkfifo = new ProcessBuilder("mkfifo", run.resolve("fifo").toString()).start();
    assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS));
    assertEquals(0, mkfifo.exitValue());
    Files.createDirectories(run.resolve("dir"));

    assertEquals(new RunFolder.Refused("is a symbolic link"), RunFolder.read(run, "r.json", 10));
    assertEquals(
        new RunFolder.Refused("is inside a symbolic link"), RunFolder.read(run, "sub/secret", 10));
    // A FIFO would block a reader until someone writes: refused before any open.
    assertEquals(new RunFolder.Refused("is not a regular file"), RunFolder.read(run, "fifo", 10));
    assertEquals(new RunFolder.Refused("is not a regular file"), RunFolder.read(run, "dir", 10));
    assertEquals(
        new RunFolder.Refused("is inside something that is not a folder"),
        RunFolder.read(run, "file/x", 10));
    assertInstanceOf(RunFolder.Refused.class, RunFolder.read(run, "../host/secret", 10));
    assertFalse(RunFolder.isRegularFile(run, "r.json"));
    assertFalse(RunFolder.isRegularFile(run, "sub/secret"));
  }

  @Test
  void deletesRemoveLinksNeverTheirTargets() throws Exception {
    Files.createDirectories(run.resolve("tree/deeper"));
    Files.writeString(run.resolve("tree/deeper/f"), "x");
    Files.createSymbolicLink(run.resolve("tree/link"), host);
    Files.createSymbolicLink(run.resolve("tree/deeper/file-link"), host.resolve("secret"));
    Files.createSymbolicLink(run.resolve("control"), host);

    RunFolder.deleteTree(run, "tree");
    RunFolder.deleteFiles(run, "control", List.of("secret"));

    assertFalse(Files.exists(run.resolve("tree"), LinkOption.NOFOLLOW_LINKS));
    assertFalse(Files.exists(run.resolve("control"), LinkOption.NOFOLLOW_LINKS));
    assertEquals("HOST", Files.readString(host.resolve("secret")));
  }
}
