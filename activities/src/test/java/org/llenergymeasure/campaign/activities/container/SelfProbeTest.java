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

  /** Runs the script; returns the run folder its answers are in. */
  private Path run(String script) throws Exception {
    Path control = Files.createDirectories(tmp.resolve("control"));
    Path runDir = Files.createDirectories(tmp.resolve("out"));
    SelfProbe.prepare(control, runDir, script, false);
    Process p =
        new ProcessBuilder("/bin/sh", control.resolve(SelfProbe.SCRIPT).toString())
            .inheritIO()
            .start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "probe.sh finished");
    return runDir;
  }

  private Path answersIn() {
    return tmp.resolve("out").resolve(SelfProbe.OUT);
  }

  @Test
  void runsTheProbeArgvExactlyWithNothingExpandedAndKeepsEachAnswer() throws Exception {
    Path out = answersIn();
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
    assertTrue(SelfProbe.wrote(answers, SelfProbe.STARTED));
    assertTrue(SelfProbe.wrote(answers, SelfProbe.DONE));
    // The CUDA view ran alongside; outside a container it is missing, which is an answer too.
    assertTrue(SelfProbe.complete(answers, false));
    assertFalse(SelfProbe.complete(answers, true), "no node list was asked for");
    ExecResult cuda = SelfProbe.answer(answers, SelfProbe.CUDA).orElseThrow();
    assertTrue(cuda.exitCode() != 0 && cuda.stderr().contains("cuda-view.sh"), cuda.combined());
  }

  @Test
  void aMissingDeviceViewIsExit127AsAnExecWouldSay() throws Exception {
    Path answers =
        run(SelfProbe.script(List.of("no-such-probe-here", "-L"), answersIn().toString()));
    ExecResult device = SelfProbe.answer(answers, SelfProbe.DEVICE).orElseThrow();
    assertEquals(127, device.exitCode());
    assertTrue(device.stderr().contains("not found"), device.stderr());
  }

  @Test
  void gpusNoneListsDeviceNodesOnly() throws Exception {
    Path answers = run(SelfProbe.script(null, answersIn().toString()));
    assertTrue(SelfProbe.answer(answers, SelfProbe.NODES).isPresent());
    assertTrue(SelfProbe.complete(answers, true));
    assertFalse(SelfProbe.complete(answers, false));
    assertTrue(SelfProbe.answer(answers, SelfProbe.DEVICE).isEmpty());
  }

  @Test
  void anAnswerFolderItCannotWriteEndsTheScriptQuietlyWithoutStarted() throws Exception {
    Path control = Files.createDirectories(tmp.resolve("control"));
    Path elsewhere = tmp.resolve("missing").resolve("probe");
    SelfProbe.prepare(
        control,
        Files.createDirectories(tmp.resolve("out")),
        SelfProbe.script(List.of("echo", "x"), elsewhere.toString()),
        false);
    Process p = new ProcessBuilder("/bin/sh", control.resolve(SelfProbe.SCRIPT).toString()).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), "the hold goes on to wait; the worker then asks by exec");
    assertFalse(Files.exists(elsewhere));
  }

  @Test
  void consumeDeletesTheAnswersAndNotesItInTheControlFolder() throws Exception {
    Path runDir = run(SelfProbe.script(List.of("echo", "secret-ish"), answersIn().toString()));
    Path control = tmp.resolve("control");
    assertFalse(SelfProbe.consumed(control));
    SelfProbe.consume(control, runDir);
    assertTrue(SelfProbe.consumed(control));
    assertFalse(Files.exists(answersIn()));
    HoldFiles.deleteFrom(control);
    assertFalse(Files.exists(control));
  }

  @Test
  void anAnswerThatIsALinkIsRefusedWithoutReadingItsTarget() throws Exception {
    Path secret = Files.writeString(tmp.resolve("host-secret.txt"), "HOST-SECRET-MARKER\n");
    Path runDir = run(SelfProbe.script(List.of("echo", "GPU-1"), answersIn().toString()));
    Path out = answersIn().resolve(SelfProbe.DEVICE + ".out");
    Files.delete(out);
    Files.createSymbolicLink(out, secret);

    ExecResult device = SelfProbe.answer(runDir, SelfProbe.DEVICE).orElseThrow();
    assertEquals(-1, device.exitCode());
    assertFalse(device.combined().contains("HOST-SECRET-MARKER"), device.combined());
    assertTrue(device.stderr().contains("device.out is a symbolic link"), device.stderr());
  }

  @Test
  void anAnswerFolderThatIsALinkIsNeitherReadNorFollowedWhenDeleted() throws Exception {
    Path hostDir = Files.createDirectories(tmp.resolve("host"));
    Files.writeString(hostDir.resolve(SelfProbe.DONE), "");
    Files.writeString(hostDir.resolve(SelfProbe.DEVICE + ".exit"), "0\n");
    Files.writeString(hostDir.resolve(SelfProbe.DEVICE + ".out"), "HOST-SECRET-MARKER\n");
    Path runDir = Files.createDirectories(tmp.resolve("out"));
    Files.createSymbolicLink(runDir.resolve(SelfProbe.OUT), hostDir);

    assertFalse(SelfProbe.wrote(runDir, SelfProbe.DONE));
    ExecResult device = SelfProbe.answer(runDir, SelfProbe.DEVICE).orElseThrow();
    assertFalse(device.combined().contains("HOST-SECRET-MARKER"), device.combined());
    SelfProbe.deleteAnswers(runDir);
    assertFalse(
        Files.exists(runDir.resolve(SelfProbe.OUT), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.exists(hostDir.resolve(SelfProbe.DEVICE + ".out")), "the host folder is kept");
  }
}
