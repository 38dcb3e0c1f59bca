package org.llenergymeasure.campaign.worker.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.llenergymeasure.campaign.worker.BadInput;

/** temporal.toml profiles and the TEMPORAL_* variables, resolved through Temporal's envconfig. */
class TemporalProfilesTest {

  private static final String KEY = "llem-test-api-key-5f1c0e";

  @TempDir Path tmp;

  private Path twoProfiles() throws Exception {
    Path file = tmp.resolve("temporal.toml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "[profile.default]",
            "address = \"default.example:7233\"",
            "",
            "[profile.dev]",
            "address = \"dev.example:7233\"",
            "namespace = \"dev-ns\"",
            "",
            "[profile.cloud]",
            "address = \"ns.acct.tmprl.cloud:7233\"",
            "namespace = \"ns.acct\"",
            "api_key = \"" + KEY + "\"",
            "",
            "[profile.cloud.tls]",
            "server_ca_cert_path = \"/from-profile-ca.pem\"",
            "server_name = \"temporal.internal\"",
            ""));
    return file;
  }

  private static Map<String, String> env(Path file, String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("TEMPORAL_CONFIG_FILE", file.toString());
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void theProfileIsChosenByFlagElseTemporalProfileElseDefault() throws Exception {
    Path file = twoProfiles();
    TemporalSettings byDefault = TemporalSettings.resolve(null, null, null, env(file));
    assertEquals("default.example:7233", byDefault.address());
    assertEquals("default", byDefault.profileName());
    assertFalse(byDefault.embedded(), "a profile's address means no embedded server");

    TemporalSettings byEnv =
        TemporalSettings.resolve(null, null, null, env(file, "TEMPORAL_PROFILE", "dev"));
    assertEquals("dev.example:7233", byEnv.address());
    assertEquals("dev-ns", byEnv.namespace());
    assertEquals("profile 'dev' in " + file, byEnv.addressSource());

    TemporalSettings byFlag =
        TemporalSettings.resolve(null, null, "cloud", env(file, "TEMPORAL_PROFILE", "dev"));
    assertEquals("ns.acct.tmprl.cloud:7233", byFlag.address(), "--profile wins over the variable");
    assertEquals("ns.acct", byFlag.namespace());
    assertEquals(KEY, byFlag.apiKey());
    assertEquals("/from-profile-ca.pem", byFlag.tlsCaPath());
    assertEquals("temporal.internal", byFlag.tlsServerName());
    assertTrue(byFlag.tls());
  }

  @Test
  void flagsWinOverVariablesWhichWinOverTheProfile() throws Exception {
    Path file = twoProfiles();
    Map<String, String> env =
        env(
            file,
            "TEMPORAL_PROFILE",
            "cloud",
            "TEMPORAL_ADDRESS",
            "env.example:7233",
            "TEMPORAL_TLS_CA",
            "/alias-ca.pem");
    TemporalSettings fromEnv = TemporalSettings.resolve(null, null, null, env);
    assertEquals("env.example:7233", fromEnv.address());
    assertEquals("TEMPORAL_ADDRESS", fromEnv.addressSource());
    assertEquals("ns.acct", fromEnv.namespace(), "what the variables leave out: the profile's");
    assertEquals("/alias-ca.pem", fromEnv.tlsCaPath(), "the older alias over the profile");
    assertEquals("temporal.internal", fromEnv.tlsServerName());

    env.put("TEMPORAL_TLS_SERVER_CA_CERT_PATH", "/envconfig-ca.pem");
    assertEquals(
        "/envconfig-ca.pem",
        TemporalSettings.resolve(null, null, null, env).tlsCaPath(),
        "envconfig's name over its alias");

    TemporalSettings fromFlags = TemporalSettings.resolve("flag.example:1", "flag-ns", "dev", env);
    assertEquals("flag.example:1", fromFlags.address());
    assertEquals("--temporal", fromFlags.addressSource());
    assertEquals("flag-ns", fromFlags.namespace());
  }

  @Test
  void noFileAndNoProfileAskedForIsTheEmbeddedDefault() {
    Path missing = tmp.resolve("no-such.toml");
    TemporalSettings s = TemporalSettings.resolve(null, null, null, env(missing));
    assertTrue(s.embedded());
    assertNull(s.addressSource());
    assertNull(s.profileName());
    assertEquals("default", s.namespace());
    assertFalse(s.tls());
  }

  @Test
  void anUnknownProfileIsBadInputNamingTheFileTheProfileAndTheKnownOnes() throws Exception {
    Path file = twoProfiles();
    BadInput byFlag =
        assertThrows(BadInput.class, () -> TemporalSettings.resolve(null, null, "prod", env(file)));
    assertTrue(byFlag.getMessage().contains("'prod' (--profile)"), byFlag.getMessage());
    assertTrue(byFlag.getMessage().contains(file.toString()), byFlag.getMessage());
    assertTrue(
        byFlag.getMessage().contains("profiles there: cloud, default, dev"), byFlag.getMessage());

    BadInput byEnv =
        assertThrows(
            BadInput.class,
            () ->
                TemporalSettings.resolve(
                    null, null, null, env(tmp.resolve("none.toml"), "TEMPORAL_PROFILE", "prod")));
    assertTrue(byEnv.getMessage().contains("'prod' (TEMPORAL_PROFILE)"), byEnv.getMessage());
    assertTrue(byEnv.getMessage().contains("(no such file)"), byEnv.getMessage());
  }

  @Test
  void aMalformedFileIsBadInputNamingItAndNeverQuotingItsKey() throws Exception {
    Path file = tmp.resolve("broken.toml");
    Files.writeString(
        file, "[profile.cloud]\naddress = \"a:1\"\napi_key = " + KEY + "\n[[[nonsense\n");
    BadInput e =
        assertThrows(
            BadInput.class, () -> TemporalSettings.resolve(null, null, "cloud", env(file)));
    assertTrue(e.getMessage().contains(file + " is not valid TOML (line"), e.getMessage());
    assertFalse(e.getMessage().contains(KEY), e.getMessage());

    Files.writeString(file, "profile = 3\n");
    BadInput notProfiles =
        assertThrows(BadInput.class, () -> TemporalSettings.resolve(null, null, null, env(file)));
    assertTrue(notProfiles.getMessage().contains(file.toString()), notProfiles.getMessage());
  }

  @Test
  void anEmptyFileHasNoProfiles() throws Exception {
    Path file = tmp.resolve("empty.toml");
    Files.writeString(file, "# nothing yet\n");
    assertTrue(TemporalSettings.resolve(null, null, null, env(file)).embedded());
  }

  @Test
  void theKeyOfAProfileIsNeverPrinted() throws Exception {
    TemporalSettings s = TemporalSettings.resolve(null, null, "cloud", env(twoProfiles()));
    assertFalse(s.toString().contains(KEY), s.toString());
    assertTrue(s.toString().contains("apiKey=***"), s.toString());
  }

  @Test
  void tlsCanBeTurnedOffAndOnByTheVariable() throws Exception {
    Path file = twoProfiles();
    assertFalse(
        TemporalSettings.resolve(null, null, "cloud", env(file, "TEMPORAL_TLS", "false")).tls(),
        "TEMPORAL_TLS=false turns off even the TLS of an API key");
    assertTrue(TemporalSettings.resolve(null, null, "dev", env(file, "TEMPORAL_TLS", "1")).tls());
    assertFalse(TemporalSettings.resolve(null, null, "dev", env(file)).tls());
  }
}
