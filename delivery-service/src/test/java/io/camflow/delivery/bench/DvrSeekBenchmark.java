package io.camflow.delivery.bench;

import io.camflow.delivery.it.CmafFeed;
import io.camflow.kafka.LocalKafka;
import io.camflow.localprocess.FreePorts;
import io.camflow.media.AccessUnit;
import io.camflow.testsupport.EncodedStream;
import io.camflow.testsupport.RecordingViewer;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seek in a recording: for instants drawn at random over a recorded 1080p25 ~4 Mbit/s stream, the
 * time from asking delivery for a DVR playlist at that instant to having the playlist, the init
 * segment and the whole first segment (what a player needs before its first frame). The recording
 * is filled at full speed with capture times in the past ({@code -Dhours}, default 3), on a broker
 * of its own; delivery reads it as it reads any recording. docs/BENCHMARKS.md.
 */
public final class DvrSeekBenchmark {

  private static final Pattern MAP = Pattern.compile("#EXT-X-MAP:URI=\"([^\"]+)\"");
  private static final Pattern SEGMENT = Pattern.compile("(?m)^(seg-[^\\s]+)$");

  private DvrSeekBenchmark() {}

  public static void main(String[] args) throws Exception {
    int hours = Integer.getInteger("hours", 3);
    int seeks = Integer.getInteger("seeks", 200);
    Path work = Files.createTempDirectory("camflow-dvr-seek");
    List<AccessUnit> clip = EncodedStream.busy1080p();
    long clipBytes = clip.stream().mapToLong(u -> u.data().length).sum();
    System.out.printf(
        Locale.ROOT,
        "clip: %d access units, %.0f kbps, GOP 50, 1920x1080@25; recording %d h%n",
        clip.size(),
        clipBytes * 8.0 / (clip.size() / 25.0) / 1000,
        hours);
    try (LocalKafka kafka =
        LocalKafka.start(work.resolve("kafka"), FreePorts.find(), FreePorts.find())) {
      BenchRecording.createTopics(kafka.bootstrapServers(), "bench", "dvr");
      long start = Instant.now().minus(Duration.ofHours(hours)).toEpochMilli();
      long frames = hours * 3600L * EncodedStream.FPS;
      long t = System.nanoTime();
      try (CmafFeed feed = new CmafFeed(kafka.bootstrapServers(), "camflow.cmaf.bench.dvr", clip)) {
        feed.record(start, frames);
      }
      double fillSeconds = (System.nanoTime() - t) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "filled %d h (%d frames) in %.0f s: %.0fx real time%n",
          hours,
          frames,
          fillSeconds,
          hours * 3600 / fillSeconds);

      try (BenchDelivery delivery = BenchDelivery.start(kafka.bootstrapServers())) {
        HttpClient http = delivery.http;
        int port = delivery.port;
        String base = "http://127.0.0.1:" + port + "/dvr/bench/dvr/";
        Random random = new Random(7);
        List<Double> playlistMs = new ArrayList<>();
        List<Double> firstSegmentMs = new ArrayList<>();
        long segmentBytes = 0;
        long span = hours * 3600_000L - 60_000;
        for (int i = 0; i < seeks + 10; i++) { // the first 10 warm up
          Instant at = Instant.ofEpochMilli(start + 10_000 + (long) (random.nextDouble() * span));
          long t0 = System.nanoTime();
          String playlist =
              new String(
                  delivery.get(base + "index.m3u8?start=" + at + "&end=" + at.plusSeconds(10)),
                  java.nio.charset.StandardCharsets.UTF_8);
          long t1 = System.nanoTime();
          Matcher map = MAP.matcher(playlist);
          Matcher seg = SEGMENT.matcher(playlist);
          if (!map.find() || !seg.find()) {
            throw new IllegalStateException("no init or segment in\n" + playlist);
          }
          delivery.get(base + map.group(1));
          byte[] first;
          try {
            first = delivery.get(base + seg.group(1));
          } catch (IllegalStateException e) {
            diagnose(kafka.bootstrapServers(), seg.group(1));
            throw e;
          }
          long t2 = System.nanoTime();
          if (i >= 10) {
            playlistMs.add((t1 - t0) / 1e6);
            firstSegmentMs.add((t2 - t0) / 1e6);
            segmentBytes += first.length;
          }
        }
        System.out.printf(
            Locale.ROOT,
            "%d seeks: playlist p50 %.1f ms, p95 %.1f ms; playlist + init + first segment"
                + " (%.0f KB on average) p50 %.1f ms, p95 %.1f ms, max %.1f ms%n",
            seeks,
            BenchDelivery.percentile(playlistMs, 50),
            BenchDelivery.percentile(playlistMs, 95),
            segmentBytes / 1024.0 / seeks,
            BenchDelivery.percentile(firstSegmentMs, 50),
            BenchDelivery.percentile(firstSegmentMs, 95),
            BenchDelivery.percentile(firstSegmentMs, 100));
        mseSeeks(http, port, start, span, seeks);
      }
    }
  }

  /**
   * The same over MSE: one socket, a seek per instant, from sending it to having the init segment
   * and the whole first segment of the instant (what MSE needs to show its frame).
   */
  private static void mseSeeks(HttpClient http, int port, long start, long span, int seeks)
      throws Exception {
    RecordingViewer v =
        RecordingViewer.open(
            http, URI.create("ws://127.0.0.1:" + port + "/live/bench/dvr/mse"), null);
    v.send("{\"type\":\"play\",\"codecs\":[\"avc1.640028\"]}");
    Random random = new Random(11);
    List<Double> firstSegmentMs = new ArrayList<>();
    for (int i = 0; i < seeks + 10; i++) {
      Instant at = Instant.ofEpochMilli(start + 10_000 + (long) (random.nextDouble() * span));
      long t0 = System.nanoTime();
      v.send("{\"type\":\"seek\",\"at\":\"" + at + "\"}");
      while (!v.until("recording", 30).path("at").asText().equals(at.toString())) {
        // what an earlier seek sent is still arriving
      }
      v.expect("segment");
      v.binary();
      long t1 = System.nanoTime();
      if (i >= 10) {
        firstSegmentMs.add((t1 - t0) / 1e6);
      }
    }
    v.abort();
    System.out.printf(
        Locale.ROOT,
        "%d MSE seeks on one socket: seek sent to init + first segment received p50 %.1f ms,"
            + " p95 %.1f ms, max %.1f ms%n",
        seeks,
        BenchDelivery.percentile(firstSegmentMs, 50),
        BenchDelivery.percentile(firstSegmentMs, 95),
        BenchDelivery.percentile(firstSegmentMs, 100));
  }

  private static void diagnose(String bootstrap, String uri) {
    long at = Long.parseLong(uri.replaceAll(".*at=(\\d+).*", "$1"));
    long msn = Long.parseLong(uri.replaceAll("seg-(\\d+).*", "$1"));
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("max.partition.fetch.bytes", "1048576");
    try (var c =
        new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(
            p,
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      var tp = new org.apache.kafka.common.TopicPartition("camflow.cmaf.bench.dvr", 0);
      c.assign(List.of(tp));
      var found = c.offsetsForTimes(Map.of(tp, at)).get(tp);
      var early = c.offsetsForTimes(Map.of(tp, at - 60_000)).get(tp);
      System.out.println(
          "msn " + msn + " at " + at + ": offsetsForTimes " + found + "; -60 s " + early);
      c.seek(tp, early.offset());
      long deadline = System.nanoTime() + 20_000_000_000L;
      int shown = 0;
      while (System.nanoTime() < deadline && shown < 12) {
        for (var r : c.poll(Duration.ofMillis(500))) {
          var h = r.headers().lastHeader("camflow.msn");
          long m = h == null ? -2 : Long.parseLong(new String(h.value()));
          var k = r.headers().lastHeader("camflow.kind");
          if (m >= msn - 1 && shown < 12) {
            shown++;
            System.out.println(
                r.offset()
                    + " ts "
                    + r.timestamp()
                    + " "
                    + new String(k.value())
                    + " msn "
                    + m
                    + " bytes "
                    + (r.value() == null ? 0 : r.value().length));
          }
        }
      }
    }
  }
}
