package org.llenergymeasure.campaign.activities.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The self-probe script run by this machine's /bin/sh, as a held container runs it. */
class SelfProbeTest {

  @TempDir Path tmp;

  private Path run(String script) throws Exception {
    Path control = tmp.resolve("control");
    SelfProbe.prepare(control, script, false);
    Process p =
        new ProcessBuilder("/bin/sh", control.resolve(SelfProbe.SCRIPT).toString())
            .inheritIO()
            .start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "probe.sh finished");
    return control.resolve(SelfProbe.OUT);
  }

  @Test
  void runsTheProbeArgvExactlyWithNothingExpandedAndKeepsEachAnswer() throws Exception {
    Path out = tmp.resolve("control").resolve(SelfProbe.OUT);
    // Quotes, spaces, $ and a backtick in the argv: each must reach the probe as written.
    List<String> argv =
        List.of(
            "/bin/sh",
            "-c",
            "printf '%s|' \"$@\"; echo; echo oops >&2; exit 3",
            "p0",
            "it's",
            "a b",
            "$HOME",
            "`id`");
    Path answers = run(SelfProbe.script(argv, out.toString()));

    ExecResult device = SelfProbe.answer(answers, SelfProbe.DEVICE).orElseThrow();
    assertEquals(3, device.exitCode());
    assertEquals("it's|a b|$HOME|`id`|\n", device.stdout());
    assertEquals("oops\n", device.stderr());
    assertTrue(Files.exists(answers.resolve(SelfProbe.STARTED)));
    assertTrue(Files.exists(answers.resolve(SelfProbe.DONE)));
    // The CUDA view ran alongside; outside a container it is missing, which is an answer too.
    assertTrue(SelfProbe.complete(answers, false));
    assertFalse(SelfProbe.complete(answers, true), "no node list was asked for");
    ExecResult cuda = SelfProbe.answer(answers, SelfProbe.CUDA).orElseThrow();
    assertTrue(cuda.exitCode() != 0 && cuda.stderr().contains("cuda-view.sh"), cuda.combined());
  }

  @Test
  void aMissingDeviceViewIsExit127AsAnExecWouldSay() throws Exception {
    Path out = tmp.resolve("control").resolve(SelfProbe.OUT);
    Path answers = run(SelfProbe.script(List.of("no-such-probe-here", "-L"), out.toString()));
    ExecResult device = SelfProbe.answer(answers, SelfProbe.DEVICE).orElseThrow();
    assertEquals(127, device.exitCode());
    assertTrue(device.stderr().contains("not found"), device.stderr());
  }

  @Test
  void gpusNoneListsDeviceNodesOnly() throws Exception {
    Path out = tmp.resolve("control").resolve(SelfProbe.OUT);
    Path answers = run(SelfProbe.script(null, out.toString()));
    assertTrue(SelfProbe.answer(answers, SelfProbe.NODES).isPresent());
    assertTrue(SelfProbe.complete(answers, true));
    assertFalse(SelfProbe.complete(answers, false));
    assertTrue(SelfProbe.answer(answers, SelfProbe.DEVICE).isEmpty());
  }

  @Test
  void anAnswerFolderItCannotWriteEndsTheScriptQuietlyWithoutStarted() throws Exception {
    Path control = tmp.resolve("control");
    Path elsewhere = tmp.resolve("missing").resolve("probe");
    SelfProbe.prepare(control, SelfProbe.script(List.of("echo", "x"), elsewhere.toString()), false);
    Process p = new ProcessBuilder("/bin/sh", control.resolve(SelfProbe.SCRIPT).toString()).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), "the hold goes on to wait; the worker then asks by exec");
    assertFalse(Files.exists(elsewhere));
  }

  @Test
  void consumeLeavesOnlyTheMarkerAndDeleteRemovesEverything() throws Exception {
    Path out = tmp.resolve("control").resolve(SelfProbe.OUT);
    Path answers = run(SelfProbe.script(List.of("echo", "secret-ish"), out.toString()));
    SelfProbe.consume(answers);
    try (var files = Files.list(answers)) {
      assertEquals(
          List.of(SelfProbe.CONSUMED), files.map(f -> f.getFileName().toString()).toList());
    }
    SelfProbe.deleteFrom(tmp.resolve("control"));
    assertFalse(Files.exists(answers));
    assertFalse(Files.exists(tmp.resolve("control").resolve(SelfProbe.SCRIPT)));
  }
}
