package io.camflow.delivery.http;

import io.netty.channel.Channel;
import io.netty.handler.flow.FlowControlHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.component.netty.NettyServerBootstrapFactory;
import org.apache.camel.component.netty.http.HttpServerBootstrapFactory;
import org.apache.camel.component.netty.http.HttpServerConsumerChannelFactory;
import org.apache.camel.component.netty.http.HttpServerSharedInitializerFactory;
import org.apache.camel.component.netty.http.NettySharedHttpServer;
import org.apache.camel.component.netty.http.NettySharedHttpServerBootstrapConfiguration;
import org.apache.camel.component.netty.http.handlers.HttpServerMultiplexChannelHandler;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.concurrent.CamelThreadFactory;

/**
 * The delivery HTTP port: camel-netty-http's server pipeline with delivery's handlers in every
 * connection's pipeline: the {@link ConnectionGuard}'s intake before the HTTP decoder, then after
 * the codec ({@code decoder}, {@code encoder}) Netty's {@code FlowControlHandler}, the guard (one
 * request at a time, backpressure, timeouts) and the {@link FrontDoor}, which routes every request
 * through the {@link Router}: the routes that answer on the request's head (the viewer hot path,
 * the MSE upgrade) there, the routes that take the body in {@link FrontDoor.Whole} right after the
 * aggregator. No request reaches Camel's handlers behind it: no Camel exchange per request.
 *
 * <p>Built like camel-netty-http's {@code DefaultNettySharedHttpServer}; a custom server is the
 * component's supported way to own the pipeline (its endpoint option {@code
 * serverInitializerFactory} is ignored by netty-http 4.18, which always builds its own {@code
 * HttpServerInitializerFactory}).
 */
public final class LiveHttpServer extends ServiceSupport implements NettySharedHttpServer {

  /**
   * Holds what the decoder made of one slice beyond the request being answered ({@link
   * ConnectionGuard}).
   */
  private static final String FLOW = "camflow-flow";

  private static final String TLS = "camflow-tls";

  /** netty-http's HttpObjectAggregator (request bodies up to {@code chunkedMaxContentLength}). */
  private static final String AGGREGATOR = "aggregator";

  private final Router router;
  private final NettyReplies replies;
  private final HttpSettings settings;
  private final Connections connections = new Connections();
  private NettySharedHttpServerBootstrapConfiguration configuration;
  private CamelContext camelContext;
  private boolean startServer = true;
  private String threadPattern = "Camel Thread ##counter# - #name#:#port#";
  private HttpServerConsumerChannelFactory channelFactory;
  private HttpServerBootstrapFactory bootstrapFactory;

  /**
   * The HTTPS port: the same pipeline behind TLS, the same consumers (one route serves both ports).
   */
  private HttpServerBootstrapFactory tlsBootstrapFactory;

  private TlsIdentity tls;
  private int tlsPort;

  public LiveHttpServer(Router router, NettyReplies replies) {
    this(router, replies, HttpSettings.defaults());
  }

  /**
   * @param settings the connections' timeouts (docs/delivery.md, "Connections")
   */
  public LiveHttpServer(Router router, NettyReplies replies, HttpSettings settings) {
    this.router = router;
    this.replies = replies;
    this.settings = settings;
  }

  /**
   * Serves the same doors over TLS on {@code port} too. Call before start.
   *
   * @param identity the certificate and key presented
   */
  public LiveHttpServer withTls(TlsIdentity identity, int port) {
    this.tls = identity;
    this.tlsPort = port;
    return this;
  }

  /** The HTTPS port bound, or -1 without TLS. */
  public int tlsPort() {
    if (tlsBootstrapFactory == null) {
      return -1;
    }
    return tlsPort;
  }

  /** The open connections (metrics). */
  public Connections connections() {
    return connections;
  }

  /** The bootstrap configuration of a plain HTTP server on {@code host:port}. */
  public static NettySharedHttpServerBootstrapConfiguration configuration(String host, int port) {
    NettySharedHttpServerBootstrapConfiguration c =
        new NettySharedHttpServerBootstrapConfiguration();
    c.setHost(host);
    c.setPort(port);
    c.setChunkedMaxContentLength(65536);
    c.setReuseAddress(true);
    return c;
  }

