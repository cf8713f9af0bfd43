package io.camflow.delivery.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsIdentityTest {

  @TempDir Path dir;

  @Test
  void theSelfSignedCertificateIsMadeOnceKeptPrivateAndReused() throws Exception {
    TlsIdentity first = TlsIdentity.selfSigned(dir);
    assertTrue(first.generated());
    for (String f : new String[] {TlsIdentity.CERT_FILE, TlsIdentity.KEY_FILE}) {
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(f))),
          f);
    }
    assertTrue(first.fingerprint().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), first.fingerprint());
    assertTrue(
        first.names().containsAll(Set.of("localhost", "127.0.0.1")), first.names().toString());
    Duration validity =
        Duration.between(
            first.certificate().getNotBefore().toInstant(),
            first.certificate().getNotAfter().toInstant());
    assertEquals(
        TlsIdentity.VALIDITY.plusDays(1),
        validity,
        "825 days (and a day of clock skew before now)");
    assertEquals("EC", first.certificate().getPublicKey().getAlgorithm());

    TlsIdentity again = TlsIdentity.selfSigned(dir);
    assertEquals(
        first.fingerprint(), again.fingerprint(), "a browser told to trust it keeps trusting it");
  }

  @Test
  void aSelfSignedCertificateAboutToExpireIsMadeAnew() throws Exception {
    KeyPair pair = ecKeyPair();
    writePem(dir.resolve(TlsIdentity.CERT_FILE), certificate(pair, Duration.ofDays(10)));
    writePem(dir.resolve(TlsIdentity.KEY_FILE), pair.getPrivate());
    String old = fingerprintOf(dir.resolve(TlsIdentity.CERT_FILE));
    TlsIdentity renewed = TlsIdentity.selfSigned(dir);
    assertNotEquals(old, renewed.fingerprint());
    assertTrue(
        renewed
            .certificate()
            .getNotAfter()
            .toInstant()
            .isAfter(Instant.now().plus(Duration.ofDays(800))));
  }

  @Test
  void theOperatorsPemFilesAreUsedAsTheyAre_rsaPkcs1Too() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair pair = rsa.generateKeyPair();
    Path cert = dir.resolve("site.crt");
    Path key = dir.resolve("site.key");
    writePem(cert, certificate(pair, Duration.ofDays(90)));
    writePem(key, pair.getPrivate()); // BouncyCastle writes RSA keys as PKCS#1 ("RSA PRIVATE KEY")
    assertTrue(Files.readString(key).contains("BEGIN RSA PRIVATE KEY"));
    TlsIdentity identity = TlsIdentity.fromPem(cert, key);
    assertFalse(identity.generated());
    assertEquals(fingerprintOf(cert), identity.fingerprint());
  }

  @Test
  void unusableFilesAreRefusedNamingThem() throws Exception {
    Path cert = Files.writeString(dir.resolve("not.crt"), "not a certificate");
    Path key = Files.writeString(dir.resolve("not.key"), "not a key");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TlsIdentity.fromPem(cert, key));
    assertTrue(e.getMessage().contains(cert.toString()), e.getMessage());
  }

  @Test
  void settingsComeFromTheEnvironment() throws Exception {
    TlsSettings d =
        TlsSettings.from(
            io.camflow.options.Settings.fromEnvironment(Map.of("CAMFLOW_DATA", dir.toString())));
    assertEquals(8443, d.port());
    assertEquals(dir.resolve("tls"), d.generatedDir());
    assertFalse(
        TlsSettings.from(
                io.camflow.options.Settings.fromEnvironment(Map.of("CAMFLOW_HTTPS_PORT", "0")))
            .enabled());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            TlsSettings.from(
                io.camflow.options.Settings.fromEnvironment(Map.of("CAMFLOW_HTTPS_PORT", "x"))));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            TlsSettings.from(
                io.camflow.options.Settings.fromEnvironment(
                    Map.of("CAMFLOW_HTTPS_PORT", "70000"))));
    Path cert = Files.writeString(dir.resolve("c.pem"), "x");
    IllegalArgumentException alone =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TlsSettings.from(
                    io.camflow.options.Settings.fromEnvironment(
                        Map.of("CAMFLOW_TLS_CERT", cert.toString()))));
    assertTrue(alone.getMessage().contains("go together"), alone.getMessage());
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TlsSettings.from(
                    io.camflow.options.Settings.fromEnvironment(
                        Map.of(
                            "CAMFLOW_TLS_CERT",
                            cert.toString(),
                            "CAMFLOW_TLS_KEY",
                            dir.resolve("none.pem").toString()))));
    assertTrue(missing.getMessage().contains("CAMFLOW_TLS_KEY"), missing.getMessage());
  }

  static KeyPair ecKeyPair() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair();
  }

  static java.security.cert.X509Certificate certificate(KeyPair pair, Duration validity)
      throws Exception {
    X500Name name = new X500Name("CN=test");
    Instant now = Instant.now();
    String algorithm =
        pair.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    return new JcaX509CertificateConverter()
        .getCertificate(
            new JcaX509v3CertificateBuilder(
                    name,
                    BigInteger.TEN,
                    Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(validity)),
                    name,
                    pair.getPublic())
                .build(new JcaContentSignerBuilder(algorithm).build(pair.getPrivate())));
  }

  static void writePem(Path file, Object o) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    }
    Files.writeString(file, out.toString());
  }

  static String fingerprintOf(Path pem) throws Exception {
    var cert =
        java.security.cert.CertificateFactory.getInstance("X.509")
            .generateCertificate(Files.newInputStream(pem));
    byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
    return java.util.HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
  }
}
