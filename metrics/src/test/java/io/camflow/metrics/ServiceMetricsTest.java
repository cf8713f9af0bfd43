package io.camflow.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class ServiceMetricsTest {

  @Test
  void routesJvmAndOwnMetersAreScrapedWithTheServiceTag() throws Exception {
    try (ServiceMetrics metrics = new ServiceMetrics("test-service")) {
      CamelContext ctx = new DefaultCamelContext();
      metrics.instrument(ctx);
      ctx.addRoutes(
          new RouteBuilder() {
            @Override
            public void configure() {
              from("direct:in").routeId("counted").setHeader("seen", constant(true));
            }
          });
      ctx.start();
      try {
        for (int i = 0; i < 3; i++) {
          ctx.createProducerTemplate().sendBody("direct:in", "x");
        }
        metrics.registry().counter("camflow_test_things", "stream", "demo/main").increment(7);
        String text = metrics.scrape();
        assertTrue(
            text.contains(
                "camflow_test_things_total{service=\"test-service\",stream=\"demo/main\"} 7.0"),
            text);
        assertTrue(
            text.lines()
                .anyMatch(
                    l ->
                        l.startsWith("camel_exchanges_total")
                            && l.contains("routeId=\"counted\"")
                            && l.endsWith(" 3.0")),
            "the route's exchanges are counted:\n" + text);
        assertTrue(text.contains("jvm_memory_used_bytes"), "JVM meters");
      } finally {
        ctx.stop();
      }
    }
  }

  @Test
  void theServerServesMetricsOnLoopback() throws Exception {
    try (ServiceMetrics metrics = new ServiceMetrics("svc");
        MetricsServer server =
            MetricsServer.fromSettings(
                metrics,
                settings(
                    Map.of(
                        "CAMFLOW_METRICS_PORT", "0x".replace("0x", Integer.toString(freePort())))),
                9999)) {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.body().contains("service=\"svc\""));
      assertEquals(
          404,
          http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/other"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode());
    }
  }

  @Test
  void offAndBadPortsAreUnderstood() throws Exception {
    try (ServiceMetrics metrics = new ServiceMetrics("svc")) {
      assertEquals(
          null,
          MetricsServer.fromSettings(
              metrics, settings(Map.of("CAMFLOW_METRICS_PORT", "off")), 9999));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  MetricsServer.fromSettings(
                      metrics, settings(Map.of("CAMFLOW_METRICS_PORT", "eighty")), 9999));
      assertTrue(e.getMessage().contains("CAMFLOW_METRICS_PORT"));
    }
  }

  static io.camflow.options.Settings settings(Map<String, String> env) {
    return io.camflow.options.Settings.fromEnvironment(env);
  }

  static int freePort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
