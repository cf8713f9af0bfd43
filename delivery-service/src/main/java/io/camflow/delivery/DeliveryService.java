package io.camflow.delivery;

import io.camflow.delivery.api.ApiRequests;
import io.camflow.delivery.api.cameras.CamerasApi;
import io.camflow.delivery.api.recordings.RecordingsApi;
import io.camflow.delivery.api.sessions.SessionsApi;
import io.camflow.delivery.auth.Access;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.auth.FailureLimiter;
import io.camflow.delivery.auth.Issuers;
import io.camflow.delivery.auth.TokenVerifier;
import io.camflow.delivery.demand.DemandHeartbeat;
import io.camflow.delivery.door.Reply;
import io.camflow.delivery.dvr.RecordedFrames;
import io.camflow.delivery.dvr.RecordedMedia;
import io.camflow.delivery.dvr.RecordedThumbnails;
import io.camflow.delivery.dvr.RecordingIndex;
import io.camflow.delivery.hls.HlsSessions;
import io.camflow.delivery.http.BindAddress;
import io.camflow.delivery.http.CorsPolicy;
import io.camflow.delivery.http.HttpSettings;
import io.camflow.delivery.http.LiveHttpServer;
import io.camflow.delivery.http.NettyReplies;
import io.camflow.delivery.http.PublicUrls;
import io.camflow.delivery.http.Router;
import io.camflow.delivery.http.TlsIdentity;
import io.camflow.delivery.http.TlsSettings;
import io.camflow.delivery.hub.StreamHubs;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.delivery.mse.MseViewers;
import io.camflow.delivery.picture.PictureWorkers;
import io.camflow.delivery.play.DvrDoor;
import io.camflow.delivery.play.FramesDoor;
import io.camflow.delivery.play.LiveRequests;
import io.camflow.delivery.play.MseDoor;
import io.camflow.delivery.play.PictureDoor;
import io.camflow.delivery.play.WhepDoor;
import io.camflow.delivery.publish.CamelPublishSink;
import io.camflow.delivery.publish.Publications;
import io.camflow.delivery.realm.RealmDoor;
import io.camflow.delivery.realm.RealmForwarding;
import io.camflow.delivery.realm.RealmProxy;
import io.camflow.delivery.rtsp.RtspPublishers;
import io.camflow.delivery.rtsp.RtspServer;
import io.camflow.delivery.rtsp.RtspSettings;
import io.camflow.delivery.sessions.Protocol;
import io.camflow.delivery.sessions.SessionWatch;
import io.camflow.delivery.sessions.TokenLeaseSettings;
import io.camflow.delivery.sessions.ViewerSessions;
import io.camflow.delivery.web.WebFiles;
import io.camflow.delivery.whep.WhepService;
import io.camflow.delivery.whep.WhepSettings;
import io.camflow.keycloak.admin.AdminSettings;
import io.camflow.keycloak.admin.CameraAccess;
import io.camflow.media.Topics;
import io.camflow.metrics.ServiceMetrics;
import io.camflow.registry.SecretBox;
import io.camflow.serviceruntime.InstanceId;
import io.camflow.webrtc.WebRtcTransportServer;
import io.camflow.webrtc.WebRtcTransportSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires delivery: the HTTP port ({@link LiveHttpServer}) with the one {@link Router} every request
 * goes through and the doors registered with it (docs/architecture.md), the stream hubs, the viewer
 * sessions; into a Camel context: properties, the {@code demand} heartbeat bean and
 * routes/delivery.camel.yaml (the demand heartbeats to Kafka). Used by {@link DeliveryMain} and the
 * integration tests.
 */
