package io.camflow.delivery.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.delivery.DeliveryService;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.http.CorsPolicy;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.kafka.LocalKafka;
import io.camflow.media.fmp4.Mp4Boxes;
import io.camflow.testsupport.EncodedStream;
import io.camflow.testsupport.RecordingViewer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Playback of a recording from the real broker: a stream written the way the packager writes it
 * (CMAF and its index), a VOD playlist of a range that FFmpeg plays frame for frame, an EVENT
 * playlist that runs to the live edge, the range as one MP4 clip that starts at the asked frame and
 * answers byte ranges, and the refusals of what cannot be played.
 */
class DvrPlaybackIT {

  static final LocalKafka KAFKA = LocalKafka.shared();
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final String TOPIC = "camflow.cmaf.dvrit.main";
  static CmafFeed feed;
  static DeliveryService service;
  static CamelContext ctx;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    DeliveryIT.createTopics(TOPIC);
    feed = new CmafFeed(KAFKA.bootstrapServers(), TOPIC, EncodedStream.h264(10, 25, 320, 240));
    feed.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (feed.segmentsWritten < 6 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    service =
        new DeliveryService(
            DeliverySettings.defaults(KAFKA.bootstrapServers()),
            port,
            CorsPolicy.none(),
            AuthSettings.off(),
            null,
            Path.of("..", "routes", "delivery.camel.yaml"));
    ctx = new DefaultCamelContext();
    service.configure(ctx);
    ctx.start();
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

  static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url(pathAndQuery)))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String url(String pathAndQuery) {
    return "http://127.0.0.1:" + port + pathAndQuery;
  }

  /** The first recorded span, from the recordings API. */
  static JsonNode firstSpan() throws Exception {
    HttpResponse<String> r = get("/api/v1/recordings/dvrit/main");
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body()).get("spans").get(0);
  }

  @Test
  void aVodPlaylistOfARangePlaysInFfmpegFrameForFrame() throws Exception {
    Instant first = Instant.parse(firstSpan().get("start").asText());
    Instant start = first.plusMillis(2_500);
    Instant end = start.plusSeconds(6);
    String path = "/dvr/dvrit/main/index.m3u8?start=" + start + "&end=" + end;
    HttpResponse<String> r = get(path);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(
        "application/vnd.apple.mpegurl", r.headers().firstValue("Content-Type").orElse(""));
    String playlist = r.body();
    assertTrue(playlist.contains("#EXT-X-PLAYLIST-TYPE:VOD"), playlist);
    assertTrue(playlist.endsWith("#EXT-X-ENDLIST\n"), playlist);
    assertTrue(playlist.contains("#EXT-X-MAP:URI=\"init-"), playlist);
    List<Instant> starts = new ArrayList<>();
    double seconds = 0;
    for (String line : playlist.split("\n")) {
      if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
        starts.add(Instant.parse(line.substring("#EXT-X-PROGRAM-DATE-TIME:".length())));
      } else if (line.startsWith("#EXTINF:")) {
        seconds += Double.parseDouble(line.substring(8, line.indexOf(',')));
      }
    }
    assertFalse(starts.isEmpty(), playlist);
    assertFalse(starts.get(0).isAfter(start), "the first segment holds start: " + playlist);
    assertTrue(
        Duration.between(starts.get(0), start).toMillis() < 3_000, "and no more: " + playlist);
    assertTrue(starts.get(starts.size() - 1).isBefore(end), "the last segment starts before end");
    assertTrue(seconds >= 6, "the segments cover the range: " + seconds + " s");
    assertTrue(
        playlist.contains("#EXT-X-START:TIME-OFFSET="),
        "a player that honours EXT-X-START begins at start, not at the keyframe: " + playlist);

    // FFmpeg reads the playlist, the init and every segment through delivery and decodes them all
    Process ffprobe =
        new ProcessBuilder(
                "ffprobe",
                "-v",
                "error",
                "-count_frames",
                "-select_streams",
                "v:0",
                "-show_entries",
                "stream=nb_read_frames",
                "-of",
                "csv=p=0",
                url(path))
            .redirectErrorStream(true)
            .start();
    String out = new String(ffprobe.getInputStream().readAllBytes()).trim();
    assertTrue(ffprobe.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, ffprobe.exitValue(), out);
    long frames = Long.parseLong(out.lines().reduce((a, b) -> b).orElse("0").trim());
    long expected = Math.round(seconds * EncodedStream.FPS);
    assertTrue(
        Math.abs(frames - expected) <= 1,
        "every frame of the segments decodes: " + frames + " of " + expected);
  }

  @Test
  void anEventPlaylistRunsFromStartToTheLiveEdge() throws Exception {
    Instant start = Instant.parse(firstSpan().get("start").asText()).plusSeconds(1);
    HttpResponse<String> r = get("/dvr/dvrit/main/index.m3u8?start=" + start);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("#EXT-X-PLAYLIST-TYPE:EVENT"), r.body());
    assertFalse(r.body().contains("#EXT-X-ENDLIST"), r.body());
    long segments = r.body().lines().filter(l -> l.startsWith("seg-")).count();
    Thread.sleep(4_500); // two more segments are recorded
    long later =
        get("/dvr/dvrit/main/index.m3u8?start=" + start)
            .body()
            .lines()
            .filter(l -> l.startsWith("seg-"))
            .count();
    assertTrue(later > segments, "the playlist grows: " + segments + " then " + later);
  }

  @Test
  void whatCannotBePlayedIsRefusedWithAReason() throws Exception {
    HttpResponse<String> noStart = get("/dvr/dvrit/main/index.m3u8");
    assertEquals(400, noStart.statusCode());
    assertTrue(noStart.body().contains("start is required"), noStart.body());
    HttpResponse<String> backwards =
        get("/dvr/dvrit/main/index.m3u8?start=2026-12-01T10:00:00Z&end=2026-12-01T09:00:00Z");
    assertEquals(400, backwards.statusCode());
    assertTrue(backwards.body().contains("end must be after start"), backwards.body());
    HttpResponse<String> tooLong =
        get("/dvr/dvrit/main/index.m3u8?start=2026-12-01T00:00:00Z&end=2026-12-02T00:00:00Z");
    assertEquals(400, tooLong.statusCode());
    assertTrue(tooLong.body().contains("at most 6 hours"), tooLong.body());
    HttpResponse<String> none =
        get("/dvr/nodvr/main/index.m3u8?start=" + Instant.now().minusSeconds(60));
    assertEquals(404, none.statusCode());
    assertTrue(none.body().contains("has no recording"), none.body());
    Instant before = Instant.parse(firstSpan().get("start").asText()).minusSeconds(3600);
    HttpResponse<String> empty =
        get("/dvr/dvrit/main/index.m3u8?start=" + before + "&end=" + before.plusSeconds(60));
    assertEquals(404, empty.statusCode(), "nothing recorded in the range: " + empty.body());
    HttpResponse<String> clamped = get("/dvr/dvrit/main/index.m3u8?start=" + before);
    assertEquals(200, clamped.statusCode());
    assertTrue(
        clamped.headers().firstValue("Camflow-Start-Clamped").isPresent(),
        "a start before the oldest recorded instant is said to be moved");
    assertEquals(404, get("/dvr/dvrit/main/seg-999999.m4s?at=1").statusCode());
    assertEquals(400, get("/dvr/dvrit/main/seg-1.m4s").statusCode(), "at is needed");
    assertEquals(404, get("/dvr/dvrit/main/part-1.0.m4s?at=1").statusCode(), "no parts in DVR");
    assertEquals(404, get("/dvr/dvrit/main/../../etc/passwd").statusCode());
  }

  /**
   * The timeline's thumbnails as the packager writes them (a JPEG per sample, stamped with its
   * keyframe's capture time): the one nearest the asked instant, none more than a minute away.
   */
  @Test
  void aThumbnailIsTheSampleNearestTheInstant() throws Exception {
    Instant t0 = Instant.now().minusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    byte[] first = jpeg(java.awt.Color.RED);
    byte[] second = jpeg(java.awt.Color.BLUE);
    Properties p = new Properties();
    p.put("bootstrap.servers", KAFKA.bootstrapServers());
    try (org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> producer =
        new org.apache.kafka.clients.producer.KafkaProducer<>(
            p,
            new org.apache.kafka.common.serialization.ByteArraySerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      for (io.camflow.media.record.Thumbnail t :
          List.of(
              new io.camflow.media.record.Thumbnail("s1", 100, 64, 48, t0.toEpochMilli(), first),
              new io.camflow.media.record.Thumbnail(
                  "s1", 350, 64, 48, t0.plusSeconds(10).toEpochMilli(), second))) {
        var record =
            new org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>(
                "camflow.thumbs.thumbit.main", 0, t.captureMillis(), null, t.jpeg());
        t.headers().forEach((k, v) -> record.headers().add(k, v));
        producer.send(record).get(30, TimeUnit.SECONDS);
      }
    }
    HttpResponse<byte[]> near =
        getBytes("/dvr/thumbit/main/thumbnail.jpg?at=" + t0.plusSeconds(4), null);
    assertEquals(200, near.statusCode());
    assertArrayEquals(first, near.body());
    assertEquals("image/jpeg", near.headers().firstValue("Content-Type").orElse(""));
    assertEquals(t0.toString(), near.headers().firstValue("Camflow-Capture-Time").orElse(""));
    assertEquals("private, max-age=86400", near.headers().firstValue("Cache-Control").orElse(""));
    HttpResponse<byte[]> later =
        getBytes("/dvr/thumbit/main/thumbnail.jpg?at=" + t0.plusSeconds(6), null);
    assertArrayEquals(second, later.body(), "6 s after the first, 4 s before the second");
    assertArrayEquals(
        first, getBytes("/dvr/thumbit/main/thumbnail.jpg?at=" + t0.minusSeconds(50), null).body());
    assertArrayEquals(
        second, getBytes("/dvr/thumbit/main/thumbnail.jpg?at=" + t0.plusSeconds(65), null).body());

    HttpResponse<String> far = get("/dvr/thumbit/main/thumbnail.jpg?at=" + t0.plusSeconds(75));
    assertEquals(404, far.statusCode());
    assertTrue(far.body().contains("no thumbnail of thumbit/main within 60 s"), far.body());
    assertEquals(404, get("/dvr/nothumbs/main/thumbnail.jpg?at=" + t0).statusCode());
    HttpResponse<String> noAt = get("/dvr/thumbit/main/thumbnail.jpg");
    assertEquals(400, noAt.statusCode());
    assertTrue(noAt.body().contains("at is required"), noAt.body());
    HttpResponse<String> badAt = get("/dvr/thumbit/main/thumbnail.jpg?at=yesterday");
    assertEquals(400, badAt.statusCode());
    assertTrue(badAt.body().contains("ISO-8601"), badAt.body());
  }

  static byte[] jpeg(java.awt.Color color) throws Exception {
    java.awt.image.BufferedImage image =
        new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = image.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, 64, 48);
    g.dispose();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(image, "jpeg", out);
    return out.toByteArray();
  }

  @Test
  void aClipStartsAtTheAskedFrameMoovFirstAndAnswersRanges() throws Exception {
    Instant first = Instant.parse(firstSpan().get("start").asText());
    // 2.5 s after a keyframe of 1 s GOPs: frame 12 of the third segment
    Instant start = first.plusMillis(2_480);
    Instant end = start.plusSeconds(6);
    String query = "?start=" + start + "&end=" + end;
    HttpResponse<byte[]> r = getBytes("/dvr/dvrit/main/clip.mp4" + query, null);
    assertEquals(200, r.statusCode(), () -> new String(r.body()));
    assertEquals("video/mp4", r.headers().firstValue("Content-Type").orElse(""));
    assertEquals("bytes", r.headers().firstValue("Accept-Ranges").orElse(""));
    assertEquals(
        Long.toString(r.body().length), r.headers().firstValue("Content-Length").orElse(""));
    String disposition = r.headers().firstValue("Content-Disposition").orElse("");
    assertTrue(disposition.startsWith("attachment; filename=\"dvrit-main-"), disposition);
    assertEquals(
        List.of("ftyp", "moov", "mdat"),
        Mp4Boxes.parse(r.body()).stream().map(Mp4Boxes.Box::type).toList(),
        "moov first");
    Path clip = Files.createTempFile("clip", ".mp4");
    Files.write(clip, r.body());

    // the clip's frames are the recording's from the asked instant on: the same pictures FFmpeg
    // decodes from the HLS playlist of the range, from the frame at start
    List<String> clipFrames = frameHashes(clip.toString());
    String playlist = url("/dvr/dvrit/main/index.m3u8" + query);
    List<String> hlsFrames = frameHashes(playlist);
    Instant firstSegment =
        programDateTimes(get("/dvr/dvrit/main/index.m3u8" + query).body()).get(0);
    int skip = (int) (Duration.between(firstSegment, start).toMillis() / 40);
    assertEquals(150, clipFrames.size(), "6 s at 25 fps");
    assertEquals(
        hlsFrames.subList(skip, skip + clipFrames.size()),
        clipFrames,
        "frame " + skip + " of the HLS range is the clip's first");

    // ranges: the same bytes as the whole file
    HttpResponse<byte[]> part = getBytes("/dvr/dvrit/main/clip.mp4" + query, "bytes=1000-200000");
    assertEquals(206, part.statusCode());
    assertEquals(
        "bytes 1000-200000/" + r.body().length,
        part.headers().firstValue("Content-Range").orElse(""));
    assertArrayEquals(Arrays.copyOfRange(r.body(), 1000, 200_001), part.body());
    HttpResponse<byte[]> tail = getBytes("/dvr/dvrit/main/clip.mp4" + query, "bytes=-5000");
    assertEquals(206, tail.statusCode());
    assertArrayEquals(
        Arrays.copyOfRange(r.body(), r.body().length - 5000, r.body().length), tail.body());
    HttpResponse<byte[]> past =
        getBytes("/dvr/dvrit/main/clip.mp4" + query, "bytes=" + r.body().length + "-");
    assertEquals(416, past.statusCode());
    assertEquals(
        "bytes */" + r.body().length, past.headers().firstValue("Content-Range").orElse(""));
  }

  @Test
  void aClipThatCannotBeMadeIsRefusedWithAReason() throws Exception {
    Instant first = Instant.parse(firstSpan().get("start").asText());
    HttpResponse<String> noEnd = get("/dvr/dvrit/main/clip.mp4?start=" + first);
    assertEquals(400, noEnd.statusCode());
    assertTrue(noEnd.body().contains("end is required"), noEnd.body());
    HttpResponse<String> tooLong =
        get("/dvr/dvrit/main/clip.mp4?start=" + first + "&end=" + first.plusSeconds(7200));
    assertEquals(400, tooLong.statusCode());
    assertTrue(tooLong.body().contains("at most 60 minutes"), tooLong.body());
    HttpResponse<String> none =
        get("/dvr/nodvr/main/clip.mp4?start=" + first + "&end=" + first.plusSeconds(10));
    assertEquals(404, none.statusCode());
    assertTrue(none.body().contains("has no recording"), none.body());
    Instant long_ago = first.minusSeconds(3600);
    HttpResponse<String> empty =
        get("/dvr/dvrit/main/clip.mp4?start=" + long_ago + "&end=" + long_ago.plusSeconds(60));
    assertEquals(404, empty.statusCode(), empty.body());
    // a clip running into the future ends at the live edge and says so
    Instant now = Instant.now();
    HttpResponse<byte[]> open =
        getBytes(
            "/dvr/dvrit/main/clip.mp4?start=" + now.minusSeconds(3) + "&end=" + now.plusSeconds(30),
            null);
    assertEquals(200, open.statusCode());
    assertTrue(open.headers().firstValue("Camflow-Clip-End").isPresent(), "where it ended");
  }

  /**
   * MSE plays the recording (docs/mse.md, "Recordings"): from an instant, the segment holding it
   * (the same bytes HLS serves) with where the instant lies in media time; no more than the lead
   * ahead of the position the player reports; keyframes only above 4×; a seek and a return to live
   * on the same socket; a start before the oldest is clamped and said so; a bad instant is refused
   * and the socket goes on.
   */
  @Test
  void mseReplaysTheRecordingPacedByThePlayerAndSeeksWithoutReconnecting() throws Exception {
    Instant at = Instant.now().minusSeconds(9).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    RecordingViewer v =
        RecordingViewer.open(
            HTTP, URI.create("ws://127.0.0.1:" + port + "/live/dvrit/main/mse"), null);
    v.send("{\"type\":\"play\",\"codecs\":[\"avc1.64001f\",\"mp4a.40.2\"],\"at\":\"" + at + "\"}");
    assertTrue(v.expect("init").path("codecs").asText().startsWith("avc1"));
    assertEquals("ftyp", new String(v.binary(), 4, 4, java.nio.charset.StandardCharsets.US_ASCII));
    JsonNode recording = v.expect("recording");
    assertEquals(at.toString(), recording.path("at").asText(), recording.toString());
    assertFalse(recording.path("clamped").asBoolean());
    JsonNode first = v.expect("segment");
    Instant start = Instant.parse(first.path("start").asText());
    double duration = first.path("duration").asDouble();
    assertTrue(
        !start.isAfter(at) && start.plusMillis((long) (duration * 1000)).isAfter(at),
        "the first segment holds the instant: " + first);
    assertEquals(
        first.path("time").asDouble() + (at.toEpochMilli() - start.toEpochMilli()) / 1000.0,
        recording.path("time").asDouble(),
        0.0005,
        "where the instant lies in media time");
    byte[] segment = v.binary();
    HttpResponse<String> vod =
        get("/dvr/dvrit/main/index.m3u8?start=" + start + "&end=" + start.plusMillis(500));
    Matcher uri = Pattern.compile("(?m)^(seg-[^\\s]+)$").matcher(vod.body());
    assertTrue(uri.find(), vod.body());
    assertArrayEquals(
        getBytes("/dvr/dvrit/main/" + uri.group(1), null).body(),
        segment,
        "the segment HLS serves, byte for byte");

    // paced: without a position, a lead (6 s) of media and no more
    Thread.sleep(1_500);
    double sent = duration;
    double lastTime = first.path("time").asDouble();
    for (Object m; (m = v.poll()) != null; ) {
      if (m instanceof JsonNode n && n.path("type").asText().equals("segment")) {
        sent += n.path("duration").asDouble();
        assertTrue(n.path("time").asDouble() > lastTime, "segments in order: " + n);
        lastTime = n.path("time").asDouble();
      }
    }
    assertTrue(sent >= 6 && sent < 6 + 2 * duration + 0.01, "a lead's worth: " + sent + " s");
    v.send("{\"type\":\"position\",\"time\":" + (lastTime + 1) + "}");
    JsonNode more = v.until("segment", 10);
    assertTrue(more.path("time").asDouble() > lastTime, "more once the player moved on: " + more);

    // 8×: keyframes only, held for their segment
    v.send("{\"type\":\"rate\",\"rate\":8}");
    v.send("{\"type\":\"position\",\"time\":" + (lastTime + 1_000) + "}");
    JsonNode fast = null;
    byte[] reduced = null;
    while (reduced == null) {
      Object m = v.next(10);
      if (m instanceof JsonNode n && n.path("type").asText().equals("segment")) {
        fast = n;
      } else if (m instanceof byte[] b && fast != null) {
        List<io.camflow.media.fmp4.FragmentReader.SampleRef> samples =
            io.camflow.media.fmp4.FragmentReader.read(b);
        if (samples.size() == 1) {
          reduced = b;
        }
      }
    }
    io.camflow.media.fmp4.FragmentReader.SampleRef held =
        io.camflow.media.fmp4.FragmentReader.read(reduced).get(0);
    assertTrue(held.sync(), "the segment's keyframe");
    assertEquals(
        fast.path("duration").asDouble(), held.duration() / 90_000.0, 0.05, "held for it: " + fast);
    v.until("edge", 30); // and at 8× the recording's newest segment comes soon

    // a seek on the same socket: a new init, then the instant
    Instant again = at.plusSeconds(3);
    v.send("{\"type\":\"seek\",\"at\":\"" + again + "\"}");
    v.until("init", 10);
    assertEquals(again.toString(), v.until("recording", 10).path("at").asText());

    // before the oldest: clamped to it
    v.send("{\"type\":\"seek\",\"at\":\"2020-01-01T00:00:00Z\"}");
    JsonNode clamped = v.until("recording", 10);
    assertTrue(clamped.path("clamped").asBoolean(), clamped.toString());
    assertTrue(
        Instant.parse(clamped.path("at").asText()).isAfter(Instant.parse("2020-01-01T00:00:00Z")));

    // a bad instant: refused, the socket goes on
    v.send("{\"type\":\"seek\",\"at\":\"yesterday\"}");
    JsonNode refused = v.until("refused", 10);
    assertEquals("bad-request", refused.path("reason").asText(), refused.toString());

    // nothing recorded from there on: refused, and live is still one message away
    v.send("{\"type\":\"seek\",\"at\":\"" + Instant.now().plusSeconds(3_600) + "\"}");
    JsonNode notRecorded = v.until("refused", 10);
    assertEquals("not-recorded", notRecorded.path("reason").asText(), notRecorded.toString());

    // back to live: init, the GOP burst, live
    v.send("{\"type\":\"golive\"}");
    v.until("init", 10);
    v.until("live", 10);
    v.abort();
  }

  /**
   * An MSE viewer moves on into a stretch that was deleted after it started (here by {@code
   * deleteRecords}, which moves the log's start as retention does, at a known point): it is told
   * ({@code retention}, the oldest kept) and plays on from there. Another recording is read in
   * between, so the viewer's reader has nothing of this one fetched ahead.
   */
  @Test
  void anMseViewerMovingIntoWhatWasDeletedIsToldAndPlaysOnFromTheOldest() throws Exception {
    String cmaf = "camflow.cmaf.dvrdel.main";
    DeliveryIT.createTopics(cmaf, "camflow.index.dvrdel.main");
    long fillStart = Instant.now().minus(Duration.ofMinutes(3)).toEpochMilli();
    try (CmafFeed old =
        new CmafFeed(KAFKA.bootstrapServers(), cmaf, EncodedStream.h264(10, 25, 320, 240))) {
      old.record(fillStart, 3 * 60 * EncodedStream.FPS);
    }
    RecordingViewer viewer =
        RecordingViewer.open(
            HTTP, URI.create("ws://127.0.0.1:" + port + "/live/dvrdel/main/mse"), null);
    viewer.send(
        "{\"type\":\"play\",\"codecs\":[\"avc1.64001f\"],\"at\":\""
            + Instant.ofEpochMilli(fillStart + 1_000)
            + "\"}");
    double playing = viewer.until("recording", 10).path("time").asDouble();

    long cut = fillStart + 90_000;
    Properties p = new Properties();
    p.put("bootstrap.servers", KAFKA.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      org.apache.kafka.common.TopicPartition tp =
          new org.apache.kafka.common.TopicPartition(cmaf, 0);
      long offset =
          admin
              .listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.forTimestamp(cut)))
              .partitionResult(tp)
              .get(30, TimeUnit.SECONDS)
              .offset();
      admin
          .deleteRecords(
              Map.of(tp, org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(offset)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    Instant other = Instant.now().minusSeconds(8);
    HttpResponse<String> elsewhere =
        get("/dvr/dvrit/main/index.m3u8?start=" + other + "&end=" + other.plusSeconds(4));
    Matcher seg = Pattern.compile("(?m)^(seg-[^\\s]+)$").matcher(elsewhere.body());
    assertTrue(seg.find(), elsewhere.body());
    assertEquals(200, getBytes("/dvr/dvrit/main/" + seg.group(1), null).statusCode());

    viewer.send("{\"type\":\"position\",\"time\":" + (playing + 1e6) + "}");
    JsonNode told = viewer.until("retention", 20);
    long oldest = Instant.parse(told.path("oldest").asText()).toEpochMilli();
    assertTrue(
        oldest >= cut - 2_500 && oldest <= cut + 2_500,
        "the viewer is told where the recording now begins: " + told + ", cut at " + cut);
    assertEquals(told.path("oldest").asText(), viewer.until("recording", 10).path("at").asText());
    viewer.expect("segment");
    viewer.binary();
    viewer.abort();
  }

  /**
   * A camera with 2 minutes of retention, its topics as ingest provisions them for {@code dvr:
   * retention: 2m} (CMAF: retention.ms 2 min, segment.ms 1 min; index: one 12 s log segment less;
   * no size bound; TopicProvisionerTest): a recording of 8 minutes, filled at full speed with
   * capture times in the past, loses what is older than the retention once the broker applies it
   * (every 5 s on the test broker). The recordings API's oldest instant moves into the window,
   * nothing before it plays, and the oldest segment left still plays, init and all (its init
   * checkpoint may be after it). An MSE viewer that played at the old end moves on into the deleted
   * part: it is told ({@code retention}) and plays on from the oldest kept.
   */
  @Test
  void retentionRemovesWhatIsOlderAndNothingOutsideTheWindowPlays() throws Exception {
    Map<String, String> cmaf =
        Map.of(
            "retention.ms", "120000",
            "segment.ms", "60000",
            "retention.bytes", "-1",
            "max.message.bytes", "16777216");
    Map<String, String> index =
        Map.of(
            "retention.ms", "108000",
            "segment.ms", "12000",
            "retention.bytes", "-1",
            "max.message.bytes", "16777216");
    Properties p = new Properties();
    p.put("bootstrap.servers", KAFKA.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      admin
          .createTopics(
              List.of(
                  new NewTopic("camflow.cmaf.dvrret.main", 1, (short) 1).configs(cmaf),
                  new NewTopic("camflow.index.dvrret.main", 1, (short) 1).configs(index)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    long fillStart = Instant.now().minus(Duration.ofMinutes(8)).toEpochMilli();
    try (CmafFeed old =
        new CmafFeed(
            KAFKA.bootstrapServers(),
            "camflow.cmaf.dvrret.main",
            EncodedStream.h264(10, 25, 320, 240))) {
      old.record(fillStart, 8 * 60 * EncodedStream.FPS);
    }
    JsonNode rec = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = get("/api/v1/recordings/dvrret/main");
      assertEquals(200, r.statusCode(), r.body());
      rec = JSON.readTree(r.body());
      // the broker deletes a log segment once all of it is older than the retention, at its next
      // retention check: on a busy machine that check comes seconds late, so wait for it here
      if (Instant.parse(rec.get("oldest").asText()).toEpochMilli()
          >= System.currentTimeMillis() - 3 * 60_000 - 15_000) {
        break;
      }
      Thread.sleep(500);
    }
    long now = System.currentTimeMillis();
    long oldest = Instant.parse(rec.get("oldest").asText()).toEpochMilli();
    assertEquals("2m", rec.get("retention").asText(), rec.toString());
    assertTrue(
        oldest >= now - 3 * 60_000 - 15_000 && oldest <= now - 2 * 60_000 + 15_000,
        "what is older than the retention (and its 1-minute log segment) is gone, the rest kept:"
            + " oldest "
            + Instant.ofEpochMilli(oldest)
            + " at "
            + Instant.ofEpochMilli(now)
            + ": "
            + rec);

    Instant early = Instant.ofEpochMilli(fillStart);
    HttpResponse<String> gone =
        get("/dvr/dvrret/main/index.m3u8?start=" + early + "&end=" + early.plusSeconds(60));
    assertEquals(404, gone.statusCode(), "nothing before the window plays: " + gone.body());
    assertEquals(
        404,
        get("/dvr/dvrret/main/clip.mp4?start=" + early + "&end=" + early.plusSeconds(60))
            .statusCode(),
        "nor exports");
    assertEquals(
        404,
        get("/dvr/dvrret/main/seg-0.m4s?at=" + fillStart).statusCode(),
        "its first segment is gone");

    Instant first = Instant.ofEpochMilli(oldest);
    HttpResponse<String> kept =
        get("/dvr/dvrret/main/index.m3u8?start=" + first + "&end=" + first.plusSeconds(3));
    assertEquals(200, kept.statusCode(), kept.body());
    Matcher map = Pattern.compile("#EXT-X-MAP:URI=\"([^\"]+)\"").matcher(kept.body());
    Matcher seg = Pattern.compile("(?m)^(seg-[^\\s]+)$").matcher(kept.body());
    assertTrue(map.find() && seg.find(), kept.body());
    assertEquals(
        200,
        get("/dvr/dvrret/main/" + map.group(1)).statusCode(),
        "the oldest segment's init is found: " + kept.body());
    assertEquals(
        200,
        get("/dvr/dvrret/main/" + seg.group(1)).statusCode(),
        "the oldest segment plays: " + kept.body());
  }

  static HttpResponse<byte[]> getBytes(String pathAndQuery, String range) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url(pathAndQuery))).timeout(Duration.ofSeconds(30));
    if (range != null) {
      b.header("Range", range);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static List<Instant> programDateTimes(String playlist) {
    return playlist
        .lines()
        .filter(l -> l.startsWith("#EXT-X-PROGRAM-DATE-TIME:"))
        .map(l -> Instant.parse(l.substring("#EXT-X-PROGRAM-DATE-TIME:".length())))
        .toList();
  }

  /** The MD5 of every picture FFmpeg shows of {@code input}, in order. */
  static List<String> frameHashes(String input) throws Exception {
    Process ffmpeg =
        new ProcessBuilder(
                "ffmpeg", "-v", "error", "-i", input, "-map", "0:v:0", "-f", "framemd5", "-")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(ffmpeg.getInputStream().readAllBytes());
    assertTrue(ffmpeg.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, ffmpeg.exitValue(), "FFmpeg read " + input);
    return out.lines()
        .filter(l -> !l.startsWith("#") && !l.isBlank())
        .map(l -> l.substring(l.lastIndexOf(',') + 1).strip())
        .toList();
  }
}
