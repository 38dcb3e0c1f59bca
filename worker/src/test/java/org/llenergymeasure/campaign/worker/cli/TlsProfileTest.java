package org.llenergymeasure.campaign.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.worker.EnvironmentProblem;
import org.llenergymeasure.campaign.worker.temporal.TemporalConnection;
import org.llenergymeasure.campaign.worker.temporal.TemporalSettings;
import org.llenergymeasure.campaign.worker.testing.TemporalDevServerExtension;
import org.llenergymeasure.campaign.worker.testing.TestCertificates;
import org.llenergymeasure.campaign.worker.testing.TlsProxy;

/**
 * A real TLS handshake: a TLS-terminating proxy with a certificate of the test's own CA in front of
 * a real dev server. A profile with that CA connects; one with another CA fails with a clear error.
 */
@Tag("temporal")
class TlsProfileTest {

  @RegisterExtension
  static final TemporalDevServerExtension temporal = new TemporalDevServerExtension();

  @TempDir static Path tmp;
  private static TlsProxy proxy;
  private static Path config;
  private static Path rightCa;

  @BeforeAll
  static void proxyWithOurOwnCa() throws Exception {
    rightCa = TestCertificates.authority(tmp, "llem-test-ca");
    Path wrongCa = TestCertificates.authority(tmp, "some-other-ca");
    Path serverKeys = TestCertificates.server(tmp, "llem-test-ca");
    int devPort = Integer.parseInt(temporal.address().substring("127.0.0.1:".length()));
    proxy = new TlsProxy(serverKeys, TestCertificates.PASSWORD, devPort);
    config = tmp.resolve("temporal.toml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "[profile.tls-right]",
            "address = \"" + proxy.address() + "\"",
            "[profile.tls-right.tls]",
            "server_ca_cert_path = \"" + rightCa + "\"",
            "",
            "[profile.tls-wrong]",
            "address = \"" + proxy.address() + "\"",
            "[profile.tls-wrong.tls]",
            "server_ca_cert_path = \"" + wrongCa + "\"",
            "",
            "[profile.plain]",
            "address = \"" + proxy.address() + "\"",
            ""));
  }

  @AfterAll
  static void stopProxy() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
  }

  private static TemporalSettings settings(String profile, String... env) {
    Map<String, String> vars = new java.util.HashMap<>();
    vars.put("TEMPORAL_CONFIG_FILE", config.toString());
    for (int i = 0; i < env.length; i += 2) {
      vars.put(env[i], env[i + 1]);
    }
    return TemporalSettings.resolve(null, null, profile, vars);
  }

  @Test
  void theRightCaConnectsThroughARealHandshakeAndAnotherCaFailsClearly() throws Exception {
    int before = proxy.handshakes();
    try (TemporalConnection c = TemporalConnection.connect(settings("tls-right"))) {
      assertEquals(proxy.address(), c.address());
    }
    assertTrue(proxy.handshakes() > before, "the connection went through the TLS proxy");

    int failedBefore = proxy.failedHandshakes();
    EnvironmentProblem wrong =
        assertThrows(
            EnvironmentProblem.class, () -> TemporalConnection.connect(settings("tls-wrong")));
    assertTrue(
        wrong.getMessage().startsWith("no Temporal server reachable at " + proxy.address()),
        wrong.getMessage());
    assertTrue(wrong.getMessage().contains("TLS handshake failed"), wrong.getMessage());
    // The proxy's thread sees the client's alert a moment after the client gave up.
    for (int i = 0; i < 100 && proxy.failedHandshakes() <= failedBefore; i++) {
      Thread.sleep(50);
    }
    assertTrue(proxy.failedHandshakes() > failedBefore, "the client refused the certificate");

    assertThrows(
        EnvironmentProblem.class,
        () -> TemporalConnection.connect(settings("plain")),
        "no TLS against a TLS server");
  }

  @Test
  void theOlderCaVariableStillWorksOverAProfileWithoutTls() {
    try (TemporalConnection c =
        TemporalConnection.connect(settings("plain", "TEMPORAL_TLS_CA", rightCa.toString()))) {
      assertEquals(proxy.address(), c.address());
    }
  }

  @Test
  void theCliListsThroughTheRightCaAndExits3WithTheWrongOne() throws Exception {
    Map<String, String> env = Map.of("TEMPORAL_CONFIG_FILE", config.toString());
    CliJvm right = CliJvm.run(tmp, env, "list", "--json", "--profile", "tls-right");
    assertEquals(0, right.exit(), right.all());
    assertTrue(right.out().contains("\"campaigns\""), right.out());

    CliJvm wrong = CliJvm.run(tmp, env, "list", "--json", "--profile", "tls-wrong");
    assertEquals(3, wrong.exit(), wrong.all());
    assertTrue(wrong.err().contains("TLS handshake failed"), wrong.err());
    assertTrue(wrong.out().contains("\"EnvironmentProblem\""), wrong.out());
  }
}