  @Override
  public void setNettyServerBootstrapConfiguration(
      NettySharedHttpServerBootstrapConfiguration configuration) {
    this.configuration = configuration;
  }

  @Override
  public void setCamelContext(CamelContext camelContext) {
    this.camelContext = camelContext;
  }

  @Override
  public void setStartServer(boolean startServer) {
    this.startServer = startServer;
  }

  @Override
  public void setThreadNamePattern(String pattern) {
    this.threadPattern = pattern;
  }

  @Override
  public int getPort() {
    return configuration == null ? -1 : configuration.getPort();
  }

  @Override
  public HttpServerConsumerChannelFactory getConsumerChannelFactory() {
    return channelFactory;
  }

  @Override
  public NettyServerBootstrapFactory getServerBootstrapFactory() {
    return bootstrapFactory;
  }

  @Override
  public int getConsumersSize() {
    return channelFactory == null ? 0 : channelFactory.consumers();
  }

  @Override
  protected void doStart() throws Exception {
    if (configuration == null || camelContext == null) {
      throw new IllegalStateException("LiveHttpServer needs its configuration and CamelContext");
    }
    configuration.setProtocol("tcp");
    channelFactory = new HttpServerMultiplexChannelHandler();
    channelFactory.init(configuration.getPort());
    String pattern =
        threadPattern.replaceFirst("#port#", Integer.toString(configuration.getPort()));
    bootstrapFactory = new HttpServerBootstrapFactory(channelFactory, false);
    bootstrapFactory.init(
        new CamelThreadFactory(pattern, "NettySharedHttpServer", true),
        configuration,
        initializer(configuration, null));
    if (tls != null) {
      NettySharedHttpServerBootstrapConfiguration tlsConfiguration =
          configuration(configuration.getHost(), tlsPort);
      tlsConfiguration.setProtocol("tcp");
      tlsBootstrapFactory = new HttpServerBootstrapFactory(channelFactory, false);
      tlsBootstrapFactory.init(
          new CamelThreadFactory(
              threadPattern.replaceFirst("#port#", Integer.toString(tlsPort)),
              "NettySharedHttpsServer",
              true),
          tlsConfiguration,
          initializer(tlsConfiguration, tls));
    }
    ServiceHelper.startService(channelFactory);
    if (startServer) {
      ServiceHelper.startService(bootstrapFactory);
      if (tlsBootstrapFactory != null) {
        ServiceHelper.startService(tlsBootstrapFactory);
      }
    }
  }

  /**
   * Every connection's pipeline; with {@code tls}, TLS comes first and everything else follows as
   * on HTTP.
   */
  private HttpServerSharedInitializerFactory initializer(
      NettySharedHttpServerBootstrapConfiguration c, TlsIdentity tls) {
    return new HttpServerSharedInitializerFactory(c, channelFactory, camelContext) {
      @Override
      protected void initChannel(Channel ch) throws Exception {
        super.initChannel(ch);
        ConnectionGuard guard = new ConnectionGuard(settings, connections, replies);
        ch.pipeline()
            .addBefore("decoder", ConnectionGuard.INTAKE, guard.intake())
            .addAfter("encoder", FLOW, new FlowControlHandler())
            .addAfter(FLOW, ConnectionGuard.NAME, guard)
            .addAfter(ConnectionGuard.NAME, FrontDoor.NAME, new FrontDoor(router, replies));
        // after the aggregator: the routes that take whole requests, their bodies bounded there
        if (ch.pipeline().get(AGGREGATOR) == null) {
          throw new IllegalStateException(
              "netty-http's pipeline has no " + AGGREGATOR + " (chunked off?)");
        }
        ch.pipeline().addAfter(AGGREGATOR, FrontDoor.WHOLE, new FrontDoor.Whole(router, replies));
        if (tls != null) {
          ch.pipeline().addFirst(TLS, tls.context().newHandler(ch.alloc()));
        }
      }
    };
  }

  @Override
  protected void doStop() {
    ServiceHelper.stopService(tlsBootstrapFactory, bootstrapFactory, channelFactory);
  }
}
