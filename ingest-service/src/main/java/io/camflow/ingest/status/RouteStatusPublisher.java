package io.camflow.ingest.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each status change to a Camel endpoint (by default {@code direct:camflow-status}, whose
 * route in routes/ingest.camel.yaml writes it to {@code camflow.status}) as JSON keyed by stream.
 * Sends asynchronously: a stream's pulling thread never waits for Kafka.
 */
public final class RouteStatusPublisher implements StatusListener {

  private static final Logger LOG = LoggerFactory.getLogger(RouteStatusPublisher.class);
  static final String KAFKA_KEY = "kafka.KEY";

  private final ProducerTemplate template;
  private final String endpointUri;
  private final ObjectMapper json = new ObjectMapper();

  public RouteStatusPublisher(ProducerTemplate template, String endpointUri) {
    this.template = template;
    this.endpointUri = endpointUri;
  }

  @Override
  public void onStatus(StreamStatus status) {
    String body;
    try {
      body = json.writeValueAsString(status);
    } catch (JsonProcessingException e) {
      LOG.error("cannot serialize the status of {}", status.stream(), e);
      return;
    }
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
