package io.camflow.e2e;

import static io.camflow.e2e.CamelServices.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.delivery.sessions.Protocol;
import io.camflow.testsupport.DecodedAudio;
import io.camflow.testsupport.Ffprobe;
import io.camflow.testsupport.TestCamera;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * G.711 cameras on HLS and MSE: two GStreamer RTSP cameras sending H.264 and a 440 Hz tone at 0.2
 * (8 kHz mono, in 128 ms packets: audiotestsrc's buffers; the unit tests also run 20 ms records),
 * one as A-law (mode {@code always}), one as µ-law (on demand), through the local Kafka, ingest,
 * packager and delivery. The packager transcodes the G.711 to AAC-LC once per stream; the LL-HLS
 * playlist and the WebSocket/MSE fragments must carry that AAC track, FFmpeg must decode it back to
 * the camera's tone (frequency, level, no holes), and Chromium must decode audio from both (hls.js,
 * and the minimal MSE client).
 */
class G711AudioE2EIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  /** The cameras' sine: amplitude 0.2, so an rms of 0.141. */
  static final double LEVEL = 0.2 / Math.sqrt(2);

  static TestCamera alaw;
  static TestCamera ulaw;
  static LivePipeline pipeline;

  @BeforeAll
  static void startEverything() throws Exception {
    alaw =
        TestCamera.builder()
            .codec(TestCamera.Codec.H264)
            .size(640, 360)
            .fps(25)
            .gop(25)
            .audio(TestCamera.Audio.PCMA)
            .start();
    ulaw =
        TestCamera.builder()
            .codec(TestCamera.Codec.H264)
            .size(640, 360)
            .fps(25)
            .gop(25)
            .audio(TestCamera.Audio.PCMU)
            .start();
    pipeline =
        LivePipeline.start(
            "g711-e2e",
            """
        cameras:
          g711a:
            streams:
              main:
                url: %s
                mode: always
                readTimeout: 3s
          g711u:
            streams:
              main:
                url: %s
                mode: on-demand
                idleGrace: 10s
                readTimeout: 3s
        """
                .formatted(alaw.url(), ulaw.url()),
            Map.of());
    // the on-demand camera is started by the first request; between the tests a playlist request
    // every 2 s keeps it pulled, so no test meets a camera reconnecting under it
    Thread keepWarm =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                get(playlist("g711u"));
                try {
                  Thread.sleep(2_000);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "g711u-keep-warm");
    keepWarm.setDaemon(true);
    keepWarm.start();
    pipeline.add((AutoCloseable) keepWarm::interrupt);
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (pipeline != null) {
      pipeline.close();
    }
    for (TestCamera c : new TestCamera[] {alaw, ulaw}) {
      if (c != null) {
        c.close();
      }
    }
  }

  static String playlist(String camera) {
    return pipeline.live(camera) + "index.m3u8";
  }

  static String get(String url) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (Exception e) {
      return null;
    }
  }

  /**
   * Until the stream is live and every segment of the playlist's window — at least {@code segments}
   * — has the audio. A camera session starts with video alone; the audio track joins at the next
   * keyframe with a new init segment after a discontinuity (docs/cmaf-format.md): a player starting
   * on the older segments would find no audio, and hls.js fails on a later init that adds or drops
   * a track. A playlist left from an earlier session of the on-demand camera is not live.
   */
  static void awaitAudioSegments(String camera, int segments) throws InterruptedException {
    await(
        () -> {
          String p = get(playlist(camera)); // also the demand that starts an on-demand camera
          if (p == null) {
            return false;
          }
          List<String> lines = p.lines().toList();
          int from = Math.max(0, lines.lastIndexOf("#EXT-X-DISCONTINUITY"));
          long all = lines.stream().filter(l -> l.startsWith("#EXTINF")).count();
          long withAudio = lines.stream().skip(from).filter(l -> l.startsWith("#EXTINF")).count();
          Instant newest =
              lines.stream()
                  .filter(l -> l.startsWith("#EXT-X-PROGRAM-DATE-TIME:"))
                  .map(l -> Instant.parse(l.substring(l.indexOf(':') + 1)))
                  .reduce((a, b) -> b)
                  .orElse(Instant.EPOCH);
          return withAudio >= segments
              && withAudio == all
              && Duration.between(newest, Instant.now()).compareTo(Duration.ofSeconds(5)) < 0;
        },
        Duration.ofSeconds(120),
        camera + ": a live playlist whose segments all have the audio");
  }

  /** The camera's tone, as FFmpeg heard it: frequency, level, and no hole. */
  static void assertTone(String what, DecodedAudio heard, double fromSecond, double toSecond) {
    System.out.printf(
        Locale.ROOT,
        "%s: %s, %.2f Hz, rms %.4f, quietest 10 ms %.4f%n",
        what,
        heard,
        heard.hz(fromSecond, toSecond),
        heard.rms(fromSecond, toSecond),
        heard.quietest10Ms(fromSecond, toSecond));
    assertTrue(heard.seconds() >= toSecond, what + ": enough sound, " + heard);
    assertEquals(440, heard.hz(fromSecond, toSecond), 2, what + ": the camera's frequency");
    assertEquals(
        LEVEL, heard.rms(fromSecond, toSecond), LEVEL * 0.1, what + ": the camera's level");
    assertTrue(
        heard.quietest10Ms(fromSecond, toSecond) > LEVEL * 0.5, what + ": no hole in the sound");
  }

  static void assertAacMono48k(String what, String input) {
    List<Ffprobe.StreamInfo> streams = Ffprobe.probe(input, Duration.ofSeconds(60));
    Ffprobe.StreamInfo audio =
        Ffprobe.audio(streams)
            .orElseThrow(() -> new AssertionError(what + ": no audio " + streams));
    assertEquals("aac", audio.codecName(), what);
    assertEquals(48_000, audio.sampleRate(), what);
    assertEquals(1, audio.channels(), what);
    assertEquals("h264", Ffprobe.video(streams).orElseThrow().codecName(), what);
  }

  /**
   * camflow re-serves the camera over RTSP (docs/rtsp.md): FFmpeg hears the camera's own A-law tone
   * from camflow's RTSP server, and with 20 readers on it the camera still has one connection —
   * ingest's.
   */
  @Test
  void overRtspTheCamerasOwnAudioAndTwentyReadersAreOneConnectionToTheCamera() throws Exception {
    awaitAudioSegments("g711a", 2);
    String url = "rtsp://127.0.0.1:" + pipeline.delivery().rtspPort() + "/g711a/main";
    List<Ffprobe.StreamInfo> streams = Ffprobe.probe(url, Duration.ofSeconds(60));
    assertEquals("pcm_alaw", Ffprobe.audio(streams).orElseThrow().codecName(), streams.toString());
    DecodedAudio heard = DecodedAudio.decode(url, Duration.ofSeconds(60), "-t", "6");
    assertTone("g711a over RTSP", heard, 0.5, 5.5);
    int cameraPort = URI.create(alaw.url()).getPort();
    List<Socket> readers = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        readers.add(play(url));
      }
      await(
          () -> pipeline.delivery().sessions().count(Protocol.RTSP) == 20,
          Duration.ofSeconds(10),
          "20 RTSP readers playing");
      assertEquals(1, established(cameraPort), "the camera sees one connection: ingest's");
    } finally {
      for (Socket s : readers) {
        s.close();
      }
    }
  }

  /** An RTSP reader over TCP that got its first packet. */
  static Socket play(String url) throws IOException {
    Socket s = new Socket("127.0.0.1", URI.create(url).getPort());
    s.setSoTimeout(20_000);
    DataInputStream in = new DataInputStream(s.getInputStream());
    OutputStream out = s.getOutputStream();
    String base =
        exchange(in, out, "DESCRIBE " + url + " RTSP/1.0\r\nCSeq: 1\r\n\r\n", "content-base");
    String session =
        exchange(
                in,
                out,
                "SETUP "
                    + base
                    + "trackID=0 RTSP/1.0\r\nCSeq: 2\r\n"
                    + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n",
                "session")
            .split(";")[0];
    exchange(
        in, out, "PLAY " + base + " RTSP/1.0\r\nCSeq: 3\r\nSession: " + session + "\r\n\r\n", null);
    assertEquals('$', in.read(), "an interleaved packet after PLAY");
    return s;
  }

  /** Sends a request; its response must be 200: the value of {@code header} (or null). */
  static String exchange(DataInputStream in, OutputStream out, String request, String header)
      throws IOException {
    out.write(request.getBytes(StandardCharsets.UTF_8));
    out.flush();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("closed after: " + head);
      }
      head.append((char) c);
    }
    assertTrue(head.toString().startsWith("RTSP/1.0 200"), head.toString());
    String value = null;
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        String name = line.substring(0, colon).trim();
        if (name.equalsIgnoreCase("content-length")) {
          length = Integer.parseInt(line.substring(colon + 1).trim());
        }
        if (header != null && name.equalsIgnoreCase(header)) {
          value = line.substring(colon + 1).trim();
        }
      }
    }
    in.readNBytes(length);
    return value;
  }

  /** TCP connections established to this local port (the camera's side of each, IPv4 and IPv6). */
  static long established(int port) throws IOException {
    String local = String.format(":%04X", port);
    long n = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : Files.readAllLines(Path.of(table))) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 3 && f[1].endsWith(local) && f[3].equals("01")) {
          n++;
        }
      }
    }
    return n;
  }

  @ParameterizedTest
  @ValueSource(strings = {"g711a", "g711u"})
  void theHlsPlaylistCarriesAnAacTrackThatFfmpegDecodesToTheCamerasTone(String camera)
      throws Exception {
    awaitAudioSegments(camera, 4);
    assertAacMono48k(camera + " HLS", playlist(camera));
    DecodedAudio heard = DecodedAudio.decode(playlist(camera), Duration.ofSeconds(90), "-t", "8");
    assertTone(camera + " over HLS", heard, 0.5, 7.5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"g711a", "g711u"})
  void theMseFragmentsCarryTheAacTrackAndItDecodesToTheCamerasTone(String camera) throws Exception {
    awaitAudioSegments(camera, 2);
    MseRecording recording =
        MseRecording.record(
            pipeline.mse(camera), List.of("avc1.42e01e", "mp4a.40.2"), Duration.ofSeconds(7));
    assertTrue(
        recording.codecs().contains("mp4a.40.2"),
        "the init names the AAC track: " + recording.codecs());
    Path mp4 = Files.createTempFile("camflow-g711-mse", ".mp4");
    Files.write(mp4, recording.file());
    assertAacMono48k(camera + " MSE", mp4.toString());
    DecodedAudio heard = DecodedAudio.decode(mp4.toString(), Duration.ofSeconds(30));
    assertTone(camera + " over MSE", heard, 0.3, heard.seconds() - 0.3);
    assertTrue(heard.seconds() > 5, "the GOP burst and the live fragments: " + heard);
  }

  @ParameterizedTest
  @ValueSource(strings = {"g711a", "g711u"})
  void chromiumDecodesTheAudioWithHlsJsAndOverMse(String camera) throws Exception {
    awaitAudioSegments(camera, 4);
    JsonNode hls = run("src/test/js/hls-play.mjs", playlist(camera), 12);
    System.out.println(
        camera + " in hls.js: audio " + hls.get("audio") + ", last " + hls.get("last"));
    assertEquals(0, hls.get("fatal").size(), "no fatal hls.js error: " + hls);
    assertTrue(
        hls.get("audio").get("bufferCodecs").toString().contains("mp4a.40.2"),
        "hls.js found the AAC track in the init segment: " + hls.get("audio"));
    JsonNode first = hls.get("first");
    JsonNode last = hls.get("last");
    double playedSeconds = (last.get("atMs").asLong() - first.get("atMs").asLong()) / 1000.0;
    // AAC at 64 kbit/s: 8000 bytes a second reach the decoder while it plays
    assertTrue(
        last.get("audioBytes").asLong() - first.get("audioBytes").asLong()
            > 0.6 * 8_000 * playedSeconds,
        "Chromium decoded audio all along: " + hls.get("audio") + " over " + playedSeconds + " s");
    assertTrue(
        last.get("frames").asLong() - first.get("frames").asLong() >= 100,
        "and the picture went on: " + hls);

    JsonNode mse = run("src/test/js/mse-play.mjs", pipeline.mse(camera), 10);
    System.out.println(
        camera
            + " over MSE in Chromium: audio bytes "
            + mse.get("audioDecodedBytes")
            + ", last "
            + mse.get("last"));
    assertEquals(0, mse.get("errors").size(), "no MSE error: " + mse);
    assertTrue(
        mse.get("events").get(0).get("codecs").asText().contains("mp4a.40.2"), mse.toString());
    assertTrue(
        mse.get("audioDecodedBytes").asLong() > 0.6 * 8_000 * 10,
        "Chromium decoded audio from MSE: " + mse);
    assertTrue(mse.get("advancedS").asDouble() >= 5, "it played: " + mse);
  }

  static JsonNode run(String script, String url, int seconds) throws Exception {
    Process node =
        new ProcessBuilder("node", script, url, Integer.toString(seconds))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    node.getOutputStream().close();
    String out = new String(node.getInputStream().readAllBytes()).trim();
    assertTrue(node.waitFor(120, TimeUnit.SECONDS), script + " finishes");
    assertEquals(0, node.exitValue(), script + " output: " + out);
    return JSON.readTree(out.substring(out.lastIndexOf('\n') + 1));
  }
}
