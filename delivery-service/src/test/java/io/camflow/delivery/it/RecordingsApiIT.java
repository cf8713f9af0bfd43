package io.camflow.delivery.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.delivery.DeliveryService;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.http.CorsPolicy;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.kafka.LocalKafka;
import io.camflow.media.record.CmafRecord;
import io.camflow.media.record.IndexEntry;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/recordings/<camera>/<stream>} over a real index topic: spans split where the
 * camera was away or reconnected, per-hour figures, the oldest instant and the retention, and the
 * refusals of bad ranges. The index holds what the packager writes (docs/record-format.md,
 * "Index"): here, a recording of 09:00:00–09:01:00 and 09:01:30–09:02:00 with a reconnect at
 * 09:01:30.
 */
class RecordingsApiIT {

  static final LocalKafka KAFKA = LocalKafka.shared();
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Instant T0 = Instant.parse("2026-11-30T09:00:00Z");
  static DeliveryService service;
  static CamelContext ctx;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", KAFKA.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      admin
          .createTopics(
              java.util.List.of(
                  new NewTopic("camflow.index.rec.main", 1, (short) 1)
                      .configs(
                          Map.of("retention.ms", Long.toString(Duration.ofDays(3650).toMillis()))),
                  // the recording's retention is its media's (the index keeps a little less)
                  new NewTopic("camflow.cmaf.rec.main", 1, (short) 1)
                      .configs(
                          Map.of("retention.ms", Long.toString(Duration.ofDays(3650).toMillis())))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    p.put("acks", "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      long msn = 0;
      for (int i = 0; i < 30; i++, msn++) { // 09:00:00 - 09:01:00, session a
        send(producer, entry("a", msn, T0.plusSeconds(2L * i), msn == 0));
      }
      for (int i = 0; i < 15; i++, msn++) { // 09:01:30 - 09:02:00, session b
        send(producer, entry("b", msn, T0.plusSeconds(90 + 2L * i), i == 0));
      }
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

  static IndexEntry entry(String session, long msn, Instant start, boolean discontinuity) {
    return IndexEntry.of(
        new CmafRecord.SegmentEnd(session, msn * 50 + 49, 0, msn, 2_000_000, 6, discontinuity),
        start.toEpochMilli(),
        null);
  }

  static void send(KafkaProducer<byte[], byte[]> producer, IndexEntry e) throws Exception {
    ProducerRecord<byte[], byte[]> r =
        new ProducerRecord<>("camflow.index.rec.main", 0, e.startMillis(), null, e.payload());
    e.headers().forEach((k, v) -> r.headers().add(k, v));
    producer.send(r).get();
  }

  @AfterAll
  static void stop() throws Exception {
    if (ctx != null) {
      ctx.stop();
    }
    if (service != null) {
      service.close();
    }
  }

  static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void spansSplitWhereTheCameraWasAwayAndHoursAddUp() throws Exception {
    HttpResponse<String> r =
        get("/api/v1/recordings/rec/main?from=2026-11-30T08:30:00Z&to=2026-11-30T10:00:00Z");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    JsonNode j = JSON.readTree(r.body());
    assertEquals("2026-11-30T09:00:00Z", j.get("oldest").asText());
    assertEquals("2026-11-30T09:02:00Z", j.get("newest").asText());
    assertEquals("3650d", j.get("retention").asText());
    JsonNode spans = j.get("spans");
    assertEquals(2, spans.size(), r.body());
    assertEquals("2026-11-30T09:00:00Z", spans.get(0).get("start").asText());
    assertEquals("2026-11-30T09:01:00Z", spans.get(0).get("end").asText());
    assertEquals(30, spans.get(0).get("segments").asInt());
    assertEquals(60.0, spans.get(0).get("seconds").asDouble());
    assertEquals("2026-11-30T09:01:30Z", spans.get(1).get("start").asText());
    assertEquals("2026-11-30T09:02:00Z", spans.get(1).get("end").asText());
    JsonNode hours = j.get("hours");
    assertEquals(2, hours.size(), r.body()); // 08:00 (from 08:30) and 09:00
    assertEquals(0.0, hours.get(0).get("recordedSeconds").asDouble());
    assertEquals("2026-11-30T09:00:00Z", hours.get(1).get("start").asText());
    assertEquals(90.0, hours.get(1).get("recordedSeconds").asDouble());
  }

  @Test
  void aRangeInsideASegmentFindsThatSegmentWithoutReadingTheRest() throws Exception {
    HttpResponse<String> r =
        get("/api/v1/recordings/rec/main?from=2026-11-30T09:00:31Z&to=2026-11-30T09:00:32Z");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode spans = JSON.readTree(r.body()).get("spans");
    assertEquals(1, spans.size(), r.body());
    assertEquals("2026-11-30T09:00:30Z", spans.get(0).get("start").asText());
    assertEquals(1, spans.get(0).get("segments").asInt());
    // in the gap: nothing, and after the end: nothing
    assertEquals(
        0,
        JSON.readTree(
                get("/api/v1/recordings/rec/main?from=2026-11-30T09:01:05Z&to=2026-11-30T09:01:25Z")
                    .body())
            .get("spans")
            .size());
    assertEquals(
        0,
        JSON.readTree(get("/api/v1/recordings/rec/main?from=2026-11-30T11:00:00Z").body())
            .get("spans")
            .size());
  }

  /**
   * One instant across several streams: where each one's recording holds it, or what comes next.
   */
  @Test
  void anInstantResolvesToASegmentOfEveryStreamThatRecordedIt() throws Exception {
    HttpResponse<String> r =
        get("/api/v1/recordings?at=2026-11-30T09:00:31.500Z&streams=rec/main,norec/main");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode j = JSON.readTree(r.body());
    assertEquals("2026-11-30T09:00:31.500Z", j.get("at").asText());
    JsonNode rec = j.get("streams").get(0);
    assertEquals("rec", rec.get("camera").asText());
    assertTrue(rec.get("recorded").asBoolean(), r.body());
    assertEquals(15, rec.get("segment").get("msn").asInt(), r.body());
    assertEquals("2026-11-30T09:00:30Z", rec.get("segment").get("start").asText());
    assertEquals(1.5, rec.get("offset").asDouble(), r.body());
    assertEquals(
        "/dvr/rec/main/index.m3u8?start=2026-11-30T09:00:31.500Z", rec.get("playlist").asText());
    JsonNode none = j.get("streams").get(1);
    assertEquals("norec", none.get("camera").asText());
    assertEquals(false, none.get("recorded").asBoolean(), r.body());
    assertTrue(none.get("next") == null, "nothing recorded: no next instant: " + r.body());

    JsonNode gap =
        JSON.readTree(get("/api/v1/recordings?at=2026-11-30T09:01:10Z&streams=rec/main").body())
            .get("streams")
            .get(0);
    assertEquals(false, gap.get("recorded").asBoolean(), gap.toString());
    assertEquals("2026-11-30T09:01:30Z", gap.get("next").asText(), "where the recording resumes");
    JsonNode before =
        JSON.readTree(get("/api/v1/recordings?at=2026-11-30T08:00:00Z&streams=rec/main").body())
            .get("streams")
            .get(0);
    assertEquals("2026-11-30T09:00:00Z", before.get("next").asText(), before.toString());
    JsonNode after =
        JSON.readTree(get("/api/v1/recordings?at=2026-11-30T11:00:00Z&streams=rec/main").body())
            .get("streams")
            .get(0);
    assertEquals(false, after.get("recorded").asBoolean());
    assertTrue(after.get("next") == null, after.toString());

    assertEquals(400, get("/api/v1/recordings?streams=rec/main").statusCode(), "at is needed");
    HttpResponse<String> bad = get("/api/v1/recordings?at=2026-11-30T09:00:00Z&streams=rec");
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("'rec' is not <camera>/<stream>"), bad.body());
    StringBuilder seventeen = new StringBuilder();
    for (int i = 0; i < 17; i++) {
      seventeen.append(i == 0 ? "" : ",").append("c").append(i).append("/main");
    }
    HttpResponse<String> tooMany =
        get("/api/v1/recordings?at=2026-11-30T09:00:00Z&streams=" + seventeen);
    assertEquals(400, tooMany.statusCode());
    assertTrue(tooMany.body().contains("at most 16"), tooMany.body());
  }

  @Test
  void badRangesAreRefusedNamingWhatIsWrong() throws Exception {
    HttpResponse<String> notATime = get("/api/v1/recordings/rec/main?from=yesterday");
    assertEquals(400, notATime.statusCode());
    assertTrue(notATime.body().contains("from: expected an ISO-8601 instant"), notATime.body());
    HttpResponse<String> backwards =
        get("/api/v1/recordings/rec/main?from=2026-11-30T10:00:00Z&to=2026-11-30T09:00:00Z");
    assertEquals(400, backwards.statusCode());
    assertTrue(backwards.body().contains("to must be after from"), backwards.body());
    HttpResponse<String> tooLong =
        get("/api/v1/recordings/rec/main?from=2026-09-01T00:00:00Z&to=2026-11-30T00:00:00Z");
    assertEquals(400, tooLong.statusCode());
    assertTrue(tooLong.body().contains("at most 31 days"), tooLong.body());
    HttpResponse<String> twice =
        get("/api/v1/recordings/rec/main?to=2026-11-30T10:00:00Z&to=2026-11-30T11:00:00Z");
    assertEquals(400, twice.statusCode());
  }

  @Test
  void aStreamWithoutRecordingIsNamedAndOtherShapesAreNotFound() throws Exception {
    HttpResponse<String> none = get("/api/v1/recordings/norec/main");
    assertEquals(404, none.statusCode());
    assertTrue(none.body().contains("norec/main has no recording"), none.body());
    assertEquals(404, get("/api/v1/recordings/rec").statusCode());
    assertEquals(404, get("/api/v1/recordings/rec/main/extra").statusCode());
    assertEquals(404, get("/api/v1/recordings/Bad!/main").statusCode());
    HttpResponse<String> post =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/v1/recordings/rec/main"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
  }
}
