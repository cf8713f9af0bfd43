package io.camflow.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
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
  public static MetricsServer start(ServiceMetrics metrics, String host, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    server.createContext("/", exchange -> {
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
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "camflow-metrics");
      t.setDaemon(true);
      return t;
    }));
    server.start();
    LOG.info("metrics on http://{}:{}/metrics", host, server.getAddress().getPort());
    return new MetricsServer(server);
  }

  /**
   * Starts the server the environment asks for: {@code CAMFLOW_METRICS_PORT} (the service's default;
   * 0 or "off" for none) on {@code CAMFLOW_METRICS_HOST} (127.0.0.1). Null when off.
   *
   * @throws IllegalArgumentException naming the variable that is wrong
   */
  public static MetricsServer fromEnvironment(ServiceMetrics metrics, Map<String, String> env, int defaultPort)
      throws IOException {
    String p = env.getOrDefault("CAMFLOW_METRICS_PORT", Integer.toString(defaultPort)).trim();
    if (p.equals("off") || p.equals("0")) {
      return null;
    }
    int port;
    try {
      port = Integer.parseInt(p);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("CAMFLOW_METRICS_PORT must be a port number or 'off', was '" + p + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("CAMFLOW_METRICS_PORT must be 1..65535, was " + port);
    }
    return start(metrics, env.getOrDefault("CAMFLOW_METRICS_HOST", "127.0.0.1").trim(), port);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
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
