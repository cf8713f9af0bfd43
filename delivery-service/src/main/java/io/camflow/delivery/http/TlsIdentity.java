package io.camflow.delivery.http;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate and key delivery's HTTPS port presents: the operator's (PEM files from
 * configuration), else a self-signed one that delivery makes on its first start and keeps under the
 * data folder, so a browser that was told to trust it once keeps trusting it. Its SHA-256
 * fingerprint is what a user compares with the browser's certificate viewer before accepting it.
 *
 * <p>The self-signed certificate: EC P-256, valid {@link #VALIDITY} (Apple's limit for certificates
 * a user trusts by hand), for {@code localhost}, the machine's host name and every address of its
 * network interfaces at the time it is made; made again when it has less than {@link #RENEW_BEFORE}
 * left. Files are written mode 600 and replaced atomically.
 *
 * @param context the server side of TLS for Netty
 * @param certificate the leaf certificate presented
 * @param generated whether camflow made it (else the operator's files)
 * @param source where it came from, for the log
 */
public record TlsIdentity(
    SslContext context, X509Certificate certificate, boolean generated, String source) {

  static final Duration VALIDITY = Duration.ofDays(825);
  static final Duration RENEW_BEFORE = Duration.ofDays(30);
  static final String CERT_FILE = "delivery.crt";
  static final String KEY_FILE = "delivery.key";

  /**
   * The operator's PEM files: a certificate chain (leaf first) and its private key (PKCS#8 or
   * PKCS#1).
   */
  public static TlsIdentity fromPem(Path certChain, Path key) {
    try {
      X509Certificate leaf = firstCertificate(certChain);
      SslContext ctx = SslContextBuilder.forServer(certChain.toFile(), key.toFile()).build();
      return new TlsIdentity(ctx, leaf, false, certChain.toString());
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot use the TLS certificate "
              + certChain
              + " with key "
              + key
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The self-signed certificate kept in {@code dir} ({@value #CERT_FILE}, {@value #KEY_FILE}), made
   * now if there is none or it expires within {@link #RENEW_BEFORE}.
   */
  public static TlsIdentity selfSigned(Path dir) {
    Path cert = dir.resolve(CERT_FILE);
    Path key = dir.resolve(KEY_FILE);
    try {
      if (!Files.exists(cert) || !Files.exists(key) || expiresSoon(firstCertificate(cert))) {
        make(dir, cert, key, hostNames());
      }
      TlsIdentity identity = fromPem(cert, key);
      return new TlsIdentity(identity.context(), identity.certificate(), true, cert.toString());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot make or read the self-signed TLS certificate in " + dir + ": " + e.getMessage(),
          e);
    }
  }

  /** SHA-256 of the certificate, hex pairs joined by colons: what browsers show. */
  public String fingerprint() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The names the certificate is for (subject alternative names), for the log. */
  public List<String> names() {
    try {
      var raw = certificate.getSubjectAlternativeNames();
      return raw == null
          ? List.of()
          : raw.stream().map(entry -> String.valueOf(entry.get(1))).toList();
    } catch (GeneralSecurityException e) {
      return List.of();
    }
  }

  private static boolean expiresSoon(X509Certificate c) {
    return c.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE));
  }

  private static X509Certificate firstCertificate(Path pem)
      throws IOException, GeneralSecurityException {
    byte[] bytes = Files.readAllBytes(pem);
    var certs =
        CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(bytes));
    if (certs.isEmpty()) {
      throw new IllegalArgumentException("no certificate in " + pem);
    }
    return (X509Certificate) certs.iterator().next();
  }

  /**
   * {@code localhost}, this machine's name and the addresses of its interfaces (loopback included).
   */
  static Set<String> hostNames() {
    Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1"));
    try {
      names.add(InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT));
    } catch (UnknownHostException e) {
      // no name to add
    }
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (!a.isLinkLocalAddress()) {
            names.add(a.getHostAddress().replaceAll("%.*$", ""));
          }
        }
      }
    } catch (SocketException e) {
      // the loopback names are there
    }
    return names;
  }

  static void make(Path dir, Path certFile, Path keyFile, Set<String> names)
      throws IOException, GeneralSecurityException {
    Files.createDirectories(dir);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    X500Name subject = new X500Name("CN=camflow delivery (self-signed)");
    Instant now = Instant.now();
    List<GeneralName> alternatives = new ArrayList<>();
    for (String n : names) {
      boolean address = n.matches("[0-9.]+") || n.contains(":");
      alternatives.add(new GeneralName(address ? GeneralName.iPAddress : GeneralName.dNSName, n));
    }
    try {
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              subject,
              new BigInteger(128, new SecureRandom()),
              Date.from(now.minus(Duration.ofDays(1))),
              Date.from(now.plus(VALIDITY)),
              subject,
              pair.getPublic());
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(alternatives.toArray(GeneralName[]::new)));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      X509Certificate cert =
          new JcaX509CertificateConverter()
              .getCertificate(
                  b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      writePrivately(keyFile, pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate()));
      writePrivately(certFile, pem(cert));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static String pem(Object o) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    }
    return out.toString();
  }

  /** Mode 600, written to a temporary file first and moved over the old one. */
  private static void writePrivately(Path file, String text) throws IOException {
    Path tmp =
        Files.createTempFile(
            file.getParent(),
            file.getFileName().toString(),
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw new UncheckedIOException(e);
    }
  }
}