public final class DeliveryService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryService.class);

  private final DeliverySettings settings;
  private final int httpPort;
  private final CorsPolicy cors;
  private final AuthSettings auth;
  private final AdminSettings admin;
  private final Path routesFile;
  private ScheduledExecutorService scheduler;
  private ExecutorService authExecutor;
  private ExecutorService apiExecutor;
  private CameraAccess cameraAccess;

  /** Reads of the recordings' index, one at a time, a bounded queue (DVR calls). */
  private ExecutorService dvrExecutor;

  private ExecutorService clipExecutor;

  private RecordingIndex recordingIndex;
  private RecordedMedia recordedMedia;
  private RecordedFrames recordedFrames;
  private RecordedThumbnails recordedThumbnails;
  private PictureWorkers pictureWorkers;

  /** Seals camera passwords the API receives (secrets.key); empty: the API refuses passwords. */
  private Optional<SecretBox> secrets = Optional.empty();

  private CamerasApi camerasApi;
  private ServiceMetrics metrics;

  /** One hub per watched stream: its Kafka feeds, its GOP cache, every protocol's readers. */
  private StreamHubs streams;

  private LiveHttpServer server;
  private MseViewers mseViewers;

  /** Every viewer, all protocols: the limits, /api/v1/sessions, camflow_delivery_viewers. */
  private ViewerSessions sessions;

  private HlsSessions hlsSessions;

  /**
   * WebRTC playback (docs/webrtc.md); null settings: off (the default here, DeliveryMain turns it
   * on).
   */
  private WhepSettings whepSettings;

  private WebRtcTransportSettings transportSettings;
  private WhepService whep;

  /**
   * The RTSP server's settings (docs/rtsp.md); null: off (the default here, DeliveryMain turns it
   * on).
   */
  private RtspSettings rtspSettings;

  private RtspServer rtsp;
  private CamelPublishSink publishSink;

  /** This instance's id: the owner of the status records of the streams published here. */
  private String instanceId = InstanceId.byDefault("delivery", "");

  /** Published access unit bytes that may wait for Kafka before publishers are disconnected. */
  private static final long PUBLISH_QUEUE_BYTES = 64L * 1024 * 1024;

  /** The HTTP port's connection timeouts (docs/delivery.md, "Connections"). */
  private HttpSettings httpSettings = HttpSettings.defaults();

  private TlsSettings tlsSettings = TlsSettings.off();

  /**
   * Where the HTTP, HTTPS and WebRTC ports listen (CAMFLOW_HTTP_HOST): every interface unless set.
   */
  private BindAddress bindAddress = BindAddress.all();

  private TlsIdentity tlsIdentity;

  /**
   * The realm's pages on this server's ports (null: derived from the auth settings, on with
   * Keycloak).
   */
  private RealmForwarding realmForwarding;

  private PublicUrls publicUrls = PublicUrls.FROM_REQUEST;
  private RealmProxy realmProxy;

  /**
   * How long MSE and WebRTC sessions live on their tokens (docs/permissions.md, "Long-lived
   * sessions").
   */
  private TokenLeaseSettings leaseSettings = TokenLeaseSettings.defaults();

  private SessionWatch sessionWatch;

  /**
   * @param cors the origins other than its own that may call delivery from a browser
   * @param auth how tokens are checked; {@link AuthSettings#off()} binds to loopback only
   * @param admin camflow's Keycloak admin client for the permission API, or null (API answers 503)
   */
  public DeliveryService(
      DeliverySettings settings,
      int httpPort,
      CorsPolicy cors,
      AuthSettings auth,
      AdminSettings admin,
      Path routesFile) {
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("HTTP port must be 0..65535, was " + httpPort);
    }
    this.settings = settings;
    this.httpPort = httpPort;
    this.cors = cors;
    this.auth = auth;
    this.admin = admin;
    this.routesFile = routesFile;
  }

  /** The key that seals camera passwords (secrets.key; null: none); before configure. */
  public DeliveryService secretsKey(SecretBox box) {
    this.secrets = Optional.ofNullable(box);
    return this;
  }

  /**
   * Serves WebRTC (WHEP) with these settings; before configure. Off unless called (its UDP port is
   * one per host).
   */
  public DeliveryService webrtc(WhepSettings whep, WebRtcTransportSettings transport) {
    this.whepSettings = whep;
    this.transportSettings = transport;
    return this;
  }

  /**
   * Serves RTSP with these settings; before configure. Off unless called (its port is one per
   * host).
   */
  public DeliveryService rtsp(RtspSettings settings) {
    this.rtspSettings = settings;
    return this;
  }

  /**
   * What RTSP publishing needs: the publish routes of routes/delivery.camel.yaml, and the registry
   * to tell which streams are configured {@code source: publish}.
   */
  private RtspPublishers publishers(CamelContext ctx) {
    publishSink = new CamelPublishSink(ctx, instanceId, PUBLISH_QUEUE_BYTES);
    return new RtspPublishers(
        publishSink,
        new Publications(rtspSettings.publishReplace()),
        key -> camerasApi.publishTarget(key));
  }

  /** This instance's id ({@code CAMFLOW_INSTANCE_ID}); by default {@code delivery-<pid>}. */
  public DeliveryService instanceId(String id) {
    this.instanceId = id;
    return this;
  }

  /** The RTSP port bound, -1 without RTSP (after configure). */
  public int rtspPort() {
    return rtsp == null ? -1 : rtsp.port();
  }

  /** The RTSPS port bound, -1 without RTSPS (after configure; it needs HTTPS's certificate). */
  public int rtspsPort() {
    return rtsp == null ? -1 : rtsp.rtspsPort();
  }

  /** The HTTP port's connection timeouts, instead of the defaults; before configure. */
  public DeliveryService http(HttpSettings settings) {
    this.httpSettings = settings;
    return this;
  }

  /** How long sessions live on their tokens, instead of the defaults; before configure. */
  public DeliveryService sessionTokens(TokenLeaseSettings settings) {
    this.leaseSettings = settings;
    return this;
  }

  /**
   * Serves the HTTP port's doors over TLS too, on the settings' port; before configure. Off unless
   * called.
   */
  public DeliveryService tls(TlsSettings settings) {
    this.tlsSettings = settings;
    return this;
  }

  /**
   * Where users open camflow and whether the realm's pages are forwarded (docs/operations.md,
   * "Running on a LAN"), instead of the defaults (addresses from each request; the realm forwarded
   * when auth is on); before configure.
   */
  public DeliveryService publicAccess(PublicUrls urls, RealmForwarding forwarding) {
    this.publicUrls = urls;
    this.realmForwarding = forwarding;
    return this;
  }

  /**
   * The ports listen on this address instead of every interface (with auth off: loopback anyway);
   * before configure.
   */
  public DeliveryService bind(BindAddress address) {
    this.bindAddress = address;
    return this;
  }

  /** The HTTPS port bound, -1 without HTTPS (after configure). */
  public int httpsPort() {
    return server == null ? -1 : server.tlsPort();
  }

  /** The certificate the HTTPS port presents, or null without HTTPS (after configure). */
  public TlsIdentity tlsIdentity() {
    return tlsIdentity;
  }

  /**
   * The address the HTTP port binds to: {@link #bind}'s (every interface by default), loopback only
   * when auth is off.
   */
  public String bindHost() {
    return auth.enabled() ? bindAddress.host() : "127.0.0.1";
  }

  public void configure(CamelContext ctx) throws Exception {
    if (!auth.enabled()) {
      LOG.warn(
          "AUTH IS OFF (CAMFLOW_AUTH=off): every request is allowed without a token; "
              + "delivery listens on 127.0.0.1:{} only",
          httpPort);
    } else {
      LOG.info("access: {}", auth);
    }
    ctx.getPropertiesComponent()
        .addInitialProperty("camflow.kafka.bootstrap", settings.bootstrapServers());
    ctx.getPropertiesComponent()
        .addInitialProperty("camflow.topic.demand", Topics.DEMAND); // named once
    ctx.getPropertiesComponent().addInitialProperty("camflow.topic.status", Topics.STATUS);
    scheduler =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "camflow-delivery-timer");
              t.setDaemon(true);
              return t;
            });
    streams = new StreamHubs(settings, scheduler);
    sessions = new ViewerSessions(settings.mse().viewerLimits()).leases(leaseSettings);
    hlsSessions = new HlsSessions(sessions, scheduler);
    DemandHeartbeat demand = new DemandHeartbeat(sessions, streams, ctx);
    streams.onStart(key -> scheduler.execute(() -> demand.send(key, 1)));
    authExecutor = Executors.newFixedThreadPool(2, daemon("camflow-auth"));
    apiExecutor = Executors.newFixedThreadPool(2, daemon("camflow-api"));
    dvrExecutor =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(DVR_QUEUE),
            daemon("camflow-dvr"));
    clipExecutor = Executors.newSingleThreadExecutor(daemon("camflow-dvr-clips"));
    if (realmForwarding == null) {
      realmForwarding =
          auth.enabled()
              ? RealmForwarding.of(auth.issuer(), auth.jwksUri())
              : RealmForwarding.off();
    }
    TokenVerifier verifier = auth.enabled() ? new TokenVerifier(auth, issuers()) : null;
    Access access =
        new Access(
            auth,
            verifier,
            new FailureLimiter(auth.failureLimit(), auth.failureWindow(), System::nanoTime),
            authExecutor);
    // GET /metrics (docs/operations.md): routes, Kafka clients, JVM, and delivery's own meters
    metrics = new ServiceMetrics("delivery");
    metrics.instrument(ctx);
    MeterRegistry meters = metrics.registry();
    streams.meterWith(meters, metrics::meter);
    access.onRefusal(
        status ->
            meters
                .counter("camflow_delivery_auth_refusals", "status", Integer.toString(status))
                .increment());
    if (verifier != null) {
      FunctionCounter.builder(
              "camflow_delivery_auth_key_fetches", verifier, TokenVerifier::keyFetches)
          .register(meters);
    }
    Counter hlsBytes = meters.counter("camflow_delivery_bytes_out", "protocol", "hls");
    for (Protocol p : Protocol.values()) {
      Gauge.builder("camflow_delivery_viewers", sessions, v -> v.count(p))
          .tag("protocol", p.id())
          .register(meters);
    }
    Gauge.builder("camflow_delivery_streams_watched", sessions, ViewerSessions::streams)
        .register(meters);
    Gauge.builder("camflow_delivery_held_requests", streams, StreamHubs::heldRequests)
        .register(meters);
    if (admin != null) {
      cameraAccess = new CameraAccess(admin);
    }
    LiveRequests live = new LiveRequests(streams, access, metrics::scrape, hlsSessions);
    WebFiles web =
        new WebFiles(
            auth.enabled() ? auth.issuer() : null,
            auth.enabled() ? auth.webClientId() : null,
            realmForwarding.enabled() ? realmForwarding.realmPath() : null,
            tlsSettings.port());
    camerasApi =
        CamerasApi.start(settings.bootstrapServers(), secrets, apiExecutor)
            .viewers(sessions::byProtocol);
    ApiRequests api =
        new ApiRequests(access, cameraAccess, apiExecutor, camerasApi)
            .sessions(new SessionsApi(sessions))
            .rtspPort(this::rtspPort); // the RTSP server starts below
    recordingIndex = new RecordingIndex(settings.bootstrapServers());
    recordedMedia = new RecordedMedia(settings.bootstrapServers());
    recordedFrames = new RecordedFrames(settings.bootstrapServers());
    recordedThumbnails = new RecordedThumbnails(settings.bootstrapServers());
    pictureWorkers = new PictureWorkers(PICTURE_THREADS, PICTURE_QUEUE);
    FunctionCounter.builder(
            "camflow_delivery_picture_decodes", pictureWorkers, PictureWorkers::decodes)
        .register(meters);
    FunctionCounter.builder(
            "camflow_delivery_picture_decode_seconds",
            pictureWorkers,
            PictureWorkers::decodeSeconds)
        .register(meters);
    FunctionCounter.builder(
            "camflow_delivery_picture_cache_hits", pictureWorkers, PictureWorkers::cacheHits)
        .register(meters);
    api.recordings(new RecordingsApi(recordingIndex, dvrExecutor, java.time.Clock.systemUTC()));
    if (auth.enabled()) { // MSE and WebRTC sessions end with their tokens and their users' access
      CameraAccess grants = cameraAccess;
      sessionWatch =
          new SessionWatch(
                  sessions,
                  java.time.Clock.systemUTC(),
                  grants == null
                      ? null
                      : camera -> {
                        try {
                          return grants.who(camera).live().users();
                        } catch (io.camflow.keycloak.admin.UnknownCameraException e) {
                          return java.util.List.of(); // its roles are gone: nobody holds them
                        }
                      })
              .start(scheduler, apiExecutor);
      api.onLiveRevoked(list -> sessionWatch.revoked(list.camera(), list.live().users()));
    }
    WhepDoor whepDoor = null;
    if (whepSettings != null && whepSettings.enabled()) {
      WebRtcTransportServer transport =
          WebRtcTransportServer.start(
              transportSettings, bindAddress.socket(transportSettings.port()));
      whep = new WhepService(whepSettings, transport, streams::rtc, sessions, scheduler);
      whepDoor = new WhepDoor(whep, streams, access);
      whep.addedLatency().meterWith(meters, "webrtc");
      Gauge.builder(
              "camflow_delivery_audio_transcoding_streams", streams, StreamHubs::transcodingAudio)
          .register(meters);
      LOG.info(
          "WebRTC: WHEP on the HTTP port, media on UDP {} ({})",
          transport.port(),
          transport.candidates().stream().map(c -> c.address().getHostAddress()).toList());
    }
    if (tlsSettings.enabled()) { // before RTSP: RTSPS presents the HTTPS port's certificate
      tlsIdentity = tlsSettings.identity();
    }
    if (rtspSettings != null && rtspSettings.enabled()) {
      if (rtspSettings.tls() && tlsIdentity == null) {
        LOG.info(
            "RTSPS off: it presents the HTTPS certificate, and HTTPS is off (CAMFLOW_HTTPS_PORT=0)");
      }
      rtsp =
          RtspServer.start(
              rtspSettings,
              auth.enabled()
                  ? bindAddress.socket(rtspSettings.port())
                  : new java.net.InetSocketAddress("127.0.0.1", rtspSettings.port()),
              streams,
              access,
              sessions,
              publishers(ctx),
              tlsIdentity == null
                  ? null
                  : new io.camflow.delivery.rtsp.RtspTls(
                      tlsIdentity.context(), tlsIdentity.fingerprint()));
      RtspServer.Counters rtspCounters = rtsp.counters();
      Gauge.builder("camflow_delivery_rtsp_connections", rtspCounters, RtspServer.Counters::open)
          .register(meters);
      FunctionCounter.builder(
              "camflow_delivery_bytes_out", rtspCounters, RtspServer.Counters::bytesSent)
          .tag("protocol", "rtsp")
          .register(meters);
      FunctionCounter.builder(
              "camflow_delivery_rtsp_refused_total", rtspCounters, c -> c.refused() + c.malformed())
          .register(meters);
      FunctionCounter.builder(
              "camflow_delivery_rtsp_skips_total", rtspCounters, RtspServer.Counters::skips)
          .register(meters);
    }
    NettyReplies replies = new NettyReplies(cors, hlsBytes::increment);
    mseViewers =
        new MseViewers(
            settings.mse(),
            sessions); // WebSocket/MSE (docs/mse.md): upgraded through the router (MseDoor)
    FunctionCounter.builder("camflow_delivery_bytes_out", mseViewers, MseViewers::bytesSent)
        .tag("protocol", "mse")
        .register(meters);
    FunctionCounter.builder(
            "camflow_delivery_dropped_fragments", mseViewers, MseViewers::droppedFragments)
        .tag("protocol", "mse")
        .register(meters);
    Gauge.builder("camflow_delivery_held_bytes", mseViewers, MseViewers::heldBytes)
        .tag("protocol", "mse")
        .register(meters);
    mseViewers.addedLatency().meterWith(meters, "mse");
    if (realmForwarding.enabled()) {
      realmProxy = new RealmProxy(realmForwarding);
      LOG.info(
          "the realm's pages ({}, {}) forwarded to {}",
          realmForwarding.realmPath(),
          realmForwarding.resourcesPath(),
          realmForwarding.target());
    }
    Router router =
        routes(
            live,
            new MseDoor(
                streams,
                access,
                mseViewers,
                new io.camflow.delivery.mse.Recordings(recordingIndex, recordedMedia, dvrExecutor)),
            whepDoor,
            api,
            web,
            new DvrDoor(
                recordingIndex,
                recordedMedia,
                recordedThumbnails,
                access,
                dvrExecutor,
                clipExecutor,
                java.time.Clock.systemUTC()),
            new PictureDoor(streams, access, pictureWorkers, recordedFrames, dvrExecutor, sessions),
            new FramesDoor(streams, access, pictureWorkers, sessions),
            access);
    server = new LiveHttpServer(router, replies, httpSettings);
    server.connections().meterWith(meters);
    server.setNettyServerBootstrapConfiguration(LiveHttpServer.configuration(bindHost(), httpPort));
    if (tlsIdentity != null) {
      server.withTls(tlsIdentity, tlsSettings.port());
    }
    server.setCamelContext(ctx);
    server.start();
    if (tlsIdentity != null) {
      // the fingerprint is what a user compares with the browser's certificate viewer before
      // trusting it
      LOG.info(
          "HTTPS on {}:{} with {} certificate {} (SHA-256 {}), for {}",
          bindHost(),
          server.tlsPort(),
          tlsIdentity.generated() ? "the self-signed" : "the configured",
          tlsIdentity.source(),
          tlsIdentity.fingerprint(),
          String.join(", ", tlsIdentity.names()));
    }
    ctx.getRegistry().bind("demand", demand);
    PluginHelper.getRoutesLoader(ctx)
        .loadRoutes(ResourceHelper.resolveMandatoryResource(ctx, "file:" + routesFile));
  }

  /** The {@code iss} values of the realm's tokens: see {@link Issuers}. */
  private Issuers issuers() {
    List<String> origins = publicUrls.texts();
    return new Issuers(
        auth.issuer(), realmForwarding.enabled() && publicUrls.fromRequest(), origins);
  }

  /**
   * The one table of the HTTP port's routes, first match first (docs/architecture.md): the MSE
   * upgrade and the hot path's GETs answered on the request's head (live HLS, recordings); the
   * realm's pages, WHEP, CORS preflight, the REST API and the rest once the body is read.
   *
   * @param whep null when WebRTC is off (its paths then answer 404)
   */
  private Router routes(
      LiveRequests live,
      MseDoor mse,
      WhepDoor whep,
      ApiRequests api,
      WebFiles web,
      DvrDoor dvr,
      PictureDoor pictures,
      FramesDoor frames,
      Access access) {
    Router router =
        new Router(access.settings().trustedProxies())
            .upgrade("mse", MseDoor::wants, mse)
            .upgrade("frames", FramesDoor::wants, frames)
            .get("pictures", PictureDoor::serves, pictures)
            .get("hls, health, metrics", LiveRequests::serves, live)
            .get("dvr", DvrDoor::serves, dvr);
    if (realmProxy != null) {
      RealmDoor realm = new RealmDoor(realmProxy, access.settings().trustedProxies());
      router.anyWhole("realm", realm::serves, realm);
    }
    router.when(
        "method not allowed",
        Router::unknownMethod,
        (request, answer) -> answer.accept(Reply.text(405, "method not allowed")));
    if (whep != null) {
      router.any("whep", WhepDoor::serves, whep);
    }
    return router
        .when(
            "cors preflight",
            r -> r.method().name().equals("OPTIONS"),
            (request, answer) ->
                answer.accept(new Reply(204, Reply.TEXT, Reply.NO_CACHE, List.of())))
        .any("api", ApiRequests::serves, api)
        .when(
            "only GET",
            r -> !r.method().name().equals("GET"),
            (request, answer) -> answer.accept(Reply.text(405, "only GET")))
        .when(
            "web",
            r -> WebFiles.serves(io.camflow.delivery.door.Request.path(r.uri())),
            (request, answer) -> answer.accept(web.get(request.path())))
        .otherwise("not found", live);
  }

  /** DVR reads waiting at most; more are answered 503. */
  static final int DVR_QUEUE = 64;

  /** Pictures made at once: half the cores, so video delivery keeps the rest (docs/pictures.md). */
  static final int PICTURE_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

  /** Pictures waiting to be made at most; past it a request gets 503 with Retry-After. */
  static final int PICTURE_QUEUE = 32;

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** The WebSocket/MSE viewers (tests, status). */
  public MseViewers mseViewers() {
    return mseViewers;
  }

  /** Every viewer of this instance, all protocols (tests, status). */
  public ViewerSessions sessions() {
    return sessions;
  }

  /** The streams being watched, a hub each (tests, status). */
  public StreamHubs streams() {
    return streams;
  }

  /** WebRTC playback, or null when off (tests, status). */
  public WhepService whep() {
    return whep;
  }

  @Override
  public void close() {
    if (sessionWatch != null) {
      sessionWatch.close();
    }
    if (whep != null) {
      whep.close(); // viewers closed with a reason, the UDP port released
    }
    if (rtsp != null) {
      rtsp.close(); // readers' connections closed, their sessions ended; publications ended
    }
    if (publishSink != null) {
      publishSink.close(); // what published streams sent is handed to their route
    }
    if (mseViewers != null) {
      mseViewers.shutdown(
          java.time.Duration.ofSeconds(2)); // shutdown + close 1001 before the port closes
    }
    if (hlsSessions != null) {
      hlsSessions.close();
    }
    if (server != null) {
      server.stop();
    }
    if (realmProxy != null) {
      realmProxy.close();
    }
    if (streams != null) {
      streams.close();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (authExecutor != null) {
      authExecutor.shutdownNow();
    }
    if (apiExecutor != null) {
      apiExecutor.shutdownNow();
    }
    if (dvrExecutor != null) {
      dvrExecutor.shutdownNow();
    }
    if (clipExecutor != null) {
      clipExecutor.shutdownNow();
    }
    if (recordingIndex != null) {
      recordingIndex.close();
    }
    if (recordedMedia != null) {
      recordedMedia.close();
    }
    if (pictureWorkers != null) {
      pictureWorkers.close();
    }
    if (recordedThumbnails != null) {
      recordedThumbnails.close();
    }
    if (recordedFrames != null) {
      recordedFrames.close();
    }
    if (cameraAccess != null) {
      cameraAccess.close();
    }
    if (camerasApi != null) {
      camerasApi.close();
    }
    if (metrics != null) {
      metrics.close();
    }
  }
}
