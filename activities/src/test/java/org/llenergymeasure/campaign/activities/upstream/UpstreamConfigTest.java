package org.llenergymeasure.campaign.activities.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.config.LlenergymeasureSpec;

class UpstreamConfigTest {

  private static final String CONFIG =
      "{\"engine\":\"vllm\",\"task\":{\"model\":\"Qwen/Qwen2.5-0.5B\",\"note\":\"é ü\"}}";
  private static final LlenergymeasureSpec SPEC =
      new LlenergymeasureSpec(CONFIG, "vllm", "0.9.0", null);

  @TempDir Path tmp;

  @Test
  void writesTheConfigVerbatimAsANewRegularFileNamedForUpstreamsErrorFile() throws Exception {
    Path out = Files.createDirectory(tmp.resolve("out"));

    Path file = UpstreamConfig.write(out, SPEC);

    assertEquals(out.resolve("llem_config.json"), file);
    assertTrue(Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS));
    assertEquals(CONFIG, Files.readString(file, StandardCharsets.UTF_8));
    // Readable by a container user that is not the worker's (the run folder is opened to it).
    assertTrue(
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file)).startsWith("rw-r--r"));
  }

  @Test
  void aLaunchTriedAgainAfterACrashWritesItAgainInsteadOfFailingOnItsOwnFile() throws Exception {
    Path out = Files.createDirectory(tmp.resolve("out"));
    Files.writeString(out.resolve("llem_config.json"), "{\"half\": ");

    UpstreamConfig.write(out, SPEC);

    assertEquals(CONFIG, Files.readString(out.resolve("llem_config.json")));
  }

  @Test
  void aLinkAtItsNameIsRemovedNeverFollowed() throws Exception {
    Path out = Files.createDirectory(tmp.resolve("out"));
    Path hostFile = Files.writeString(tmp.resolve("host-file"), "the host's own");
    Files.createSymbolicLink(out.resolve("llem_config.json"), hostFile);

    UpstreamConfig.write(out, SPEC);

    assertEquals("the host's own", Files.readString(hostFile), "the link's target is untouched");
    assertFalse(Files.isSymbolicLink(out.resolve("llem_config.json")));
    assertEquals(CONFIG, Files.readString(out.resolve("llem_config.json")));
  }

  @Test
  void theCreateItselfRefusesALinkPutThereInBetween() throws Exception {
    Path out = Files.createDirectory(tmp.resolve("out"));
    Path hostFile = Files.writeString(tmp.resolve("host-file"), "the host's own");
    Path dangling = tmp.resolve("not-yet");
    Files.createSymbolicLink(out.resolve("llem_config.json"), hostFile);
    Files.createSymbolicLink(out.resolve("other.json"), dangling);

    assertThrows(
        FileAlreadyExistsException.class,
        () -> UpstreamConfig.createNew(out.resolve("llem_config.json"), CONFIG));
    assertThrows(
        FileAlreadyExistsException.class,
        () -> UpstreamConfig.createNew(out.resolve("other.json"), CONFIG));

    assertEquals("the host's own", Files.readString(hostFile));
    assertFalse(Files.exists(dangling), "a dangling link's target is not created");
  }

  @Test
  void onlyExperimentsOfLlenergymeasureGetOne() throws Exception {
    Path out = Files.createDirectory(tmp.resolve("out"));

    UpstreamConfig.writeIfAny(out, null);

    try (var files = Files.list(out)) {
      assertEquals(0, files.count());
    }
  }
}
