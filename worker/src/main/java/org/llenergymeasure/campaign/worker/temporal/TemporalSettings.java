package org.llenergymeasure.campaign.worker.temporal;

import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.envconfig.ClientConfigTLS;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the Temporal service is and how to reach it, resolved the way the {@code temporal} CLI and
 * the SDKs resolve it (Temporal's envconfig, see {@link ClientProfiles}): flags ({@code
 * --temporal}, {@code --namespace}) win over the {@code TEMPORAL_*} variables, which win over the
 * client profile of {@code temporal.toml} ({@code --profile}, else {@code TEMPORAL_PROFILE}, else
 * {@code default}); with no address from any of them, the embedded default (127.0.0.1:7233,
 * namespace {@code default}).
 *
 * <p>The API key is never logged nor printed: {@link #toString} masks it and no message of this
 * package names it.
 */
public final class TemporalSettings {

  public static final String EMBEDDED_ADDRESS = "127.0.0.1:7233";
  public static final int EMBEDDED_UI_PORT = 8233;

  private final ClientConfigProfile profile;
  private final String addressSource;
  private final String profileName;

  private TemporalSettings(ClientConfigProfile profile, String addressSource, String profileName) {
    this.profile = profile;
    this.addressSource = addressSource;
    this.profileName = profileName;
  }

  /**
   * Settings given directly (tests, the embedded server).
   *
   * @param address host:port, or null = embedded default
   * @param apiKey null for none
   * @param tlsRequested TLS with the system's CAs even without files
   */
  public TemporalSettings(
      String address,
      String namespace,
      String apiKey,
      String tlsCertPath,
      String tlsKeyPath,
      String tlsCaPath,
      String tlsServerName,
      boolean tlsRequested) {
    this(
        ClientConfigProfile.newBuilder()
            .setAddress(address)
            .setNamespace(namespace)
            .setApiKey(apiKey)
            .setTls(
                tlsRequested
                        || tlsCertPath != null
                        || tlsKeyPath != null
                        || tlsCaPath != null
                        || tlsServerName != null
                    ? ClientConfigTLS.newBuilder()
                        .setDisabled(false)
                        .setClientCertPath(tlsCertPath)
                        .setClientKeyPath(tlsKeyPath)
                        .setServerCACertPath(tlsCaPath)
                        .setServerName(tlsServerName)
                        .build()
                    : null)
            .build(),
        address == null ? null : "given",
        null);
  }

  public static TemporalSettings resolve(String addressFlag, String namespaceFlag) {
    return resolve(addressFlag, namespaceFlag, null, System.getenv());
  }

  /** As {@link #resolve(String, String)} with an explicit environment (tests). */
  public static TemporalSettings resolve(
      String addressFlag, String namespaceFlag, Map<String, String> env) {
    return resolve(addressFlag, namespaceFlag, null, env);
  }

  /**
   * Flags, then the environment, then the profile.
   *
   * @param profileFlag {@code --profile}, or null for {@code TEMPORAL_PROFILE} / {@code default}
   * @throws org.llenergymeasure.campaign.worker.BadInput for an unknown profile or a malformed file
   */
  public static TemporalSettings resolve(
      String addressFlag, String namespaceFlag, String profileFlag, Map<String, String> env) {
    ClientProfiles.Loaded loaded = ClientProfiles.load(profileFlag, env);
    ClientConfigProfile.Builder merged = loaded.profile().toBuilder();
    String source = null;
    if (notBlank(addressFlag)) {
      merged.setAddress(addressFlag.trim());
      source = "--temporal";
    } else if (loaded.addressFromEnv()) {
      source = "TEMPORAL_ADDRESS";
    } else if (notBlank(loaded.profile().getAddress())) {
      source = "profile '" + loaded.name() + "' in " + loaded.file();
    }
    if (notBlank(namespaceFlag)) {
      merged.setNamespace(namespaceFlag.trim());
    }
    return new TemporalSettings(merged.build(), source, loaded.name());
  }

  /** host:port, or null when nothing gave one (the embedded default). */
  public String address() {
    return blankToNull(profile.getAddress());
  }

  public String namespace() {
    String ns = blankToNull(profile.getNamespace());
    return ns == null ? "default" : ns;
  }

  /** Null for none. Never print it. */
  public String apiKey() {
    return blankToNull(profile.getApiKey());
  }

  public String tlsCertPath() {
    return tlsValue(profile.getTls() == null ? null : profile.getTls().getClientCertPath());
  }

  public String tlsKeyPath() {
    return tlsValue(profile.getTls() == null ? null : profile.getTls().getClientKeyPath());
  }

  public String tlsCaPath() {
    return tlsValue(profile.getTls() == null ? null : profile.getTls().getServerCACertPath());
  }

  public String tlsServerName() {
    return tlsValue(profile.getTls() == null ? null : profile.getTls().getServerName());
  }

  /**
   * Where the address came from: {@code --temporal}, {@code TEMPORAL_ADDRESS}, {@code profile 'P'
   * in FILE}; null for the embedded default.
   */
  public String addressSource() {
    return addressSource;
  }

  /** The profile of temporal.toml these settings started from; null when none. */
  public String profileName() {
    return profileName;
  }

  /** True when nothing gave an address: the tool may start its own server. */
  public boolean embedded() {
    return address() == null;
  }

  public String effectiveAddress() {
    String address = address();
    return address == null ? EMBEDDED_ADDRESS : address;
  }

  /**
   * TLS as envconfig sets it up: a TLS setting that is not {@code disabled} (a file, a server name,
   * {@code TEMPORAL_TLS=true}), or an API key unless TLS is disabled.
   */
  public boolean tls() {
    ClientConfigTLS t = profile.getTls();
    if (t != null && !Boolean.TRUE.equals(t.isDisabled())) {
      return true;
    }
    return apiKey() != null && (t == null || !Boolean.TRUE.equals(t.isDisabled()));
  }

  /**
   * The connection options envconfig builds from the profile (target, API key, TLS, gRPC metadata).
   *
   * @throws RuntimeException when a TLS file cannot be read
   */
  WorkflowServiceStubsOptions stubsOptions() {
    return profile.toWorkflowServiceStubsOptions();
  }

  /** Never shows the API key's value. */
  @Override
  public String toString() {
    return "TemporalSettings[address="
        + effectiveAddress()
        + (addressSource == null ? "" : " (" + addressSource + ")")
        + ", namespace="
        + namespace()
        + ", apiKey="
        + (apiKey() == null ? "none" : "***")
        + ", tls="
        + tls()
        + (tlsServerName() == null ? "" : ", serverName=" + tlsServerName())
        + "]";
  }

  /** The config file a profile would come from (for messages); null without a home folder. */
  public static Path configFile(Map<String, String> env) {
    return ClientProfiles.configFile(ClientProfiles.normalize(env));
  }

  private String tlsValue(String value) {
    return profile.getTls() == null || Boolean.TRUE.equals(profile.getTls().isDisabled())
        ? null
        : blankToNull(value);
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  private static String blankToNull(String s) {
    return notBlank(s) ? s.trim() : null;
  }
}
