package io.camflow.ingest.it;

import static io.camflow.ingest.it.IngestFixture.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.record.MediaRecordFormat;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.Route;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Editing routes/ingest.camel.yaml while ingest runs (real broker, the built-in synthetic camera):
 * an edit to one route leaves the camera streams running, an edit to the stream template restarts
 * them with the new route, and a broken file changes nothing.
 */
class RouteReloadIT {

  private static final String CONFIG =
      """
      cameras:
        reloadcam:
          streams:
            main:
              url: synthetic:testsrc?size=320x240&rate=25&gop=10&bitrate=300k
              mode: always
      """;

  private static String lastSession(List<ConsumerRecord<byte[], byte[]>> records) {
    return header(records.get(records.size() - 1), MediaRecordFormat.SESSION);
  }

  @Test
  void onlyWhatChangedIsReplaced() throws Exception {
    try (IngestFixture f = new IngestFixture(CONFIG, Map.of())) {
      String topic = "camflow.media.reloadcam.main";
      List<ConsumerRecord<byte[], byte[]>> first =
          f.read(topic, Duration.ofSeconds(15), l -> l.size() >= 10);
      String session = lastSession(first);

      // 1. edit the status route: the stream keeps its connection
      String original = Files.readString(f.routesFile);
      String statusLine =
          "              clientId: \"camflow-ingest-status-{{camflow.instance.id}}\"\n";
      String statusEdited =
          original.replace(statusLine, statusLine + "              lingerMs: 1\n");
      assertNotEquals(original, statusEdited, "the edit applies to this routes file");
      Route statusRoute = f.context.getRoute("camflow-status");
      Route mediaRoute = f.context.getRoute("camflow-media");
      Route streamRoute = f.context.getRoute("stream:reloadcam/main");
      Files.writeString(f.routesFile, statusEdited);
      IngestFixture.await(
          () ->
              f.context.getRoute("camflow-status") != statusRoute
                  && f.context.getRoute("camflow-status") != null,
          Duration.ofSeconds(10),
          () -> "the status route is replaced");
      assertSame(
          mediaRoute, f.context.getRoute("camflow-media"), "unchanged routes stay as they are");
      assertSame(streamRoute, f.context.getRoute("stream:reloadcam/main"));
      int before = f.read(topic, Duration.ofMillis(500), l -> false).size();
      List<ConsumerRecord<byte[], byte[]>> afterStatusEdit =
          f.read(topic, Duration.ofSeconds(10), l -> l.size() >= before + 25);
      assertEquals(
          session, lastSession(afterStatusEdit), "editing another route does not drop the stream");
      assertTrue(
          afterStatusEdit.subList(first.size(), afterStatusEdit.size()).stream()
              .allMatch(r -> session.equals(header(r, MediaRecordFormat.SESSION))),
          "no reconnect in between");

      // 2. edit the stream template: its streams restart with the new route
      String toMedia = "          - to: direct:camflow-media\n";
      String templateEdited =
          statusEdited.replace(
              toMedia,
              "          - setHeader:\n              name: camflow.edited\n              constant: \"v2\"\n"
                  + toMedia);
      assertNotEquals(statusEdited, templateEdited);
      Files.writeString(f.routesFile, templateEdited);
      List<ConsumerRecord<byte[], byte[]>> afterTemplateEdit =
          f.read(
              topic,
              Duration.ofSeconds(15),
              l -> !l.isEmpty() && "v2".equals(header(l.get(l.size() - 1), "camflow.edited")));
      ConsumerRecord<byte[], byte[]> edited = afterTemplateEdit.get(afterTemplateEdit.size() - 1);
      assertEquals(
          "v2", header(edited, "camflow.edited"), "records now come through the edited template");
      String newSession = header(edited, MediaRecordFormat.SESSION);
      assertNotEquals(session, newSession, "the stream restarted with its new route");

      // 3. a broken file is refused and the running routes stay
      Files.writeString(f.routesFile, templateEdited + "\n- route: [this is not: a route\n");
      Thread.sleep(1_500);
      int count = f.read(topic, Duration.ofMillis(500), l -> false).size();
      List<ConsumerRecord<byte[], byte[]>> afterBroken =
          f.read(topic, Duration.ofSeconds(10), l -> l.size() >= count + 25);
      assertEquals(
          newSession, lastSession(afterBroken), "a broken routes file leaves the streams running");
      assertFalse(f.context.getRoutes().isEmpty());
    }
  }
}
