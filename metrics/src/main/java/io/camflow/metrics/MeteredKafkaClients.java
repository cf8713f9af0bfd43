package io.camflow.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.Properties;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.camel.component.kafka.KafkaClientFactory;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The kafka component's client factory, with every producer and consumer it creates bound to the
 * registry (Micrometer's {@link KafkaClientMetrics}: {@code kafka_producer_*}, {@code
 * kafka_consumer_*}, including {@code kafka_consumer_fetch_manager_records_lag_max}). The meters go
 * when the client closes.
 */
final class MeteredKafkaClients implements KafkaClientFactory {

  private final KafkaClientFactory delegate;
  private final MeterRegistry registry;

  MeteredKafkaClients(KafkaClientFactory delegate, MeterRegistry registry) {
    this.delegate = delegate == null ? new DefaultKafkaClientFactory() : delegate;
    this.registry = registry;
  }

  @Override
  public Producer getProducer(Properties props) {
    Producer<?, ?> producer = delegate.getProducer(props);
    new KafkaClientMetrics(producer).bindTo(registry);
    return producer;
  }

  @Override
  public Consumer getConsumer(Properties props) {
    Consumer<?, ?> consumer = delegate.getConsumer(props);
    new KafkaClientMetrics(consumer).bindTo(registry);
    return consumer;
  }

  @Override
  public String getBrokers(KafkaConfiguration configuration) {
    return delegate.getBrokers(configuration);
  }
}
