package io.camflow.e2e.bench;

import io.camflow.media.record.CmafRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Benchmark (not a test): part availability delay on a running stack ({@code ./camflow up}). An
 * LL-HLS client follows the live edge with blocking playlist reloads ({@code _HLS_msn}/ {@code
 * _HLS_part} for the next part, as hls.js does); for every part it sees listed, the delay is the
 * time the playlist arrived minus the capture time of the part's last frame (the Kafka timestamp of
 * the part's last chunk record) minus one frame interval: what remains is the time the pipeline
 * took beyond the part's own duration. Includes the encoder of the synthetic camera.
 *
 * <p>Run with {@code ./camflow bench part-delay} while {@code ./camflow up --demo} runs (its
 * password grant; options: {@code -Dstream=demo/main -Dseconds=60 -Dhttp=http://localhost:8080
 * -Dkafka=localhost:9092 -Dkeycloak=http://localhost:8180 -Duser=viewer -Dpassword=viewer}: the
 * playlist requests carry the user's token, as a viewer's do).
 */
public final class PartDelayBenchmark {

  private static final Pattern PART =
      Pattern.compile("#EXT-X-PART:DURATION=[0-9.]+,URI=\"part-(\\d+)\\.(\\d+)\\.m4s[?\"]");

  public static void main(String[] args) throws Exception {
    String stream = System.getProperty("stream", "demo/main");
    int seconds = Integer.getInteger("seconds", 60);
    String http = System.getProperty("http", "http://localhost:8080");
    String kafka = System.getProperty("kafka", "localhost:9092");
    String topic = "camflow.cmaf." + stream.replace('/', '.');
    Map<String, Long> lastChunkCapture = new ConcurrentHashMap<>();
    Thread reader = new Thread(() -> follow(kafka, topic, lastChunkCapture), "cmaf-reader");
    reader.setDaemon(true);
    reader.start();

    HttpClient client = HttpClient.newHttpClient();
    token =
        accessToken(
            client,
            System.getProperty("keycloak", "http://localhost:8180"),
            System.getProperty("user", "viewer"),
            System.getProperty("password", "viewer"));
    String base = http + "/live/" + stream + "/index.m3u8";
    Map<String, Long> listedAt = new HashMap<>();
    String text = get(client, base);
    java.util.Set<String> alreadyListed = new java.util.HashSet<>();
    Matcher first = PART.matcher(text);
    while (first.find()) {
      alreadyListed.add(first.group(1) + "." + first.group(2)); // old when we came: not measured
    }
    long end = System.currentTimeMillis() + seconds * 1000L;
    while (System.currentTimeMillis() < end) {
      Matcher m = PART.matcher(text);
      long msn = -1;
      int part = -1;
      while (m.find()) {
        msn = Long.parseLong(m.group(1));
        part = Integer.parseInt(m.group(2));
      }
      // ask for the part after the last listed one (next part of the same segment, as hls.js does;
      // the server answers with part 0 of the next segment when this one has ended)
      text = get(client, base + "?_HLS_msn=" + msn + "&_HLS_part=" + (part + 1));
      long now = System.currentTimeMillis();
      Matcher n = PART.matcher(text);
      while (n.find()) {
        String key = n.group(1) + "." + n.group(2);
        if (!alreadyListed.contains(key)) {
          listedAt.putIfAbsent(key, now);
        }
      }
    }
    Thread.sleep(1_000);
    List<Long> delays = new ArrayList<>();
    long frameMs = 40;
    for (Map.Entry<String, Long> e : listedAt.entrySet()) {
      Long capture = lastChunkCapture.get(e.getKey());
      if (capture != null) {
        delays.add(e.getValue() - capture - frameMs);
      }
    }
    Collections.sort(delays);
    if (delays.size() < 20) {
      System.out.println("too few parts measured: " + delays.size());
      return;
    }
    List<Long> d = delays;
    System.out.printf(Locale.ROOT, "stream %s, %d parts over %d s%n", stream, d.size(), seconds);
    System.out.printf(
        Locale.ROOT,
        "part availability delay beyond the part's duration: p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n",
        pct(d, 50),
        pct(d, 90),
        pct(d, 99),
        d.get(d.size() - 1));
  }

  private static long pct(List<Long> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static String token;

  /** The password grant of the local realm (scripts and tests only). */
  private static String accessToken(
      HttpClient client, String keycloak, String user, String password) throws Exception {
    String form =
        "grant_type=password&client_id=camflow-web&username="
            + java.net.URLEncoder.encode(user, StandardCharsets.UTF_8)
            + "&password="
            + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8);
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(
                    URI.create(keycloak + "/realms/camflow/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .timeout(Duration.ofSeconds(15))
                .build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(r.body());
    if (r.statusCode() != 200 || !m.find()) {
      throw new IllegalStateException(
          "no token for " + user + " from " + keycloak + ": HTTP " + r.statusCode());
    }
    return m.group(1);
  }

  private static String get(HttpClient client, String url) throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  /**
   * Remembers the capture time of the last chunk of every part (the part's end record follows it).
   */
  private static void follow(String kafka, String topic, Map<String, Long> lastChunkCapture) {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka);
    p.put("max.partition.fetch.bytes", "16778240");
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToEnd(List.of(tp));
      Map<String, Long> lastChunk = new HashMap<>();
      while (true) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
          Map<String, byte[]> h = new HashMap<>();
          for (Header header : r.headers()) {
            h.put(header.key(), header.value());
          }
          CmafRecord rec = CmafRecord.decode(h, r.value());
          if (rec instanceof CmafRecord.Chunk chunk && chunk.track() == 1) {
            lastChunk.put(chunk.msn() + "." + chunk.part(), r.timestamp());
          } else if (rec instanceof CmafRecord.PartEnd end) {
            Long t = lastChunk.remove(end.msn() + "." + end.part());
            if (t != null) {
              lastChunkCapture.put(end.msn() + "." + end.part(), t);
            }
          }
        }
      }
    }
  }
}
