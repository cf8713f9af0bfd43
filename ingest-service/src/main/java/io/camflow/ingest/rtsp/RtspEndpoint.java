package io.camflow.ingest.rtsp;

import io.camflow.media.StreamKey;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** One camera stream. Consumer only: camflow pulls cameras, it does not push to them. */
public class RtspEndpoint extends DefaultEndpoint {

  private final StreamKey key;
  private final RtspConfiguration configuration;

  RtspEndpoint(
      String uri, RtspComponent component, StreamKey key, RtspConfiguration configuration) {
    super(uri, component);
    this.key = key;
    this.configuration = configuration;
  }

  @Override
  public RtspComponent getComponent() {
    return (RtspComponent) super.getComponent();
  }

  public StreamKey getKey() {
    return key;
  }

  public RtspConfiguration getConfiguration() {
    return configuration;
  }

  @Override
  public Producer createProducer() {
    throw new UnsupportedOperationException(
        "rtsp: endpoints are consumers only (use them in from:)");
  }

  @Override
  public Consumer createConsumer(Processor processor) throws Exception {
    RtspConsumer consumer = new RtspConsumer(this, processor);
    configureConsumer(consumer);
    return consumer;
  }
}
