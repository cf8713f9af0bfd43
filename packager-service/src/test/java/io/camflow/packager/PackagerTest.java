package io.camflow.packager;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * The packager bean with records that are no media records: counted and logged once, never thrown.
 */
class PackagerTest {

  static double rejected(MeterRegistry meters, String stream) {
    var c =
        meters
            .find(RejectionMeter.METER)
            .tag("stream", stream)
            .tag("reason", "not-a-media-record")
            .counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void recordsThatAreNoMediaRecordsAreCountedPerStream() throws Exception {
    MeterRegistry meters = new SimpleMeterRegistry();
    try (CamelContext ctx = new DefaultCamelContext();
        Packager packager =
            new Packager(PackagerSettings.DEFAULTS, new KafkaLookup("127.0.0.1:1"))) {
      ctx.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
      for (int i = 0; i < 3; i++) { // a media topic record without camflow headers: not from ingest
        Exchange e = new DefaultExchange(ctx);
        e.getMessage().setHeader("kafka.TOPIC", "camflow.media.cam.main");
        e.getMessage().setHeader("kafka.OFFSET", (long) i);
        e.getMessage().setHeader("kafka.TIMESTAMP", 1_000L);
        e.getMessage().setBody(new byte[] {1, 2, 3});
        assertEquals(List.of(), packager.process(e));
      }
      assertEquals(List.of(), packager.process(new DefaultExchange(ctx)), "no topic at all");
      assertEquals(3, rejected(meters, "cam/main"));
      assertEquals(1, rejected(meters, "unknown"));
      assertEquals(0, meters.get("camflow_packager_audio_transcoding_streams").gauge().value());
    }
  }
}
