package io.camflow.delivery.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.DeliveryService;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.http.CorsPolicy;
import io.camflow.delivery.http.TlsSettings;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.kafka.LocalKafka;
import io.camflow.testsupport.EncodedStream;
import io.camflow.testsupport.MseSocket;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Delivery's HTTPS port against the real local Kafka: the doors of the HTTP port over TLS with the
 * self-signed certificate delivery made — health, the LL-HLS playlist and a segment, the MSE
 * WebSocket (wss) — the certificate presented is the one whose fingerprint delivery logs, and a
 * client that does not trust it gets no answer at all.
 */
class HttpsIT {

  static final Path ROUTES = Path.of("..", "routes", "delivery.camel.yaml");
  static final LocalKafka KAFKA = LocalKafka.shared();
  static final String TOPIC = "camflow.cmaf.httpsit.main";
  static CmafFeed feed;
  static CamelContext ctx;
  static DeliveryService service;
  static int httpPort;
  static HttpClient trusting;
  static Path tlsDir;

  @BeforeAll
  static void start() throws Exception {
    DeliveryIT.createTopics(TOPIC, "camflow.demand");
    feed = new CmafFeed(KAFKA.bootstrapServers(), TOPIC, EncodedStream.h264(10, 25, 320, 240));
    feed.start();
    int httpsPort;
    try (ServerSocket s = new ServerSocket(0);
        ServerSocket t = new ServerSocket(0)) {
      httpPort = s.getLocalPort();
      httpsPort = t.getLocalPort();
    }
    Path data = Files.createTempDirectory("camflow-https-it");
    tlsDir = data.resolve("tls");
    service =
        new DeliveryService(
                DeliverySettings.defaults(KAFKA.bootstrapServers()),
                httpPort,
                CorsPolicy.none(),
                AuthSettings.off(),
                null,
                ROUTES)
            .tls(new TlsSettings(httpsPort, null, null, tlsDir));
    ctx = new DefaultCamelContext();
    service.configure(ctx);
    ctx.start();
    // a client that trusts exactly the certificate delivery made, as a browser told to trust it
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (var in = Files.newInputStream(tlsDir.resolve("delivery.crt"))) {
      trust.setCertificateEntry(
          "delivery",
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    trusting =
        HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (ctx != null) {
      ctx.stop();
    }
    if (service != null) {
      service.close();
    }
    if (feed != null) {
      feed.close();
    }
  }

  static String https(String path) {
    return "https://localhost:" + service.httpsPort() + path;
  }

  static HttpResponse<byte[]> get(HttpClient client, String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void theHttpDoorsAnswerOverTlsWithTheCertificateDeliveryLogs() throws Exception {
    assertTrue(service.httpsPort() > 0 && service.httpsPort() != httpPort);
    HttpResponse<byte[]> health = get(trusting, https("/healthz"));
    assertEquals(200, health.statusCode());
    Certificate presented = health.sslSession().orElseThrow().getPeerCertificates()[0];
    String fingerprint =
        HexFormat.ofDelimiter(":")
            .withUpperCase()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(presented.getEncoded()));
    assertEquals(
        service.tlsIdentity().fingerprint(),
        fingerprint,
        "the certificate whose fingerprint is logged");

    HttpResponse<byte[]> playlist = get(trusting, https("/live/httpsit/main/index.m3u8"));
    assertEquals(200, playlist.statusCode(), new String(playlist.body()));
    String text = new String(playlist.body());
    String segment =
        text.lines()
            .filter(l -> l.startsWith("seg-"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(text));
    HttpResponse<byte[]> media = get(trusting, https("/live/httpsit/main/" + segment));
    assertEquals(200, media.statusCode());
    assertTrue(media.body().length > 1000, "a segment's bytes");
    // the plain port goes on as before
    assertEquals(
        200,
        get(HttpClient.newHttpClient(), "http://127.0.0.1:" + httpPort + "/healthz").statusCode());
  }

  @Test
  void theMseWebSocketWorksOverTls() throws Exception {
    CompletableFuture<String> firstText = new CompletableFuture<>();
    CompletableFuture<Integer> firstBinary = new CompletableFuture<>();
    MseSocket mse =
        new MseSocket() {
          @Override
          protected void text(String message) {
            firstText.complete(message);
          }

          @Override
          protected void binary(byte[] message) {
            firstBinary.complete(message.length);
          }
        };
    mse.connect(
            trusting,
            URI.create("wss://localhost:" + service.httpsPort() + "/live/httpsit/main/mse"),
            null)
        .get(20, TimeUnit.SECONDS);
    mse.play("avc1.42e01e");
    assertTrue(firstText.get(20, TimeUnit.SECONDS).contains("\"init\""), "the init message");
    assertTrue(firstBinary.get(20, TimeUnit.SECONDS) > 0, "and the init segment, over wss");
    mse.abort();
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateGetsNothing() {
    assertThrows(
        SSLHandshakeException.class, () -> get(HttpClient.newHttpClient(), https("/healthz")));
  }
}
