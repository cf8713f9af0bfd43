package io.camflow.ingest.it;

import static io.camflow.ingest.it.IngestFixture.await;
import static io.camflow.ingest.it.RtspIngestIT.GOP;
import static io.camflow.ingest.it.RtspIngestIT.PASSWORD;
import static io.camflow.ingest.it.RtspIngestIT.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.ingest.source.tls.TestPki;
import io.camflow.testsupport.TestCamera;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code rtsps://} cameras (GStreamer's RTSP server over TLS, Digest auth) into the real broker:
 * certificates are verified by default, a self-signed camera is refused with a reason, a camera
 * certificate from a configured CA works, a pinned self-signed certificate works, the explicit
 * opt-out works (encrypted, unverified), a certificate for another host name is refused. The
 * password reaches neither status nor logs.
 */
class RtspsIngestIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path LOG = Path.of("target", "test-logs", "ingest.log");

  static TestCamera.Builder tlsCamera(TestPki.Issued cert) {
    return TestCamera.builder()
        .size(320, 240)
        .fps(25)
        .gop(GOP)
        .credentials(USER, PASSWORD)
        .transport(TestCamera.Transport.TCP)
        .tls(cert.certFile(), cert.keyFile());
  }

  /** One camera of {@code cameras:} with its stream {@code main}, plus TLS options. */
  static String stream(String camera, String url, String tlsOptions) {
    return "  "
        + camera
        + ":\n"
        + "    streams:\n"
        + "      main:\n"
        + "        url: "
        + url
        + "\n"
        + "        username: "
        + USER
        + "\n"
        + "        password: ${env:CAM_PASSWORD}\n"
        + "        mode: always\n"
        + "        readTimeout: 3s\n"
        + "        backoff: {initial: 200ms, max: 1s}\n"
        + (tlsOptions.isEmpty() ? "" : "        " + tlsOptions + "\n");
  }

  private static Optional<JsonNode> status(IngestFixture f, String stream) {
    String s = f.statuses().get(stream);
    try {
      return s == null ? Optional.empty() : Optional.of(JSON.readTree(s));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String lastError(IngestFixture f, String stream) {
    return status(f, stream).map(n -> n.path("lastError").asText("")).orElse("");
  }

  @Test
  void certificatesAreVerifiedByDefaultWithACaFileAPinOrAnExplicitOptOut() throws Exception {
    TestPki pki = TestPki.create();
    TestPki.Issued selfSigned = pki.selfSigned("127.0.0.1", "localhost");
    TestPki.Issued fromCa = pki.issue("127.0.0.1", "localhost");
    TestPki.Issued otherName = pki.issue("camera.example");
    try (TestCamera untrustedCam = tlsCamera(selfSigned).start();
        TestCamera trustedCam = tlsCamera(fromCa).start();
        TestCamera otherNameCam = tlsCamera(otherName).start()) {
      String yaml =
          "cameras:\n"
              + stream("selfsigned", untrustedCam.url(), "")
              + stream("optout", untrustedCam.url(), "tlsVerify: false")
              + stream(
                  "pinned",
                  untrustedCam.url(),
                  "tlsFingerprint: \"" + selfSigned.fingerprint() + "\"")
              + stream("trusted", trustedCam.url("localhost"), "tlsCaFile: " + pki.caFile())
              + stream("wronghost", otherNameCam.url(), "tlsCaFile: " + pki.caFile());
      try (IngestFixture f = new IngestFixture(yaml, Map.of("CAM_PASSWORD", PASSWORD))) {
        // trusted through the configured CA, by host name: records arrive, in order, decodable
        List<ConsumerRecord<byte[], byte[]>> trusted =
            RtspIngestIT.readRecords(f, "camflow.media.trusted.main", 3 * GOP);
        RtspIngestIT.assertOrderedStreamWithGop(trusted, GOP);
        assertEquals(GOP, RtspIngestIT.decodeWithFfmpeg(RtspIngestIT.firstGop(trusted), "h264"));

        // the explicit opt-out and the pin both reach the self-signed camera
        RtspIngestIT.assertOrderedStreamWithGop(
            RtspIngestIT.readRecords(f, "camflow.media.optout.main", 3 * GOP), GOP);
        RtspIngestIT.assertOrderedStreamWithGop(
            RtspIngestIT.readRecords(f, "camflow.media.pinned.main", 3 * GOP), GOP);

        // by default the self-signed camera is refused, with a reason an operator can act on
        // (between two retries it is offline; during one, connecting again: wait for the former)
        await(
            () ->
                lastError(f, "selfsigned/main").startsWith("tls-failed:")
                    && status(f, "selfsigned/main")
                        .map(s -> s.get("state").asText().equals("offline"))
                        .orElse(false),
            Duration.ofSeconds(20),
            () -> "status " + status(f, "selfsigned/main"));
        JsonNode refused = status(f, "selfsigned/main").orElseThrow();
        assertTrue(
            refused.get("state").asText().equals("offline")
                || refused.get("state").asText().equals("connecting"),
            refused.toString());
        assertTrue(
            refused.get("lastError").asText().contains("not issued by a trusted CA"),
            refused.toString());
        assertTrue(
            refused.get("lastError").asText().contains("tlsVerify: false"),
            "names the way out: " + refused);

        // a certificate from the trusted CA, but for another name
        await(
            () -> lastError(f, "wronghost/main").startsWith("tls-failed:"),
            Duration.ofSeconds(20),
            () -> "status " + status(f, "wronghost/main"));
        assertTrue(
            lastError(f, "wronghost/main").contains("not issued for 127.0.0.1"),
            lastError(f, "wronghost/main"));

        // nothing of the refused cameras reached Kafka
        assertEquals(
            0, f.read("camflow.media.selfsigned.main", Duration.ofSeconds(1), l -> false).size());
        assertEquals(
            0, f.read("camflow.media.wronghost.main", Duration.ofSeconds(1), l -> false).size());

        for (String s :
            List.of(
                "selfsigned/main",
                "optout/main",
                "pinned/main",
                "trusted/main",
                "wronghost/main")) {
          for (String status : f.statusHistory(s)) {
            assertFalse(status.contains(PASSWORD), status);
          }
        }
        f.context.stop();
        String logs = Files.readString(LOG, StandardCharsets.UTF_8);
        assertTrue(
            logs.contains("certificate NOT verified (tlsVerify: false)"),
            "the opt-out is warned about");
        assertFalse(logs.contains(PASSWORD), "the password never reaches the logs");
      }
    }
  }
}
