package io.camflow.webrtc.dtls;

import io.camflow.webrtc.srtp.SrtpKeyMaterial;
import io.camflow.webrtc.srtp.SrtpProfile;
import java.io.IOException;
import java.util.Arrays;
import java.util.Hashtable;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The browser's side of {@link DtlsSrtpServer}: a DTLS 1.2 client offering use_srtp with the given
 * profiles, presenting its own {@link DtlsIdentity} and refusing a server whose certificate does
 * not have the answer's fingerprint; exports the SRTP keys when the handshake completes. The server
 * never runs it: it is here so that the transport tests and the WHEP load client (e2e) share one
 * implementation. One instance per handshake.
 */
public final class DtlsSrtpClient extends DefaultTlsClient {

  /**
   * Browsers give up on a silent server after about this long; BouncyCastle's default would wait
   * forever.
   */
  private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;

  private final BcTlsCrypto crypto;
  private final DtlsIdentity identity;
  private final CertificateFingerprint expectedServer;
  private final SrtpProfile[] offered;
  private volatile SrtpProfile selected;
  private volatile SrtpKeyMaterial keys;

  public DtlsSrtpClient(
      BcTlsCrypto crypto,
      DtlsIdentity identity,
      CertificateFingerprint expectedServer,
      SrtpProfile... offered) {
    super(crypto);
    this.crypto = crypto;
    this.identity = identity;
    this.expectedServer = expectedServer;
    this.offered = offered.clone();
  }

  /** The exported keys once the handshake completed, else null. */
  public SrtpKeyMaterial keys() {
    return keys;
  }

  @Override
  protected ProtocolVersion[] getSupportedVersions() {
    return ProtocolVersion.DTLSv12.only();
  }

  @Override
  public int getHandshakeTimeoutMillis() {
    return HANDSHAKE_TIMEOUT_MILLIS;
  }

  @Override
  protected int[] getSupportedCipherSuites() {
    return TlsUtils.getSupportedCipherSuites(
        getCrypto(),
        new int[] {
          CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
          CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA
        });
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Hashtable getClientExtensions() throws IOException {
    Hashtable extensions = super.getClientExtensions();
    int[] ids = Arrays.stream(offered).mapToInt(SrtpProfile::id).toArray();
    TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(ids, TlsUtils.EMPTY_BYTES));
    return extensions;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public void processServerExtensions(Hashtable serverExtensions) throws IOException {
    super.processServerExtensions(serverExtensions);
    UseSRTPData chosen = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
    if (chosen == null || chosen.getProtectionProfiles().length != 1) {
      throw new TlsFatalAlert(AlertDescription.handshake_failure);
    }
    selected = SrtpProfile.byId(chosen.getProtectionProfiles()[0]);
  }

  @Override
  public TlsAuthentication getAuthentication() {
    return new TlsAuthentication() {
      @Override
      public void notifyServerCertificate(TlsServerCertificate serverCertificate)
          throws IOException {
        if (!expectedServer.matches(
            serverCertificate.getCertificate().getCertificateAt(0).getEncoded())) {
          throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }
      }

      @Override
      public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
        return new BcDefaultTlsCredentialedSigner(
            new TlsCryptoParameters(context),
            crypto,
            identity.signingKey(),
            identity.tlsCertificate(crypto),
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
      }
    };
  }

  @Override
  public void notifyHandshakeComplete() throws IOException {
    super.notifyHandshakeComplete();
    keys =
        SrtpKeyMaterial.fromExporter(
            selected,
            context.exportKeyingMaterial(
                SrtpKeyMaterial.EXPORTER_LABEL, null, selected.exporterLength()));
  }

  @Override
  public void notifyAlertRaised(
      short alertLevel, short alertDescription, String message, Throwable cause) {
    // BouncyCastle would print to stderr otherwise; the handshake's exception says what failed
  }
}
