package io.camflow.delivery.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class TopicConsumersTest {

  @Test
  void countsEachConsumerFromItsCreationToItsCloseAndMetersItPerTopic() throws Exception {
    TopicConsumers consumers = new TopicConsumers();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    int[] metered = new int[1];
    consumers.meterWith(
        registry,
        c -> {
          metered[0]++;
          return () -> metered[0]--;
        });
    AutoCloseable first = consumers.of("camflow.cmaf.a.main").apply(null);
    AutoCloseable second = consumers.of("camflow.media.a.main").apply(null);
    assertEquals(1, consumers.count("camflow.cmaf.a.main"));
    assertEquals(1, consumers.count("camflow.media.a.main"));
    assertEquals(2, metered[0], "each consumer's client metrics too");
    assertEquals(
        1.0,
        registry
            .get("camflow_delivery_hub_topic_consumers")
            .tag("topic", "camflow.cmaf.a.main")
            .gauge()
            .value());
    first.close();
    second.close();
    assertEquals(0, consumers.count("camflow.cmaf.a.main"));
    assertEquals(0, metered[0]);
    assertEquals(
        0.0,
        registry
            .get("camflow_delivery_hub_topic_consumers")
            .tag("topic", "camflow.cmaf.a.main")
            .gauge()
            .value(),
        "the series stays, at 0");
    assertEquals(0, consumers.count("camflow.cmaf.never.main"));
  }
}
