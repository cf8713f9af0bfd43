package io.camflow.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;

/**
 * The metrics of one camflow process, in Prometheus' text format: JVM and process figures, every
 * Camel route's exchanges (camel-micrometer's route policy), every Kafka client Camel creates
 * (producer send rates and errors, consumer lag: {@link MeteredKafkaClients}), and what the service
 * counts itself through {@link #registry()} ({@code camflow_*} meters, docs/operations.md). Every
 * meter carries the tag {@code service}.
 */
public final class ServiceMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public ServiceMetrics(String service) {
    registry.config().commonTags(Tags.of("service", service));
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Where the service's own meters go. */
  public MeterRegistry registry() {
    return registry;
  }

  /**
   * Meters the routes and the Kafka clients of {@code ctx}; call before it starts (the Kafka
   * clients are metered as the kafka component creates them).
   */
  public void instrument(CamelContext ctx) {
    ctx.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, registry);
    ctx.addRoutePolicyFactory(new MicrometerRoutePolicyFactory());
    KafkaComponent kafka = ctx.getComponent("kafka", KafkaComponent.class);
    kafka.setKafkaClientFactory(new MeteredKafkaClients(kafka.getKafkaClientFactory(), registry));
  }

  /**
   * The registry {@link #instrument} put into a Camel context, if any: how components and beans of
   * a service find it without being handed it (tests that run a service without metrics get none).
   */
  public static java.util.Optional<MeterRegistry> registryOf(CamelContext ctx) {
    return java.util.Optional.ofNullable(
        ctx.getRegistry()
            .lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class));
  }

  /**
   * Meters a Kafka client made outside Camel (e.g. delivery's per-stream consumers) until the
   * returned handle is closed.
   */
  public AutoCloseable meter(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer) {
    io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics m =
        new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(consumer);
    m.bindTo(registry);
    return m;
  }

  /** The text a Prometheus scrape gets. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
