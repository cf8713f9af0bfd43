package io.camflow.webrtc.dtls;

import io.camflow.webrtc.srtp.SrtpKeyMaterial;
import io.camflow.webrtc.srtp.SrtpProfile;
import java.io.IOException;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The DTLS 1.2 server of one WebRTC session (RFC 5763/5764): ECDHE-ECDSA suites signed with the
 * process's {@link DtlsIdentity}, a client certificate required and checked against the fingerprint
 * from the offer, use_srtp negotiated ({@link SrtpProfile}), and the SRTP master keys exported when
 * the handshake completes. One instance per handshake (BouncyCastle's rule).
 */
final class DtlsSrtpServer extends DefaultTlsServer {

  private static final int[] SUITES = {
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
  };

  private final DtlsIdentity identity;
  private final CertificateFingerprint expectedClient;
  private final Duration handshakeTimeout;
  private volatile SrtpProfile profile;
  private volatile SrtpKeyMaterial keys;
  private volatile String failure;
  private volatile boolean closedByPeer;

  DtlsSrtpServer(
      BcTlsCrypto crypto,
      DtlsIdentity identity,
      CertificateFingerprint expectedClient,
      Duration handshakeTimeout) {
    super(crypto);
    this.identity = identity;
    this.expectedClient = expectedClient;
    this.handshakeTimeout = handshakeTimeout;
  }

  /** The exported keys, once the handshake completed. */
  SrtpKeyMaterial keys() {
    return keys;
  }

  /** Why the handshake failed, when we decided it (certificate, SRTP profile), else null. */
  String failure() {
    return failure;
  }

  /** Whether the peer ended the association (close_notify or a fatal alert). */
  boolean closedByPeer() {
    return closedByPeer;
  }

  @Override
  protected ProtocolVersion[] getSupportedVersions() {
    return ProtocolVersion.DTLSv12.only();
  }

  @Override
  protected int[] getSupportedCipherSuites() {
    return TlsUtils.getSupportedCipherSuites(getCrypto(), SUITES);
  }

  @Override
  public int getHandshakeTimeoutMillis() {
    return (int) Math.min(Integer.MAX_VALUE, handshakeTimeout.toMillis());
  }

  @Override
  protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
    BcTlsCrypto crypto = (BcTlsCrypto) getCrypto();
    return new BcDefaultTlsCredentialedSigner(
        new TlsCryptoParameters(context),
        crypto,
        identity.signingKey(),
        identity.tlsCertificate(crypto),
        new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
  }

  @Override
  public CertificateRequest getCertificateRequest() {
    short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
    Vector<?> algorithms = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
    return new CertificateRequest(types, algorithms, null);
  }

  @Override
  public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
    if (clientCertificate == null || clientCertificate.isEmpty()) {
      failure =
          "the DTLS client sent no certificate (one is required to match the offer's a=fingerprint)";
      throw new TlsFatalAlert(AlertDescription.handshake_failure);
    }
    byte[] der = clientCertificate.getCertificateAt(0).getEncoded();
    if (!expectedClient.matches(der)) {
      failure = "the DTLS client certificate does not match the offer's a=fingerprint";
      throw new TlsFatalAlert(AlertDescription.bad_certificate);
    }
  }

  @Override
  public void processClientExtensions(Hashtable clientExtensions) throws IOException {
    super.processClientExtensions(clientExtensions);
    UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
    if (offered == null) {
      failure = "the DTLS client did not offer use_srtp";
      throw new TlsFatalAlert(AlertDescription.handshake_failure);
    }
    profile = SrtpProfile.choose(offered.getProtectionProfiles());
    if (profile == null) {
      failure =
          "no common SRTP profile (camflow supports AEAD_AES_128_GCM and SRTP_AES128_CM_HMAC_SHA1_80)";
      throw new TlsFatalAlert(AlertDescription.handshake_failure);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public Hashtable getServerExtensions() throws IOException {
    Hashtable extensions = super.getServerExtensions();
    TlsSRTPUtils.addUseSRTPExtension(
        extensions, new UseSRTPData(new int[] {profile.id()}, TlsUtils.EMPTY_BYTES));
    return extensions;
  }

  @Override
  public void notifyHandshakeComplete() throws IOException {
    super.notifyHandshakeComplete();
    byte[] material =
        context.exportKeyingMaterial(
            SrtpKeyMaterial.EXPORTER_LABEL, null, profile.exporterLength());
    keys = SrtpKeyMaterial.fromExporter(profile, material);
  }

  @Override
  public void notifyAlertReceived(short alertLevel, short alertDescription) {
    if (alertDescription == AlertDescription.close_notify || alertLevel == AlertLevel.fatal) {
      closedByPeer = true;
    }
  }

  @Override
  public void notifyAlertRaised(
      short alertLevel, short alertDescription, String message, Throwable cause) {
    // BouncyCastle would print to stderr otherwise; the session's close reason says what matters
  }
}
