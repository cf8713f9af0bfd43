package io.camflow.delivery.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Delivery's HTTPS port (docs/operations.md, "TLS certificates"): the same doors as the HTTP port,
 * over TLS, with the operator's certificate or a self-signed one delivery makes once.
 *
 * @param port         {@code CAMFLOW_HTTPS_PORT}, 8443 by default; 0 turns HTTPS off
 * @param certFile     {@code CAMFLOW_TLS_CERT}: PEM certificate chain, leaf first; null for the self-signed one
 * @param keyFile      {@code CAMFLOW_TLS_KEY}: its PEM private key (PKCS#8 or PKCS#1); null likewise
 * @param generatedDir where the self-signed certificate is kept: {@code $CAMFLOW_DATA/tls}
 */
public record TlsSettings(int port, Path certFile, Path keyFile, Path generatedDir) {

  public static final int DEFAULT_PORT = 8443;

  public TlsSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("CAMFLOW_HTTPS_PORT must be 0 (off) or a port, 1-65535, was " + port);
    }
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("CAMFLOW_TLS_CERT and CAMFLOW_TLS_KEY go together: set both or neither");
    }
  }

  /** HTTPS off: what an embedded delivery (tests) gets unless it asks. */
  public static TlsSettings off() {
    return new TlsSettings(0, null, null, null);
  }

  public boolean enabled() {
    return port != 0;
  }

  /** @throws IllegalArgumentException naming the variable and what is wrong */
  public static TlsSettings fromEnvironment(Map<String, String> env) {
    String portText = env.getOrDefault("CAMFLOW_HTTPS_PORT", "").trim();
    int port;
    try {
      port = portText.isEmpty() ? DEFAULT_PORT : Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("CAMFLOW_HTTPS_PORT must be a whole number (0: off), was '" + portText + "'");
    }
    Path cert = path(env, "CAMFLOW_TLS_CERT");
    Path key = path(env, "CAMFLOW_TLS_KEY");
    for (Path p : new Path[] {cert, key}) {
      if (p != null && !Files.isReadable(p)) {
        throw new IllegalArgumentException((p == cert ? "CAMFLOW_TLS_CERT" : "CAMFLOW_TLS_KEY") + ": cannot read " + p);
      }
    }
    Path data = Path.of(env.getOrDefault("CAMFLOW_DATA", "data"));
    return new TlsSettings(port, cert, key, data.resolve("tls"));
  }

  /** The certificate to present: the configured one, else the self-signed one (made if needed). */
  public TlsIdentity identity() {
    return certFile != null ? TlsIdentity.fromPem(certFile, keyFile) : TlsIdentity.selfSigned(generatedDir);
  }

  private static Path path(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : Path.of(v.trim());
  }
}
