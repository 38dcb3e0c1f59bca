package org.llenergymeasure.campaign.worker.temporal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.temporal.envconfig.ClientConfig;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.envconfig.LoadClientConfigProfileOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.llenergymeasure.campaign.worker.BadInput;

/**
 * The Temporal client profile of {@code temporal.toml} and the {@code TEMPORAL_*} variables, read
 * with Temporal's own envconfig, so that one profile serves the {@code temporal} CLI, this tool and
 * the user's own SDK code.
 *
 * <p>The file: {@code TEMPORAL_CONFIG_FILE}, else {@code ~/.config/temporalio/temporal.toml}
 * (macOS: {@code ~/Library/Application Support/temporalio/temporal.toml}). The profile: {@code
 * --profile}, else {@code TEMPORAL_PROFILE}, else {@code default} (which may be absent). The
 * variables win over the profile. The older names this tool documented before, {@code
 * TEMPORAL_TLS_CERT}, {@code TEMPORAL_TLS_KEY} and {@code TEMPORAL_TLS_CA}, stand for envconfig's
 * {@code TEMPORAL_TLS_CLIENT_CERT_PATH}, {@code TEMPORAL_TLS_CLIENT_KEY_PATH} and {@code
 * TEMPORAL_TLS_SERVER_CA_CERT_PATH} when those are not set.
 */
final class ClientProfiles {

  /** Older name → envconfig's name. */
  static final Map<String, String> ALIASES =
      Map.of(
          "TEMPORAL_TLS_CERT", "TEMPORAL_TLS_CLIENT_CERT_PATH",
          "TEMPORAL_TLS_KEY", "TEMPORAL_TLS_CLIENT_KEY_PATH",
          "TEMPORAL_TLS_CA", "TEMPORAL_TLS_SERVER_CA_CERT_PATH");

  /**
   * The profile with the environment applied.
   *
   * @param name the profile taken from the file, or null when none was (no file, or no {@code
   *     default} in it)
   * @param file the config file looked at (it may not exist), or null without a home folder
   * @param addressFromEnv whether {@code TEMPORAL_ADDRESS} gave the address
   */
  record Loaded(ClientConfigProfile profile, String name, Path file, boolean addressFromEnv) {}

  private ClientProfiles() {}

  static Loaded load(String profileFlag, Map<String, String> rawEnv) {
    Map<String, String> env = normalize(rawEnv);
    Path file = configFile(env);
    String requested = profileFlag == null || profileFlag.isBlank() ? null : profileFlag.trim();
    String via = requested != null ? "--profile" : "TEMPORAL_PROFILE";
    if (requested == null) {
      requested = env.get("TEMPORAL_PROFILE");
    }
    byte[] data = read(file);
    Map<String, ClientConfigProfile> profiles = parse(file, data);
    String name = requested != null ? requested : "default";
    if (!profiles.containsKey(name)) {
      if (requested != null) {
        throw new BadInput(
            "no Temporal profile '"
                + name
                + "' ("
                + via
                + ") in "
                + (data == null ? file + " (no such file)" : file)
                + "; profiles there: "
                + (profiles.isEmpty()
                    ? "none"
                    : String.join(", ", new TreeSet<>(profiles.keySet())))
                + " (TEMPORAL_CONFIG_FILE names another file)");
      }
      name = null;
    }
    LoadClientConfigProfileOptions.Builder options =
        LoadClientConfigProfileOptions.newBuilder().setEnvOverrides(env);
    if (name == null) {
      options.setDisableFile(true);
    } else {
      options.setConfigFileData(data).setConfigFileProfile(name);
    }
    try {
      return new Loaded(
          ClientConfigProfile.load(options.build()),
          name,
          file,
          env.containsKey("TEMPORAL_ADDRESS"));
    } catch (IOException | RuntimeException e) {
      // Parsed once already; its words are not echoed: they may quote a value, and one is a key.
      throw new BadInput("cannot read Temporal profile '" + name + "' of " + file);
    }
  }

  /**
   * The variables as envconfig reads them: only {@code TEMPORAL_*}, trimmed, blank = unset (as this
   * tool always read them), the older aliases mapped, {@code TEMPORAL_TLS=1/0} as true/false.
   */
  static Map<String, String> normalize(Map<String, String> env) {
    Map<String, String> out = new HashMap<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      String key = e.getKey();
      String value = e.getValue();
      if (!key.startsWith("TEMPORAL_") || value == null) {
        continue;
      }
      if (key.startsWith("TEMPORAL_GRPC_META_")) {
        out.put(key, value); // empty removes a header of the profile: envconfig's rule
      } else if (!value.isBlank()) {
        out.put(key, value.trim());
      }
    }
    for (Map.Entry<String, String> alias : ALIASES.entrySet()) {
      String value = out.remove(alias.getKey());
      if (value != null) {
        out.putIfAbsent(alias.getValue(), value);
      }
    }
    String tls = out.get("TEMPORAL_TLS");
    if ("1".equals(tls)) {
      out.put("TEMPORAL_TLS", "true");
    } else if ("0".equals(tls)) {
      out.put("TEMPORAL_TLS", "false");
    }
    return out;
  }

  /** {@code TEMPORAL_CONFIG_FILE}, else envconfig's default place for this OS. */
  static Path configFile(Map<String, String> env) {
    String explicit = env.get("TEMPORAL_CONFIG_FILE");
    if (explicit != null) {
      return Path.of(explicit);
    }
    String home = System.getProperty("user.home");
    if (home == null || home.isEmpty()) {
      return null;
    }
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.contains("mac")) {
      return Path.of(home, "Library", "Application Support", "temporalio", "temporal.toml");
    }
    if (os.contains("win")) {
      String appData = System.getenv("APPDATA");
      return appData == null || appData.isEmpty()
          ? null
          : Path.of(appData, "temporalio", "temporal.toml");
    }
    return Path.of(home, ".config", "temporalio", "temporal.toml");
  }

  private static byte[] read(Path file) {
    if (file == null) {
      return null;
    }
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new BadInput("cannot read the Temporal config file " + file + ": " + e);
    }
  }

  /** The file's profiles by name; a file that is not TOML, or not profiles, is bad input. */
  private static Map<String, ClientConfigProfile> parse(Path file, byte[] data) {
    if (data == null) {
      return Map.of();
    }
    JsonNode root;
    try {
      root = new TomlMapper().readTree(data);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      // Not the parser's own words: they may quote a value of the file, and a value may be a key.
      throw new BadInput(
          "the Temporal config file "
              + file
              + " is not valid TOML"
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
              + "; fix it or point TEMPORAL_CONFIG_FILE elsewhere");
    } catch (IOException e) {
      throw new BadInput("cannot read the Temporal config file " + file + ": " + e);
    }
    JsonNode profiles = root == null ? null : root.get("profile");
    if (profiles == null) {
      return Map.of();
    }
    if (!profiles.isObject()) {
      throw new BadInput(
          "the Temporal config file " + file + ": `profile` is not a table of profiles");
    }
    try {
      return ClientConfig.fromToml(data).getProfiles();
    } catch (IOException | RuntimeException e) {
      throw new BadInput(
          "the Temporal config file "
              + file
              + " has a profile that is not a Temporal client profile (keys: address, namespace,"
              + " api_key, tls.*, grpc_meta)");
    }
  }
}
