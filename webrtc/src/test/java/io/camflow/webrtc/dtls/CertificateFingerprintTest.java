package io.camflow.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import org.junit.jupiter.api.Test;

class CertificateFingerprintTest {

  @Test
  void parsesAndFormatsTheSdpForm() {
    String sdp = "sha-256 " + "AB:".repeat(31) + "CD";
    CertificateFingerprint fp = CertificateFingerprint.parse(sdp);
    assertEquals("sha-256", fp.algorithm());
    assertEquals(32, fp.digest().length);
    assertEquals(sdp, fp.toSdp());
    assertEquals(
        fp,
        CertificateFingerprint.parse("SHA-256 " + "ab:".repeat(31) + "cd"),
        "hash name and hex are case-insensitive");
  }

  @Test
  void refusesMalformedFingerprints() {
    assertThrows(IllegalArgumentException.class, () -> CertificateFingerprint.parse("sha-256"));
    assertThrows(IllegalArgumentException.class, () -> CertificateFingerprint.parse("md5 AB:CD"));
    assertThrows(
        IllegalArgumentException.class,
        () -> CertificateFingerprint.parse("sha-256 AB:CD"),
        "too short for sha-256");
    assertThrows(
        IllegalArgumentException.class,
        () -> CertificateFingerprint.parse("sha-256 " + "AB".repeat(32)),
        "colons required");
    assertThrows(
        IllegalArgumentException.class,
        () -> CertificateFingerprint.parse("sha-256 " + "ZZ:".repeat(31) + "ZZ"));
  }

  @Test
  void identityIsAnEcdsaP256SelfSignedCertificateWithItsSha256Fingerprint() throws Exception {
    DtlsIdentity identity = DtlsIdentity.generate("camflow");
    X509Certificate cert =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(identity.certificateDer()));
    cert.verify(cert.getPublicKey()); // self-signed
    cert.checkValidity();
    assertEquals("SHA256withECDSA", cert.getSigAlgName());
    assertEquals(
        256, ((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize());
    byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(identity.certificateDer());
    assertEquals(new CertificateFingerprint("sha-256", sha256), identity.fingerprint());
    assertTrue(identity.fingerprint().matches(identity.certificateDer()));
    DtlsIdentity other = DtlsIdentity.generate("camflow");
    assertFalse(identity.fingerprint().matches(other.certificateDer()));
    assertNotEquals(identity.fingerprint(), other.fingerprint());
  }

  @Test
  void matchesWithTheOffersHashFunction() {
    DtlsIdentity identity = DtlsIdentity.generate("peer");
    CertificateFingerprint sha1 = CertificateFingerprint.of("sha-1", identity.certificateDer());
    assertTrue(CertificateFingerprint.parse(sha1.toSdp()).matches(identity.certificateDer()));
  }
}
