package io.camflow.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.camflow.options.CamflowOptions;
import io.camflow.options.Settings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} and {@code GET /healthz} for a service without an HTTP port of its own
 * (ingest, packager), on the JDK's HTTP server. Bound to loopback unless configured otherwise:
 * metrics name cameras, so they are not for everyone (docs/operations.md).
 */
public final class MetricsServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  /** Starts serving {@code metrics} on {@code host:port} (port 0: any free port). */
  public static MetricsServer start(ServiceMetrics metrics, String host, int port)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
              send(exchange, 405, "text/plain; charset=utf-8", "only GET\n");
            } else if (exchange.getRequestURI().getPath().equals("/metrics")) {
              send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
            } else if (exchange.getRequestURI().getPath().equals("/healthz")) {
              send(exchange, 200, "text/plain; charset=utf-8", "ok\n");
            } else {
              send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
            }
          }
        });
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "camflow-metrics");
              t.setDaemon(true);
              return t;
            }));
    server.start();
    LOG.info("metrics on http://{}:{}/metrics", host, server.getAddress().getPort());
    return new MetricsServer(server);
  }

  /**
   * Starts the server the settings ask for: {@code metrics.port} (the service's default when unset;
   * off for none) on {@code metrics.host} (127.0.0.1). Null when off.
   */
  public static MetricsServer fromSettings(
      ServiceMetrics metrics, Settings settings, int defaultPort) throws IOException {
    int port = settings.find(CamflowOptions.METRICS_PORT).orElse(defaultPort);
    return port == 0 ? null : start(metrics, settings.get(CamflowOptions.METRICS_HOST), port);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
