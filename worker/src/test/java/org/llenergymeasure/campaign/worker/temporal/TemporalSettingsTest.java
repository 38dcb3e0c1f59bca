package org.llenergymeasure.campaign.worker.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.llenergymeasure.campaign.worker.EnvironmentProblem;

class TemporalSettingsTest {

  @Test
  void envconfigsNamesAreReadAndWinOverTheOlderAliasesWhichStillWorkAlone() {
    TemporalSettings s =
        TemporalSettings.resolve(
            null,
            null,
            Map.of(
                "TEMPORAL_ADDRESS", "t.example:7233",
                "TEMPORAL_NAMESPACE", "ns1",
                "TEMPORAL_API_KEY", "key-123456",
                "TEMPORAL_TLS_CERT", "/alias-c.pem",
                "TEMPORAL_TLS_CLIENT_CERT_PATH", "/c.pem",
                "TEMPORAL_TLS_KEY", "/k.pem",
                "TEMPORAL_TLS_SERVER_CA_CERT_PATH", "/ca.pem",
                "TEMPORAL_TLS_SERVER_NAME", "temporal.internal"));
    assertEquals("t.example:7233", s.effectiveAddress());
    assertEquals("ns1", s.namespace());
    // TEMPORAL_TLS_CLIENT_CERT_PATH is the name of the temporal CLI and the SDKs (envconfig).
    assertEquals("/c.pem", s.tlsCertPath());
    assertEquals("/k.pem", s.tlsKeyPath(), "an alias still works alone");
    assertEquals("/ca.pem", s.tlsCaPath());
    assertEquals("temporal.internal", s.tlsServerName());
    assertTrue(s.tls());
  }

  @Test
  void flagsWinOverTheEnvironmentAndNothingMeansTheEmbeddedDefault() {
    TemporalSettings s =
        TemporalSettings.resolve(
            "h:1", "ns2", Map.of("TEMPORAL_ADDRESS", "x:2", "TEMPORAL_NAMESPACE", "y"));
    assertEquals("h:1", s.address());
    assertEquals("ns2", s.namespace());
    TemporalSettings none = TemporalSettings.resolve(null, null, Map.of());
    assertTrue(none.embedded());
    assertEquals("default", none.namespace());
    assertFalse(none.tls());
    assertTrue(TemporalSettings.resolve(null, null, Map.of("TEMPORAL_TLS", "true")).tls());
    assertNull(TemporalSettings.resolve(null, null, Map.of("TEMPORAL_API_KEY", "  ")).apiKey());
  }

  @Test
  void theApiKeyIsNeverPrinted() {
    TemporalSettings s =
        TemporalSettings.resolve(null, null, Map.of("TEMPORAL_API_KEY", "very-secret-key"));
    assertFalse(s.toString().contains("very-secret-key"), s.toString());
    assertTrue(s.toString().contains("apiKey=***"), s.toString());
  }

  @Test
  void anUnreachableServerIsOneLineNamingTheAddressEvenWithTlsAndAServerName() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    TemporalSettings s =
        TemporalSettings.resolve(
            "127.0.0.1:" + port,
            null,
            Map.of("TEMPORAL_TLS", "true", "TEMPORAL_TLS_SERVER_NAME", "temporal.internal"));
    EnvironmentProblem e =
        assertThrows(EnvironmentProblem.class, () -> TemporalConnection.connect(s));
    assertTrue(
        e.getMessage().startsWith("no Temporal server reachable at 127.0.0.1:" + port),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }
}
