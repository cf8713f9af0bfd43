package io.camflow.delivery.http;

import io.camflow.options.CamflowOptions;
import io.camflow.options.Settings;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Delivery's HTTPS port (docs/operations.md, "TLS certificates"): the same doors as the HTTP port,
 * over TLS, with the operator's certificate or a self-signed one delivery makes once.
 *
 * @param port {@code CAMFLOW_HTTPS_PORT}, 8443 by default; 0 turns HTTPS off
 * @param certFile {@code CAMFLOW_TLS_CERT}: PEM certificate chain, leaf first; null for the
 *     self-signed one
 * @param keyFile {@code CAMFLOW_TLS_KEY}: its PEM private key (PKCS#8 or PKCS#1); null likewise
 * @param generatedDir where the self-signed certificate is kept: {@code $CAMFLOW_DATA/tls}
 */
public record TlsSettings(int port, Path certFile, Path keyFile, Path generatedDir) {

  public static final int DEFAULT_PORT = 8443;

  public TlsSettings {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "CAMFLOW_HTTPS_PORT must be 0 (off) or a port, 1-65535, was " + port);
    }
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException(
          "CAMFLOW_TLS_CERT and CAMFLOW_TLS_KEY go together: set both or neither");
    }
  }

  /** HTTPS off: what an embedded delivery (tests) gets unless it asks. */
  public static TlsSettings off() {
    return new TlsSettings(0, null, null, null);
  }

  public boolean enabled() {
    return port != 0;
  }

  /**
   * {@code delivery.https.port}, {@code .cert}, {@code .key}; the self-signed certificate under
   * {@code files.data}.
   *
   * @throws IllegalArgumentException naming the variable and what is wrong
   */
  public static TlsSettings from(Settings settings) {
    Path cert = settings.get(CamflowOptions.TLS_CERT);
    Path key = settings.get(CamflowOptions.TLS_KEY);
    for (Path p : new Path[] {cert, key}) {
      if (p != null && !Files.isReadable(p)) {
        throw new IllegalArgumentException(
            (p == cert ? "CAMFLOW_TLS_CERT" : "CAMFLOW_TLS_KEY") + ": cannot read " + p);
      }
    }
    return new TlsSettings(
        settings.get(CamflowOptions.HTTPS_PORT),
        cert,
        key,
        settings.get(CamflowOptions.DATA).resolve("tls"));
  }

  /** The certificate to present: the configured one, else the self-signed one (made if needed). */
  public TlsIdentity identity() {
    return certFile != null
        ? TlsIdentity.fromPem(certFile, keyFile)
        : TlsIdentity.selfSigned(generatedDir);
  }
}
