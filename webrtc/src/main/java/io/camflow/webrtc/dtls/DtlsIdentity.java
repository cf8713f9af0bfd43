package io.camflow.webrtc.dtls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * A DTLS endpoint's identity: an ECDSA P-256 key and a self-signed certificate for it, as WebRTC
 * uses them (RFC 8827 §6.5: authenticity comes from the fingerprint in the signalled SDP, not from
 * a CA). A server makes one at start; it is never written anywhere.
 */
public final class DtlsIdentity {

  private static final Duration VALIDITY = Duration.ofDays(365);

  private final AsymmetricKeyParameter privateKey;
  private final byte[] certificateDer;
  private final CertificateFingerprint fingerprint;

  private DtlsIdentity(AsymmetricKeyParameter privateKey, byte[] certificateDer) {
    this.privateKey = privateKey;
    this.certificateDer = certificateDer;
    this.fingerprint = CertificateFingerprint.of("sha-256", certificateDer);
  }

  /**
   * A fresh key pair and certificate ({@code CN=<commonName>}, valid from a day ago for a year).
   */
  public static DtlsIdentity generate(String commonName) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair keys = generator.generateKeyPair();
      Instant now = Instant.now();
      X500Name name = new X500Name("CN=" + commonName);
      X509CertificateHolder holder =
          new JcaX509v3CertificateBuilder(
                  name,
                  new BigInteger(64, new SecureRandom()),
                  Date.from(now.minus(Duration.ofDays(1))),
                  Date.from(now.plus(VALIDITY)),
                  name,
                  keys.getPublic())
              .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
      return new DtlsIdentity(
          PrivateKeyFactory.createKey(keys.getPrivate().getEncoded()), holder.getEncoded());
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot make the DTLS certificate: " + e.getMessage(), e);
    }
  }

  /** The sha-256 fingerprint for the SDP answer's {@code a=fingerprint}. */
  public CertificateFingerprint fingerprint() {
    return fingerprint;
  }

  public byte[] certificateDer() {
    return certificateDer.clone();
  }

  /** The certificate as BouncyCastle TLS sends it. */
  public Certificate tlsCertificate(BcTlsCrypto crypto) throws IOException {
    return new Certificate(new TlsCertificate[] {crypto.createCertificate(certificateDer)});
  }

  /** The private key for BouncyCastle's signer (tests' DTLS clients use it too). */
  public AsymmetricKeyParameter signingKey() {
    return privateKey;
  }
}
