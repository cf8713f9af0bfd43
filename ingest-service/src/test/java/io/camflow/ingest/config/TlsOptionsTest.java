package io.camflow.ingest.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.ingest.source.tls.CameraTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tlsVerify, tlsCaFile and tlsFingerprint: verification by default, and every way to get them
 * wrong.
 */
class TlsOptionsTest {

  static final String PIN =
      "3F:9A:1C:77:0B:2E:54:D1:88:C2:6A:90:1E:4F:B3:07:5D:E8:21:9C:46:FA:0D:83:B5:17:6E:C9:32:A4:58:E0";

  private static StreamConfig stream(String url, String options) {
    String yaml =
        "cameras:\n  cam:\n    streams:\n      main:\n        url: "
            + url
            + "\n"
            + (options.isEmpty() ? "" : "        " + options.replace("\n", "\n        ") + "\n");
    return ConfigLoader.parse(yaml, "camflow.yaml", Map.of()).stream("cam/main").orElseThrow();
  }

  private static List<String> errors(String url, String options) {
    String yaml =
        "cameras:\n  cam:\n    streams:\n      main:\n        url: "
            + url
            + "\n"
            + "        "
            + options.replace("\n", "\n        ")
            + "\n";
    return assertThrows(
            InvalidConfigException.class, () -> ConfigLoader.parse(yaml, "camflow.yaml", Map.of()))
        .errors()
        .stream()
        .map(e -> e.field() + ": " + e.message())
        .toList();
  }

  @Test
  void rtspsIsVerifiedUnlessTheStreamSaysOtherwise() {
    assertEquals(CameraTls.VERIFY, stream("rtsps://cam.example/live", "").tls());
    assertEquals(CameraTls.VERIFY, stream("rtsp://cam.example/live", "").tls());
    assertEquals(
        new CameraTls(false, null, null),
        stream("rtsps://cam.example/live", "tlsVerify: false").tls());
    assertEquals(CameraTls.VERIFY, stream("rtsps://cam.example/live", "tlsVerify: true").tls());
  }

  @Test
  void aFingerprintIsReadInTheUsualSpellings() {
    String hex = PIN.replace(":", "").toLowerCase();
    assertEquals(
        hex, stream("rtsps://cam/live", "tlsFingerprint: \"" + PIN + "\"").tls().fingerprint());
    assertEquals(
        hex, stream("rtsps://cam/live", "tlsFingerprint: sha256:" + hex).tls().fingerprint());
    assertEquals(
        List.of(
            "cameras.cam.streams.main.tlsFingerprint: must be a SHA-256 fingerprint: 64 hex digits, "
                + "optionally in pairs separated by ':' (openssl x509 -noout -fingerprint -sha256)"),
        errors("rtsps://cam/live", "tlsFingerprint: abc"));
  }

  @Test
  void aCaFileMustHoldCertificates(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");
    List<String> e = errors("rtsps://cam/live", "tlsCaFile: " + empty);
    assertEquals(1, e.size(), e.toString());
    assertTrue(e.get(0).startsWith("cameras.cam.streams.main.tlsCaFile: " + empty), e.toString());
    List<String> missing = errors("rtsps://cam/live", "tlsCaFile: " + dir.resolve("none.pem"));
    assertEquals(
        List.of(
            "cameras.cam.streams.main.tlsCaFile: cannot read "
                + dir.resolve("none.pem")
                + " (a PEM file of CA certificates)"),
        missing);
  }

  @Test
  void contradictionsAndWrongValuesAreErrors() {
    assertEquals(
        List.of(
            "cameras.cam.streams.main: tlsVerify: false accepts any certificate; tlsCaFile and "
                + "tlsFingerprint would be ignored"),
        errors("rtsps://cam/live", "tlsVerify: false\ntlsFingerprint: \"" + PIN + "\""));
    assertEquals(
        List.of("cameras.cam.streams.main.tlsVerify: must be true or false, not 'no'"),
        errors("rtsps://cam/live", "tlsVerify: no"));
  }

  @Test
  void tlsOptionsBelongToRtspsUrls() {
    assertEquals(
        List.of(
            "cameras.cam.streams.main.tlsVerify: tlsVerify applies to rtsps:// URLs only (this "
                + "stream's URL is rtsp:)"),
        errors("rtsp://cam/live", "tlsVerify: false"));
  }

  @Test
  void theOptOutHasNoDefault() {
    String yaml =
        "defaults:\n  tlsVerify: false\ncameras:\n  cam:\n    streams:\n      main: rtsps://cam/live\n";
    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class, () -> ConfigLoader.parse(yaml, "camflow.yaml", Map.of()));
    assertTrue(
        e.errors().get(0).message().contains("turning verification off is a choice per stream"),
        e.errors().toString());
  }
}
