package org.llenergymeasure.campaign.worker.temporal;

import java.util.Map;

/**
 * Where the Temporal service is: from flags, else the Temporal CLI's {@code TEMPORAL_*} environment
 * variables, else the embedded default (127.0.0.1:7233, namespace {@code default}).
 *
 * <p>Environment (the Temporal CLI's names first; the older SDK-sample names still work): {@code
 * TEMPORAL_ADDRESS}, {@code TEMPORAL_NAMESPACE}, {@code TEMPORAL_API_KEY}, {@code TEMPORAL_TLS}
 * (true: TLS with the system's CAs), {@code TEMPORAL_TLS_CERT} (alias {@code
 * TEMPORAL_TLS_CLIENT_CERT_PATH}), {@code TEMPORAL_TLS_KEY} ({@code TEMPORAL_TLS_CLIENT_KEY_PATH}),
 * {@code TEMPORAL_TLS_CA} ({@code TEMPORAL_TLS_SERVER_CA_CERT_PATH}), {@code
 * TEMPORAL_TLS_SERVER_NAME}.
 *
 * @param address host:port, or null = embedded default
 * @param apiKey never logged nor printed ({@link #toString} masks it); null for none
 * @param tlsRequested TLS asked for explicitly ({@code TEMPORAL_TLS=true}) without files
 */
public record TemporalSettings(
    String address,
    String namespace,
    String apiKey,
    String tlsCertPath,
    String tlsKeyPath,
    String tlsCaPath,
    String tlsServerName,
    boolean tlsRequested) {

  public static final String EMBEDDED_ADDRESS = "127.0.0.1:7233";
  public static final int EMBEDDED_UI_PORT = 8233;

  public static TemporalSettings resolve(String addressFlag, String namespaceFlag) {
    return resolve(addressFlag, namespaceFlag, System.getenv());
  }

  /** As {@link #resolve(String, String)} with an explicit environment (tests). */
  public static TemporalSettings resolve(
      String addressFlag, String namespaceFlag, Map<String, String> env) {
    String address = firstNonBlank(addressFlag, env.get("TEMPORAL_ADDRESS"));
    String namespace = firstNonBlank(namespaceFlag, env.get("TEMPORAL_NAMESPACE"));
    String tls = firstNonBlank(env.get("TEMPORAL_TLS"));
    return new TemporalSettings(
        address,
        namespace == null ? "default" : namespace,
        firstNonBlank(env.get("TEMPORAL_API_KEY")),
        firstNonBlank(env.get("TEMPORAL_TLS_CERT"), env.get("TEMPORAL_TLS_CLIENT_CERT_PATH")),
        firstNonBlank(env.get("TEMPORAL_TLS_KEY"), env.get("TEMPORAL_TLS_CLIENT_KEY_PATH")),
        firstNonBlank(env.get("TEMPORAL_TLS_CA"), env.get("TEMPORAL_TLS_SERVER_CA_CERT_PATH")),
        firstNonBlank(env.get("TEMPORAL_TLS_SERVER_NAME")),
        tls != null && (tls.equalsIgnoreCase("true") || tls.equals("1")));
  }

  /** True when nothing was configured: the tool may start its own server. */
  public boolean embedded() {
    return address == null;
  }

  public String effectiveAddress() {
    return address == null ? EMBEDDED_ADDRESS : address;
  }

  /** TLS when asked for, when any TLS file is given, or with an API key (Temporal Cloud). */
  public boolean tls() {
    return tlsRequested
        || tlsCertPath != null
        || tlsCaPath != null
        || apiKey != null
        || tlsServerName != null;
  }

  /** Never shows the API key's value. */
  @Override
  public String toString() {
    return "TemporalSettings[address="
        + effectiveAddress()
        + ", namespace="
        + namespace
        + ", apiKey="
        + (apiKey == null ? "none" : "***")
        + ", tls="
        + tls()
        + (tlsServerName == null ? "" : ", serverName=" + tlsServerName)
        + "]";
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    return null;
  }
}
