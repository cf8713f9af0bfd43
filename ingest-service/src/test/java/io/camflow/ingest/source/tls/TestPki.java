package io.camflow.ingest.source.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway CA (EC P-256) and the camera certificates it issues (RSA), as PEM files for the
 * GStreamer test camera and as JSSE server contexts for in-process test servers.
 */
public final class TestPki {

  /** A certificate with its key, and where they are written as PEM. */
  public record Issued(X509Certificate certificate, KeyPair keys, Path certFile, Path keyFile) {

    /** SHA-256 of the certificate, as {@code tlsFingerprint} takes it. */
    public String fingerprint() {
      try {
        return CameraTls.fingerprintOf(certificate.getEncoded());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /** A TLS server socket on 127.0.0.1 (free port) presenting this certificate. */
    public SSLServerSocket serverSocket() throws Exception {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("camera", keys.getPrivate(), new char[0], new X509Certificate[] {certificate});
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return (SSLServerSocket)
          ctx.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress());
    }
  }

  private final Path dir;
  private final KeyPair caKeys;
  private final X509Certificate ca;
  private final Path caFile;
  private int serial = 1;

  private TestPki(Path dir) throws Exception {
    this.dir = dir;
    this.caKeys = keyPair();
    X500Name name = new X500Name("CN=camflow test CA " + System.nanoTime());
    var b =
        new JcaX509v3CertificateBuilder(
            name, BigInteger.valueOf(serial++), from(), until(), name, caKeys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    this.ca = sign(b, caKeys);
    this.caFile = dir.resolve("ca.pem");
    Files.writeString(caFile, pem(ca));
  }

  public static TestPki create() throws Exception {
    return new TestPki(Files.createTempDirectory("camflow-test-pki"));
  }

  /** The CA certificate as a PEM file: what {@code tlsCaFile} names. */
  public Path caFile() {
    return caFile;
  }

  /** A camera certificate from this CA for these names (IP addresses or DNS names). */
  public Issued issue(String... names) throws Exception {
    KeyPair keys = leafKeyPair();
    var b =
        new JcaX509v3CertificateBuilder(
            new X500Name(ca.getSubjectX500Principal().getName()),
            BigInteger.valueOf(serial++),
            from(),
            until(),
            new X500Name("CN=" + names[0]),
            keys.getPublic());
    leafExtensions(b, names);
    return write(sign(b, caKeys), keys);
  }

  /** A self-signed camera certificate for these names, as cameras ship with. */
  public Issued selfSigned(String... names) throws Exception {
    KeyPair keys = leafKeyPair();
    X500Name name = new X500Name("CN=" + names[0]);
    var b =
        new JcaX509v3CertificateBuilder(
            name, BigInteger.valueOf(serial++), from(), until(), name, keys.getPublic());
    leafExtensions(b, names);
    return write(sign(b, keys), keys);
  }

  private static void leafExtensions(JcaX509v3CertificateBuilder b, String... names)
      throws Exception {
    GeneralName[] san = new GeneralName[names.length];
    for (int i = 0; i < names.length; i++) {
      boolean ip = names[i].matches("[0-9.]+") || names[i].contains(":");
      san[i] = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, names[i]);
    }
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san));
    b.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
  }

  private Issued write(X509Certificate cert, KeyPair keys) throws IOException {
    int n = serial;
    Path certFile = dir.resolve("camera-" + n + ".pem");
    Path keyFile = dir.resolve("camera-" + n + ".key");
    Files.writeString(certFile, pem(cert));
    Files.writeString(keyFile, pem(keys.getPrivate()));
    return new Issued(cert, keys, certFile, keyFile);
  }

  /**
   * RSA for the cameras' keys: the JDK encodes EC private keys without their curve, which GnuTLS
   * (the GStreamer camera's TLS) does not read.
   */
  private static KeyPair leafKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048, new SecureRandom());
    return g.generateKeyPair();
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    return g.generateKeyPair();
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder b, KeyPair signer)
      throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(
                new JcaContentSignerBuilder(
                        signer.getPrivate().getAlgorithm().equals("RSA")
                            ? "SHA256withRSA"
                            : "SHA256withECDSA")
                    .build(signer.getPrivate())));
  }

  private static Date from() {
    return Date.from(Instant.now().minus(Duration.ofHours(1)));
  }

  private static Date until() {
    return Date.from(Instant.now().plus(Duration.ofDays(2)));
  }

  private static String pem(Object o) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    }
    return out.toString();
  }
}
