package io.camflow.ingest.status;

import io.camflow.registry.StatusRecordFormat;
import io.camflow.registry.StreamStatus;
import java.nio.charset.StandardCharsets;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each status change to a Camel endpoint (by default {@code direct:camflow-status}, whose
 * route in routes/ingest.camel.yaml writes it to {@code camflow.status}) as JSON ({@link
 * StatusRecordFormat}) keyed by stream. Sends asynchronously: a stream's pulling thread never waits
 * for Kafka.
 */
public final class RouteStatusPublisher implements StatusListener {

  private static final Logger LOG = LoggerFactory.getLogger(RouteStatusPublisher.class);
  static final String KAFKA_KEY = "kafka.KEY";

  private final ProducerTemplate template;
  private final String endpointUri;

  public RouteStatusPublisher(ProducerTemplate template, String endpointUri) {
    this.template = template;
    this.endpointUri = endpointUri;
  }

  @Override
  public void onStatus(StreamStatus status) {
    String body = new String(StatusRecordFormat.encode(status), StandardCharsets.UTF_8);
    template
        .asyncSend(
            endpointUri,
            exchange -> {
              exchange.getMessage().setBody(body);
              exchange.getMessage().setHeader(KAFKA_KEY, status.stream());
            })
        .thenAccept(
            exchange -> {
              if (exchange.getException() != null) {
                LOG.warn(
                    "status of {} not published: {}",
                    status.stream(),
                    exchange.getException().getMessage());
              }
            });
  }
}
