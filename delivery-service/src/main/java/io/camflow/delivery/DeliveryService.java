package io.camflow.delivery;

import io.camflow.delivery.demand.DemandHeartbeat;
import io.camflow.delivery.http.HttpRouter;
import io.camflow.delivery.http.LiveRequests;
import io.camflow.delivery.http.LiveHttpServer;
import io.camflow.delivery.http.NettyReplies;
import io.camflow.delivery.http.ResponseWriter;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.delivery.live.LiveStreams;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.support.DefaultHeaderFilterStrategy;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * Wires delivery into a Camel context: properties, the {@code httpServer} (the netty-http
 * server of the HTTP port, with the viewer hot path in its pipeline: {@link LiveHttpServer}), the {@code http}
 * processor (the requests of the HTTP port that reach Camel), the {@code demand} heartbeat bean and routes/delivery.camel.yaml. Used by
 * {@link DeliveryMain} and the integration tests.
 */
public final class DeliveryService implements AutoCloseable {

  private final DeliverySettings settings;
  private final int httpPort;
  private final String corsOrigin;
  private final Path routesFile;
  private ScheduledExecutorService scheduler;
  private LiveStreams streams;
  private LiveHttpServer server;

  public DeliveryService(DeliverySettings settings, int httpPort, String corsOrigin, Path routesFile) {
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("HTTP port must be 0..65535, was " + httpPort);
    }
    this.settings = settings;
    this.httpPort = httpPort;
    this.corsOrigin = corsOrigin == null ? "" : corsOrigin;
    this.routesFile = routesFile;
  }

  public void configure(CamelContext ctx) throws Exception {
    ctx.getPropertiesComponent().addInitialProperty("camflow.kafka.bootstrap", settings.bootstrapServers());
    ctx.getPropertiesComponent().addInitialProperty("camflow.http.port", Integer.toString(httpPort));
    scheduler = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "camflow-delivery-timer");
      t.setDaemon(true);
      return t;
    });
    streams = new LiveStreams(settings, scheduler);
    DemandHeartbeat demand = new DemandHeartbeat(streams, ctx);
    streams.onStart(s -> scheduler.execute(() -> demand.send(s, Math.max(1, s.viewers(1_000_000_000L)))));
    LiveRequests live = new LiveRequests(streams);
    ctx.getRegistry().bind("http", new HttpRouter(live, new ResponseWriter(corsOrigin)));
    // the HTTP port, with the viewer hot path in its pipeline; started now: the route's endpoint
    // takes its bootstrap when it is created
    server = new LiveHttpServer(live, new NettyReplies(corsOrigin));
    server.setNettyServerBootstrapConfiguration(LiveHttpServer.configuration("0.0.0.0", httpPort));
    server.setCamelContext(ctx);
    server.start();
    ctx.getRegistry().bind("httpServer", server);
    ctx.getRegistry().bind("demand", demand);
    ctx.getRegistry().bind("responseHeaders", responseHeaders());
    PluginHelper.getRoutesLoader(ctx).loadRoutes(ResourceHelper.resolveMandatoryResource(ctx, "file:" + routesFile));
  }

  /**
   * Camel's default HTTP filter drops Cache-Control from responses; delivery sets exactly the
   * headers it means to send (ResponseWriter), so only Camel's internal headers are filtered.
   */
  static DefaultHeaderFilterStrategy responseHeaders() {
    DefaultHeaderFilterStrategy filter = new DefaultHeaderFilterStrategy();
    filter.setOutFilterStartsWith(DefaultHeaderFilterStrategy.CAMEL_FILTER_STARTS_WITH);
    filter.setInFilterStartsWith(DefaultHeaderFilterStrategy.CAMEL_FILTER_STARTS_WITH);
    filter.setLowerCase(true);
    return filter;
  }

  /** The streams being watched (tests, status). */
  public LiveStreams streams() {
    return streams;
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop();
    }
    if (streams != null) {
      streams.close();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }
}
