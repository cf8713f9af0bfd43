package io.camflow.e2e;

import static io.camflow.e2e.CamelServices.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.record.CmafRecord;
import io.camflow.media.record.MediaRecordFormat;
import io.camflow.testsupport.MseSocket;
import io.camflow.testsupport.RecordingViewer;
import io.camflow.testsupport.TestCamera;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Kafka broker goes away for 10 s while a camera in mode {@code always} (DVR) streams through
 * ingest, packager and delivery, then comes back on the same data: no service is restarted, no
 * access unit the camera sent is missing from the media topic (ingest's producer buffered them:
 * docs/operations.md, "Kafka outages"), the CMAF topic goes on without a gap or a duplicate, and
 * delivery serves new segments to HLS and new fragments to an MSE viewer that stayed connected, and
 * an MSE viewer of the recording goes on to segments recorded after the restart on the same socket.
 * Its own broker (not the shared one other tests use), on a fresh directory and free ports.
 */
class KafkaRestartE2EIT {

  static final int FPS = 25;
  static final Duration OUTAGE = Duration.ofSeconds(10);
  private RestartableKafka kafka;
  private LivePipeline pipeline;
  private TestCamera camera;

  @Test
  void aTenSecondBrokerOutageLosesNothingAndEveryServiceRecoversByItself() throws Exception {
    kafka = RestartableKafka.start();
    camera =
        TestCamera.builder()
            .codec(TestCamera.Codec.H264)
            .size(320, 240)
            .fps(FPS)
            .gop(FPS)
            .bitrateKbps(300)
            .start();
    pipeline =
        LivePipeline.named("outage")
            .kafka(kafka.bootstrapServers())
            .cameras(
                """
                cameras:
                  outage:
                    dvr:
                      retention: 1h
                    streams:
                      main:
                        url: %s
                        mode: always
                """
                    .formatted(camera.url()))
            .start();
    int port = pipeline.port();

    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + port + "/live/outage/main/";
    await(() -> lastMsn(http, base) >= 2, Duration.ofSeconds(60), "HLS segments before the outage");
    FragmentCounter mse = new FragmentCounter();
    mse.connect(http, URI.create("ws://127.0.0.1:" + port + "/live/outage/main/mse"), null)
        .get(10, TimeUnit.SECONDS);
    mse.play("avc1.64001f");
    await(
        () -> mse.fragments.get() > FPS, Duration.ofSeconds(20), "MSE fragments before the outage");

    // and one playing the recording from a few seconds back, asking for all there is (a position
    // far ahead): it reaches the recording's edge and keeps asking through the outage
    RecordingViewer recorded =
        RecordingViewer.open(
            http, URI.create("ws://127.0.0.1:" + port + "/live/outage/main/mse"), null);
    recorded.send(
        "{\"type\":\"play\",\"codecs\":[\"avc1.64001f\"],\"at\":\""
            + Instant.now().minusSeconds(4)
            + "\"}");
    recorded.send("{\"type\":\"position\",\"time\":1e9}");
    await(() -> said(recorded, "edge"), Duration.ofSeconds(20), "the recording's edge");

    long msnBefore = lastMsn(http, base);
    long outageStart = System.currentTimeMillis();
    kafka.stop();
    Thread.sleep(OUTAGE.toMillis()); // the camera goes on sending to ingest
    kafka.startAgain();
    long backAt = System.currentTimeMillis();
    long fragmentsAtRestart = mse.fragments.get();
    // 2 s segments: 8 more than before the outage are past it, so they were packaged after the
    // restart
    await(
        () -> lastMsn(http, base) >= msnBefore + 8,
        Duration.ofSeconds(60),
        "HLS segments past the outage (last msn before it: " + msnBefore + ")");
    await(
        () -> mse.fragments.get() >= fragmentsAtRestart + 5 * FPS,
        Duration.ofSeconds(30),
        "the MSE viewer gets fragments again after the restart");
    await(
        () -> segmentStartedAfter(recorded, backAt),
        Duration.ofSeconds(40),
        "the recording's viewer goes on with segments recorded after the restart: "
            + recorded.texts());
    assertTrue(
        segmentStartedAfter(recorded, outageStart - 5_000) && !said(recorded, "refused"),
        "no refusal, one socket throughout: " + recorded.texts());
    long mediaEnd = endOffset(kafka.bootstrapServers(), "camflow.media.outage.main");
    await(
        () -> lastChunkSource(kafka.bootstrapServers()) >= mediaEnd - 1,
        Duration.ofSeconds(30),
        "the packager is live again (media offset " + mediaEnd + ")");

    // media topic: one source session, and every frame of it (25 fps: pts one frame apart
    // throughout)
    List<ConsumerRecord<byte[], byte[]>> media =
        readAll(kafka.bootstrapServers(), "camflow.media.outage.main");
    List<Long> pts = new ArrayList<>();
    String session = null;
    for (ConsumerRecord<byte[], byte[]> r : media) {
      Map<String, byte[]> h = headers(r);
      String s = MediaRecordFormat.session(h);
      if (session == null) {
        session = s;
      }
      assertEquals(session, s, "one source session throughout: ingest did not reconnect");
      pts.add(MediaRecordFormat.decode(h, r.value()).pts());
    }
    long frame = 90_000 / FPS;
    long firstCapture = media.get(0).timestamp();
    long lastCapture = media.get(media.size() - 1).timestamp();
    assertTrue(
        firstCapture < outageStart - 1_000 && lastCapture > backAt + 1_000,
        "the media topic spans the outage: "
            + firstCapture
            + ".."
            + lastCapture
            + " around "
            + outageStart
            + ".."
            + backAt);
    for (int i = 1; i < pts.size(); i++) {
      long step = pts.get(i) - pts.get(i - 1);
      assertTrue(
          Math.abs(step - frame) <= frame / 4,
          "no frame lost or repeated at index " + i + ": step " + step);
    }

    // CMAF topic: every media offset from the first chunk on packaged exactly once
    List<Long> sources = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r :
        readAll(kafka.bootstrapServers(), "camflow.cmaf.outage.main")) {
      if (CmafRecord.decode(headers(r), r.value()) instanceof CmafRecord.Chunk c) {
        sources.add(c.sourceOffset());
      }
    }
    for (int i = 1; i < sources.size(); i++) {
      assertEquals(
          sources.get(i - 1) + 1,
          sources.get(i),
          "CMAF chunk after media offset " + sources.get(i - 1));
    }
  }

  @AfterEach
  void stopEverything() throws Exception {
    if (pipeline != null) {
      pipeline.close();
    }
    if (camera != null) {
      camera.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  private static final Pattern MSN = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)");
  private static final Pattern SEGMENT = Pattern.compile("(?m)^[^#\\s].*$");

  /** The media sequence number of the playlist's last segment, -1 while there is none. */
  private static long lastMsn(HttpClient http, String base) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "index.m3u8"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Matcher m = MSN.matcher(r.body());
      if (r.statusCode() != 200 || !m.find()) {
        return -1;
      }
      long segments = SEGMENT.matcher(r.body()).results().count();
      return Long.parseLong(m.group(1)) + segments - 1;
    } catch (Exception e) {
      return -1;
    }
  }

  private static long endOffset(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      return c.endOffsets(List.of(tp)).get(tp);
    }
  }

  /** The media offset of the last chunk in the CMAF topic, -1 if none. */
  private static long lastChunkSource(String bootstrap) {
    long last = -1;
    for (ConsumerRecord<byte[], byte[]> r : readAll(bootstrap, "camflow.cmaf.outage.main")) {
      if (CmafRecord.decode(headers(r), r.value()) instanceof CmafRecord.Chunk c) {
        last = c.sourceOffset();
      }
    }
    return last;
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("max.partition.fetch.bytes", "16778240");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (c.position(tp) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (r.offset() < end) {
            out.add(r);
          }
        }
      }
    }
    return out;
  }

  private static Map<String, byte[]> headers(ConsumerRecord<byte[], byte[]> r) {
    Map<String, byte[]> h = new HashMap<>();
    for (Header header : r.headers()) {
      h.put(header.key(), header.value());
    }
    return h;
  }

  private static boolean said(RecordingViewer v, String type) {
    return v.texts().stream().anyMatch(t -> type.equals(t.path("type").asText()));
  }

  /** Whether a recorded segment that starts after {@code millis} came. */
  private static boolean segmentStartedAfter(RecordingViewer v, long millis) {
    return v.texts().stream()
        .anyMatch(
            t ->
                "segment".equals(t.path("type").asText())
                    && Instant.parse(t.path("start").asText()).toEpochMilli() > millis);
  }

  /** Counts the binary messages (fMP4 fragments) of an MSE WebSocket. */
  private static final class FragmentCounter extends MseSocket {
    final AtomicLong fragments = new AtomicLong();

    @Override
    protected void binaryPart(ByteBuffer part, boolean last) {
      if (last) {
        fragments.incrementAndGet();
      }
    }
  }
}
