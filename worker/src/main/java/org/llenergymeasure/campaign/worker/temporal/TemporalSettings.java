package org.llenergymeasure.campaign.worker.temporal;

/**
 * Where the Temporal service is: from flags, else the standard {@code TEMPORAL_*} environment
 * variables, else the embedded default (127.0.0.1:7233, namespace {@code default}).
 *
 * @param address host:port, or null = embedded default
 * @param apiKey never logged; null for none
 */
public record TemporalSettings(
    String address,
    String namespace,
    String apiKey,
    String tlsCertPath,
    String tlsKeyPath,
    String tlsCaPath,
    String tlsServerName) {

  public static final String EMBEDDED_ADDRESS = "127.0.0.1:7233";
  public static final int EMBEDDED_UI_PORT = 8233;

  public static TemporalSettings resolve(String addressFlag, String namespaceFlag) {
    String address = firstNonBlank(addressFlag, System.getenv("TEMPORAL_ADDRESS"));
    String namespace = firstNonBlank(namespaceFlag, System.getenv("TEMPORAL_NAMESPACE"));
    return new TemporalSettings(
        address,
        namespace == null ? "default" : namespace,
        firstNonBlank(System.getenv("TEMPORAL_API_KEY")),
        firstNonBlank(System.getenv("TEMPORAL_TLS_CLIENT_CERT_PATH"), System.getenv("TEMPORAL_TLS_CERT")),
        firstNonBlank(System.getenv("TEMPORAL_TLS_CLIENT_KEY_PATH"), System.getenv("TEMPORAL_TLS_KEY")),
        firstNonBlank(System.getenv("TEMPORAL_TLS_SERVER_CA_CERT_PATH"), System.getenv("TEMPORAL_TLS_CA")),
        firstNonBlank(System.getenv("TEMPORAL_TLS_SERVER_NAME")));
  }

  /** True when nothing was configured: the tool may start its own server. */
  public boolean embedded() {
    return address == null;
  }

  public String effectiveAddress() {
    return address == null ? EMBEDDED_ADDRESS : address;
  }

  public boolean tls() {
    return tlsCertPath != null || tlsCaPath != null || apiKey != null;
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
