package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.config.CampaignLoader;
import org.llenergymeasure.campaign.worker.campaign.CampaignStarter;
import org.llenergymeasure.campaign.worker.server.DevServerProcess;
import org.llenergymeasure.campaign.worker.server.ServerSession;
import org.llenergymeasure.campaign.worker.server.StateFileHolder;
import org.llenergymeasure.campaign.worker.temporal.TemporalSettings;

/**
 * {@code ui [NAME]}: the embedded server on LLEM_HOME's state file, never a second one on a file a
 * live server holds; the campaign's link; an unknown NAME names the known ones.
 */
@Tag("temporal")
class UiCommandTest {

  @TempDir Path home;

  @AfterEach
  void clearHome() {
    System.clearProperty("llem.home");
  }

  @Test
  void refusesAHeldStateFileThenServesItAndPrintsTheCampaignsLink() throws Exception {
    System.setProperty("llem.home", home.toString());
    Path db = home.resolve("temporal.db");
    Path binary =
        DevServerProcess.findBinary().orElseThrow(() -> new AssertionError("no temporal"));
    int port = freePort();
    int uiPort = freePort();

    // A live server on the state file (the path run and server take), with a campaign in it.
    DevServerProcess first =
        new DevServerProcess(
                binary, new DevServerProcess.Options(db, port, uiPort, home.resolve("s1.log")))
            .start(Duration.ofSeconds(60));
    try {
      StateFileHolder.Holder holder = first.holder();
      assertEquals(first.pid(), holder.serverPid());
      assertTrue(Files.isRegularFile(StateFileHolder.holderFile(db)));
      startCampaign(port, "ui-known");

      CliRun refused =
          CliRun.of(
              "ui",
              "ui-known",
              "--port",
              Integer.toString(freePort()),
              "--ui-port",
              Integer.toString(freePort()));
      assertEquals(3, refused.exit(), refused.err());
      assertTrue(
          refused.err().contains("already served by process " + ProcessHandle.current().pid()),
          refused.err());
      assertTrue(refused.err().contains("its Temporal server pid " + first.pid()), refused.err());
      assertTrue(
          refused
              .err()
              .contains(
                  "open http://127.0.0.1:"
                      + uiPort
                      + "/namespaces/default/workflows/campaign%2Fui-known"),
          refused.err());
    } finally {
      first.close();
    }
    assertFalse(Files.exists(StateFileHolder.holderFile(db)), "the holder file goes with it");

    int port2 = freePort();
    int uiPort2 = freePort();
    String[] args = {"--port", Integer.toString(port2), "--ui-port", Integer.toString(uiPort2)};
    CliRun unknown = CliRun.of(concat("ui", "ui-nope", args));
    assertEquals(2, unknown.exit(), unknown.err());
    assertTrue(
        unknown.err().contains("no campaign named ui-nope")
            && unknown.err().contains("known campaigns: ui-known"),
        unknown.err());
    assertFalse(DevServerProcess.isListening(port2), "a refused NAME stops the server it started");

    // ui NAME --json: serves until stopped (here: its thread interrupted), the link on stdout in
    // one JSON object with the server's address and state file.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    AtomicInteger exit = new AtomicInteger(-1);
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    String[] jsonArgs = {"--json", args[0], args[1], args[2], args[3]};
    Thread ui = new Thread(() -> exit.set(Main.execute(concat("ui", "ui-known", jsonArgs))));
    String link =
        "http://127.0.0.1:" + uiPort2 + "/namespaces/default/workflows/campaign%2Fui-known";
    try {
      ui.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (!out.toString(StandardCharsets.UTF_8).contains(link) && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertTrue(out.toString(StandardCharsets.UTF_8).contains(link), out.toString());
      while (!out.toString(StandardCharsets.UTF_8).strip().endsWith("}")
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      var served = Console.mapper().readTree(out.toString(StandardCharsets.UTF_8));
      assertEquals(link, served.path("webUi").asText(), out.toString());
      assertEquals("127.0.0.1:" + port2, served.path("address").asText());
      assertEquals(db.toString(), served.path("stateFile").asText());
      assertEquals("ui-known", served.path("campaign").asText());
      assertTrue(DevServerProcess.isListening(port2));
      StateFileHolder.Holder serving = StateFileHolder.liveHolder(db).orElseThrow();
      assertEquals("http://127.0.0.1:" + uiPort2, serving.webUi());
    } finally {
      ui.interrupt();
      ui.join(30_000);
      System.setOut(oldOut);
    }
    assertFalse(ui.isAlive());
    assertFalse(DevServerProcess.isListening(port2), "stopping ui stops its server");
  }

  @Test
  void aHolderFileOfALiveProcessRefusesAndAStaleOneIsTakenOver() throws Exception {
    Path db = home.resolve("temporal.db");
    Process other = new ProcessBuilder("sleep", "60").start();
    try {
      Files.writeString(
          StateFileHolder.holderFile(db),
          "{\"pid\": "
              + other.pid()
              + ", \"command\": \"llem-campaign run x.yaml\", \"serverPid\": "
              + other.pid()
              + ", \"address\": \"127.0.0.1:7233\", \"webUi\": \"http://127.0.0.1:8233\"}");
      StateFileHolder.StateFileHeld held =
          org.junit.jupiter.api.Assertions.assertThrows(
              StateFileHolder.StateFileHeld.class,
              () -> StateFileHolder.claim(db, "127.0.0.1:1", null));
      assertTrue(held.getMessage().contains("process " + other.pid()), held.getMessage());
      assertTrue(held.getMessage().contains("llem-campaign run x.yaml"), held.getMessage());
    } finally {
      other.destroyForcibly();
      other.waitFor();
    }
    // The same file once that process is gone: stale, taken over.
    try (StateFileHolder claim = StateFileHolder.claim(db, "127.0.0.1:1", null)) {
      assertEquals(ProcessHandle.current().pid(), claim.holder().pid());
      assertNotNull(StateFileHolder.liveHolder(db).orElse(null));
    }
  }

  private static void startCampaign(int port, String name) throws Exception {
    var loaded =
        CampaignLoader.parse(
            String.join(
                "\n",
                "campaign: " + name,
                "defaults: {image: 'llem-probe:dev', timeout: 1m}",
                "experiments:",
                "  - name: only",
                "    gpus: [0]",
                "    command: [sh, -c, 'true']",
                ""),
            name + ".yaml");
    try (ServerSession s =
        ServerSession.connectOnly(TemporalSettings.resolve("127.0.0.1:" + port, "default"))) {
      assertTrue(
          new CampaignStarter(s.connection().client())
              .startOrAttach(loaded, List.of("ui-test-host"))
              .started());
    }
  }

  private static String[] concat(String a, String b, String[] rest) {
    String[] all = new String[rest.length + 2];
    all[0] = a;
    all[1] = b;
    System.arraycopy(rest, 0, all, 2, rest.length);
    return all;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
