package io.camflow.ingest.source.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The trust decision of a {@link CameraTls}, as a JSSE trust manager. Verification uses the JDK's
 * PKIX checks (hostname checking is switched on by the caller through the socket's endpoint
 * identification); a fingerprint pin and the opt-out use their own, smaller checks.
 */
final class CameraTrust {

  private CameraTrust() {}

  static SSLContext context(CameraTls tls) throws IOException {
    TrustManager tm;
    if (tls.fingerprint() != null) {
      tm = new Pinned(tls.fingerprint());
    } else if (!tls.verify()) {
      tm = new AnyCertificate();
    } else {
      tm = pkix(tls.caFile());
    }
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {tm}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /** Whether the host name (or address) of the URL must be in the certificate. */
  static boolean checksHostName(CameraTls tls) {
    return tls.verify() && tls.fingerprint() == null;
  }

  /** The JDK's trust anchors, plus those of {@code caFile}. */
  private static X509TrustManager pkix(Path caFile) throws IOException {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      if (caFile == null) {
        tmf.init((KeyStore) null);
      } else {
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        int n = 0;
        for (X509Certificate c : jdkAnchors()) {
          anchors.setCertificateEntry("jdk-" + n++, c);
        }
        for (X509Certificate c : readPem(caFile)) {
          anchors.setCertificateEntry("ca-" + n++, c);
        }
        tmf.init(anchors);
      }
      for (TrustManager t : tmf.getTrustManagers()) {
        if (t instanceof X509TrustManager x) {
          return x;
        }
      }
      throw new IOException("the JDK offers no X.509 trust manager");
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS trust: " + e.getMessage(), e);
    }
  }

  private static List<X509Certificate> jdkAnchors() throws GeneralSecurityException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init((KeyStore) null);
    List<X509Certificate> out = new ArrayList<>();
    for (TrustManager t : tmf.getTrustManagers()) {
      if (t instanceof X509TrustManager x) {
        out.addAll(List.of(x.getAcceptedIssuers()));
      }
    }
    return out;
  }

  /** Every certificate of a PEM file; fails when there is none. */
  static List<X509Certificate> readPem(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> out = new ArrayList<>();
      for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new IOException(file + " holds no PEM certificate");
      }
      return out;
    } catch (CertificateException e) {
      throw new IOException(file + " is not a PEM certificate file: " + e.getMessage(), e);
    }
  }

  /** Server side only: camflow is the client. */
  private abstract static class ClientOnly extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("camflow does not accept TLS clients here");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  /** Exactly one certificate, by its SHA-256 fingerprint. */
  static final class Pinned extends ClientOnly {
    private final String fingerprint;

    Pinned(String fingerprint) {
      this.fingerprint = fingerprint;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      if (chain == null || chain.length == 0) {
        throw new CertificateException("the camera sent no certificate");
      }
      String actual = CameraTls.fingerprintOf(chain[0].getEncoded());
      if (!java.security.MessageDigest.isEqual(actual.getBytes(), fingerprint.getBytes())) {
        throw new PinMismatchException(actual);
      }
    }
  }

  /** The opt-out: encrypted, not authenticated. */
  private static final class AnyCertificate extends ClientOnly {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      // tlsVerify: false
    }
  }

  /** The camera's certificate is not the pinned one; carries the fingerprint it has. */
  static final class PinMismatchException extends CertificateException {
    final String actual;

    PinMismatchException(String actual) {
      super("certificate fingerprint is sha256:" + actual + ", not the configured tlsFingerprint");
      this.actual = actual;
    }
  }
}
