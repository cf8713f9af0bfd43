package io.camflow.ingest.it;

import static io.camflow.ingest.it.IngestFixture.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.annexb.AnnexB;
import io.camflow.media.h264.H264NalType;
import io.camflow.media.record.MediaRecordFormat;
import io.camflow.testsupport.TestCamera;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RTSP ingest against a real camera (GStreamer's RTSP server with Digest auth) into the real local
 * Kafka broker: order, keyframe cadence, decodability by FFmpeg, both transports, H.265, sliced
 * pictures and parameter sets that only the SDP carries.
 */
class RtspIngestIT {

  static final String USER = "admin";
  static final String PASSWORD = "Pw-7f3a9c2e1b";
  static final int GOP = 10;

  static String cameraYaml(String camera, TestCamera cam, String transport, String mode) {
    return """
        cameras:
          %s:
            streams:
              main:
                url: %s
                username: %s
                password: ${env:CAM_PASSWORD}
                transport: %s
                mode: %s
                readTimeout: 3s
                backoff: {initial: 200ms, max: 2s, authInitial: 2s, authMax: 4s}
        """
        .formatted(camera, cam.url(), USER, transport, mode);
  }

  /** A test camera at 25 fps with GOP {@value #GOP}, asking for {@link #USER}'s credentials. */
  static TestCamera.Builder camera(TestCamera.Codec codec, int width, int height) {
    return TestCamera.builder()
        .codec(codec)
        .size(width, height)
        .fps(25)
        .gop(GOP)
        .credentials(USER, PASSWORD);
  }

  /** Ingest pulling {@code cam} as {@code <camera>/main} with the right password. */
  static IngestFixture fixture(String camera, TestCamera cam, String transport, String mode)
      throws Exception {
    return new IngestFixture(
        cameraYaml(camera, cam, transport, mode), Map.of("CAM_PASSWORD", PASSWORD));
  }

  static List<ConsumerRecord<byte[], byte[]>> readRecords(
      IngestFixture f, String topic, int count) {
    return f.read(topic, Duration.ofSeconds(20), l -> l.size() >= count);
  }

  /** The records of the first GOP: the first keyframe up to, not including, the next. */
  static List<ConsumerRecord<byte[], byte[]>> firstGop(
      List<ConsumerRecord<byte[], byte[]>> records) {
    List<ConsumerRecord<byte[], byte[]>> gop = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      if ("true".equals(header(r, MediaRecordFormat.KEYFRAME)) && !gop.isEmpty()) {
        break;
      }
      gop.add(r);
    }
    return gop;
  }

  /**
   * Decodes an elementary stream with FFmpeg, failing on the first error; returns the frame count.
   */
  static int decodeWithFfmpeg(List<ConsumerRecord<byte[], byte[]>> records, String format)
      throws Exception {
    ByteArrayOutputStream es = new ByteArrayOutputStream();
    records.forEach(r -> es.writeBytes(r.value()));
    Path file = Files.createTempFile("camflow-gop", "." + format);
    Files.write(file, es.toByteArray());
    Process decode =
        new ProcessBuilder(
                "/usr/bin/ffmpeg",
                "-v",
                "error",
                "-xerror",
                "-f",
                format,
                "-i",
                file.toString(),
                "-f",
                "null",
                "-")
            .redirectErrorStream(true)
            .start();
    String decodeOut = new String(decode.getInputStream().readAllBytes());
    assertTrue(decode.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, decode.exitValue(), "ffmpeg decodes without error: " + decodeOut);
    Process count =
        new ProcessBuilder(
                "/usr/bin/ffprobe",
                "-v",
                "error",
                "-count_frames",
                "-select_streams",
                "v:0",
                "-show_entries",
                "stream=nb_read_frames",
                "-of",
                "csv=p=0",
                "-f",
                format,
                file.toString())
            .start();
    String frames = new String(count.getInputStream().readAllBytes()).trim();
    assertTrue(count.waitFor(30, TimeUnit.SECONDS));
    return Integer.parseInt(frames.replace(",", ""));
  }

  static void assertOrderedStreamWithGop(List<ConsumerRecord<byte[], byte[]>> records, int gop) {
    assertTrue(records.size() >= 3 * gop, "enough records: " + records.size());
    assertEquals(
        "true",
        header(records.get(0), MediaRecordFormat.KEYFRAME),
        "the first record is a keyframe");
    String session = header(records.get(0), MediaRecordFormat.SESSION);
    long lastOffset = -1;
    long lastPts = Long.MIN_VALUE;
    List<Integer> keyframeIndexes = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (int i = 0; i < records.size(); i++) {
      ConsumerRecord<byte[], byte[]> r = records.get(i);
      assertTrue(r.offset() > lastOffset);
      lastOffset = r.offset();
      long pts = Long.parseLong(header(r, MediaRecordFormat.PTS));
      assertTrue(
          pts > lastPts,
          "pts increase (no B-frames from this camera): " + lastPts + " then " + pts);
      lastPts = pts;
      assertEquals(session, header(r, MediaRecordFormat.SESSION));
      assertEquals("90000", header(r, MediaRecordFormat.TIMEBASE));
      assertTrue(
          Math.abs(r.timestamp() - now) < 60_000, "record timestamp is the capture wall clock");
      boolean key = "true".equals(header(r, MediaRecordFormat.KEYFRAME));
      if (key) {
        keyframeIndexes.add(i);
        assertNotNull(
            r.headers().lastHeader(MediaRecordFormat.CONFIG),
            "keyframes carry the codec configuration");
      } else {
        assertNull(r.headers().lastHeader(MediaRecordFormat.CONFIG));
      }
    }
    for (int k = 1; k < keyframeIndexes.size(); k++) {
      assertEquals(
          gop,
          keyframeIndexes.get(k) - keyframeIndexes.get(k - 1),
          "keyframe cadence = camera GOP");
    }
  }

  @Test
  void h264OverTcpArrivesInOrderWithTheCameraGopAndDecodes() throws Exception {
    try (TestCamera cam = camera(TestCamera.Codec.H264, 640, 360).start();
        IngestFixture f = fixture("tcpcam", cam, "tcp", "always")) {
      List<ConsumerRecord<byte[], byte[]>> records =
          readRecords(f, "camflow.media.tcpcam.main", 4 * GOP);
      assertOrderedStreamWithGop(records, GOP);
      assertEquals("h264", header(records.get(0), MediaRecordFormat.CODEC));
      List<ConsumerRecord<byte[], byte[]>> gop = firstGop(records);
      assertEquals(GOP, gop.size());
      assertEquals(
          GOP, decodeWithFfmpeg(gop, "h264"), "every access unit of the first GOP decodes");
      List<Integer> types =
          AnnexB.split(records.get(0).value()).stream().map(H264NalType::type).toList();
      assertTrue(
          types.indexOf(H264NalType.SPS) < types.indexOf(H264NalType.IDR_SLICE)
              && types.contains(H264NalType.PPS),
          "the keyframe starts with its parameter sets: " + types);
      // the metrics count what went to Kafka
      String scrape = f.metrics.scrape();
      assertTrue(
          meter(scrape, "camflow_ingest_access_units_total", "tcpcam/main") >= records.size(),
          scrape);
      assertTrue(meter(scrape, "camflow_ingest_bytes_total", "tcpcam/main") > 10_000, scrape);
      assertEquals(
          1.0,
          meter(scrape, "camflow_ingest_sessions_total", "tcpcam/main"),
          "one connection so far");
      assertTrue(
          scrape.contains("kafka_producer_record_send_total"), "the Kafka producer is metered");
    }
  }

  /** The value of a {@code camflow_*} meter of one stream in a Prometheus scrape. */
  static double meter(String scrape, String name, String stream) {
    return scrape
        .lines()
        .filter(l -> l.startsWith(name + "{") && l.contains("stream=\"" + stream + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(-1);
  }

  @Test
  void h264OverUdpArrives() throws Exception {
    try (TestCamera cam =
            camera(TestCamera.Codec.H264, 640, 360).transport(TestCamera.Transport.UDP).start();
        IngestFixture f = fixture("udpcam", cam, "udp", "always")) {
      List<ConsumerRecord<byte[], byte[]>> records =
          readRecords(f, "camflow.media.udpcam.main", 3 * GOP);
      assertOrderedStreamWithGop(records, GOP);
      assertEquals(GOP, decodeWithFfmpeg(firstGop(records), "h264"));
    }
  }

  @Test
  void basicAuthenticationWorksToo() throws Exception {
    try (TestCamera cam =
            camera(TestCamera.Codec.H264, 320, 240).auth(TestCamera.Auth.BASIC).start();
        IngestFixture f = fixture("basiccam", cam, "tcp", "always")) {
      assertOrderedStreamWithGop(readRecords(f, "camflow.media.basiccam.main", 3 * GOP), GOP);
    }
  }

  @Test
  void h265ArrivesAndDecodes() throws Exception {
    try (TestCamera cam = camera(TestCamera.Codec.H265, 640, 360).start();
        IngestFixture f = fixture("hevccam", cam, "tcp", "always")) {
      List<ConsumerRecord<byte[], byte[]>> records =
          readRecords(f, "camflow.media.hevccam.main", 3 * GOP);
      assertOrderedStreamWithGop(records, GOP);
      assertEquals("h265", header(records.get(0), MediaRecordFormat.CODEC));
      assertEquals(GOP, decodeWithFfmpeg(firstGop(records), "hevc"));
    }
  }

  @Test
  void picturesCodedAsSeveralSlicesBecomeOneRecordEach() throws Exception {
    try (TestCamera cam = camera(TestCamera.Codec.H264, 640, 360).slices(4).start();
        IngestFixture f = fixture("slicecam", cam, "tcp", "always")) {
      List<ConsumerRecord<byte[], byte[]>> records =
          readRecords(f, "camflow.media.slicecam.main", 4 * GOP);
      assertOrderedStreamWithGop(records, GOP);
      long slices =
          AnnexB.split(records.get(GOP + 1).value()).stream()
              .filter(n -> H264NalType.isVcl(H264NalType.type(n)))
              .count();
      assertEquals(4, slices, "a record holds every slice of its picture");
      assertEquals(GOP, decodeWithFfmpeg(firstGop(records), "h264"));
    }
  }

  @Test
  void parameterSetsOnlyInTheSdpAreAddedToEveryKeyframe() throws Exception {
    try (TestCamera cam =
            camera(TestCamera.Codec.H264, 640, 360)
                .parameterSets(TestCamera.ParameterSets.SDP_ONLY)
                .start();
        IngestFixture f = fixture("sdpcam", cam, "tcp", "always")) {
      List<ConsumerRecord<byte[], byte[]>> records =
          readRecords(f, "camflow.media.sdpcam.main", 3 * GOP);
      assertOrderedStreamWithGop(records, GOP);
      for (ConsumerRecord<byte[], byte[]> r : records) {
        if ("true".equals(header(r, MediaRecordFormat.KEYFRAME))) {
          List<Integer> types = AnnexB.split(r.value()).stream().map(H264NalType::type).toList();
          assertTrue(
              types.contains(H264NalType.SPS) && types.contains(H264NalType.PPS),
              "keyframe NALs " + types);
        }
      }
      // any GOP decodes on its own, as a viewer joining there would
      List<ConsumerRecord<byte[], byte[]>> secondGop =
          firstGop(records.subList(GOP, records.size()));
      assertEquals(GOP, decodeWithFfmpeg(secondGop, "h264"));
    }
  }

  @Test
  void aCameraWhoseRtpClockWrapsKeepsContinuousTimestamps() throws Exception {
    // the camera's 32-bit RTP clock starts one second before it wraps
    try (TestCamera cam =
            camera(TestCamera.Codec.H264, 320, 240)
                .rtpTimestampOffset((1L << 32) - 90_000)
                .start();
        IngestFixture f = fixture("wrapcam", cam, "tcp", "always")) {
      List<ConsumerRecord<byte[], byte[]>> records =
          readRecords(f, "camflow.media.wrapcam.main", 75);
      assertOrderedStreamWithGop(records, GOP);
      long first = Long.parseLong(header(records.get(0), MediaRecordFormat.PTS));
      for (int i = 1; i < records.size(); i++) {
        long step =
            Long.parseLong(header(records.get(i), MediaRecordFormat.PTS))
                - Long.parseLong(header(records.get(i - 1), MediaRecordFormat.PTS));
        assertEquals(3600, step, "one frame of 90 kHz per record across the wrap, at record " + i);
      }
      long last = Long.parseLong(header(records.get(records.size() - 1), MediaRecordFormat.PTS));
      assertTrue(last - first >= 2 * 90_000, "the records span the wrap");
      assertEquals(records.size(), decodeWithFfmpeg(records, "h264"));
    }
  }

  /**
   * A camera that sends B-frames (x264 main profile with a B-pyramid, x265 without zerolatency):
   * RTP gives presentation times only, which go back and forth; the records must leave ingest in
   * decoding order with decode times that only go forward, never after their presentation time, one
   * frame interval apart — and every picture of a GOP still decodes.
   */
  @ParameterizedTest
  @CsvSource({"H264, h264, bframes264", "H265, hevc, bframes265"})
  void bFrameCamerasGetDecodeTimesThatOnlyGoForward(
      TestCamera.Codec codec, String format, String camera) throws Exception {
    try (TestCamera cam = camera(codec, 640, 360).bframes(2).start();
        IngestFixture f = fixture(camera, cam, "tcp", "always")) {
      List<ConsumerRecord<byte[], byte[]>> records =
          readRecords(f, "camflow.media." + camera + ".main", 5 * GOP);
      assertEquals(
          "true",
          header(records.get(0), MediaRecordFormat.KEYFRAME),
          "the session starts on a keyframe");
      long lastDts = Long.MIN_VALUE;
      long lastPts = Long.MIN_VALUE;
      int ptsWentBack = 0;
      for (int i = 0; i < records.size(); i++) {
        ConsumerRecord<byte[], byte[]> r = records.get(i);
        long pts = Long.parseLong(header(r, MediaRecordFormat.PTS));
        long dts = Long.parseLong(header(r, MediaRecordFormat.DTS));
        assertTrue(dts <= pts, "dts " + dts + " <= pts " + pts + " at record " + i);
        if (i > 0) {
          assertTrue(
              dts > lastDts, "dts increases at record " + i + ": " + lastDts + " then " + dts);
          if (i > 2) {
            assertEquals(3600, dts - lastDts, "decode times a frame apart at record " + i);
          }
        }
        ptsWentBack += pts < lastPts ? 1 : 0;
        lastDts = dts;
        lastPts = Math.max(lastPts, pts);
      }
      assertTrue(
          ptsWentBack >= 2 * GOP / 3,
          "the camera really sends B-frames: " + ptsWentBack + " went back");
      assertEquals(
          GOP,
          decodeWithFfmpeg(firstGop(records), format),
          "every picture of the first GOP decodes");
    }
  }

  @ParameterizedTest
  @CsvSource({"AAC, aac", "PCMU, pcmu"})
  void audioIsPassedThroughBesideTheVideo(TestCamera.Audio audio, String codecId) throws Exception {
    String camera = "audio" + codecId;
    try (TestCamera cam = camera(TestCamera.Codec.H264, 320, 240).audio(audio).start();
        IngestFixture f =
            new IngestFixture(
                cameraYaml(camera, cam, "tcp", "always"), Map.of("CAM_PASSWORD", PASSWORD))) {
      List<ConsumerRecord<byte[], byte[]>> records =
          f.read(
              "camflow.media." + camera + ".main",
              Duration.ofSeconds(20),
              l ->
                  l.stream().filter(r -> codecId.equals(header(r, MediaRecordFormat.CODEC))).count()
                      >= 20);
      List<ConsumerRecord<byte[], byte[]>> audioRecords =
          records.stream().filter(r -> codecId.equals(header(r, MediaRecordFormat.CODEC))).toList();
      assertTrue(audioRecords.size() >= 20, "audio records: " + audioRecords.size());
      String videoTrack = header(records.get(0), MediaRecordFormat.TRACK);
      long lastPts = Long.MIN_VALUE;
      for (ConsumerRecord<byte[], byte[]> r : audioRecords) {
        assertNotEquals(videoTrack, header(r, MediaRecordFormat.TRACK), "audio has its own track");
        assertEquals("false", header(r, MediaRecordFormat.KEYFRAME));
        assertTrue(r.value().length > 0);
        long pts = Long.parseLong(header(r, MediaRecordFormat.PTS));
        assertTrue(pts > lastPts, "audio pts increase");
        lastPts = pts;
      }
      if (audio == TestCamera.Audio.AAC) {
        assertNotNull(
            audioRecords.get(0).headers().lastHeader(MediaRecordFormat.CONFIG),
            "AAC records carry the AudioSpecificConfig");
      }
      assertEquals(
          "true",
          header(records.get(0), MediaRecordFormat.KEYFRAME),
          "the session starts on a keyframe");
    }
  }

  @Test
  void statusReportsTheStreamingCameraWithoutItsAddress() throws Exception {
    try (TestCamera cam = camera(TestCamera.Codec.H264, 640, 360).start();
        IngestFixture f = fixture("statuscam", cam, "tcp", "always")) {
      readRecords(f, "camflow.media.statuscam.main", GOP);
      IngestFixture.await(
          () -> {
            String s = f.statuses().get("statuscam/main");
            return s != null && s.contains("\"width\":640");
          },
          Duration.ofSeconds(10),
          () -> String.valueOf(f.statuses().get("statuscam/main")));
      String status = f.statuses().get("statuscam/main");
      assertTrue(status.contains("\"state\":\"streaming\""), status);
      assertTrue(
          status.contains("\"codec\":\"h264\"") && status.contains("\"height\":360"), status);
      assertFalse(status.contains("127.0.0.1") || status.contains(PASSWORD), status);
    }
  }
}
