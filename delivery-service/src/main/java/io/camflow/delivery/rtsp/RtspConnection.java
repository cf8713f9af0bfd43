package io.camflow.delivery.rtsp;

import io.camflow.delivery.auth.Access;
import io.camflow.delivery.auth.Caller;
import io.camflow.delivery.dvr.TimeQuery;
import io.camflow.delivery.hub.StreamHubs;
import io.camflow.delivery.sessions.Admission;
import io.camflow.delivery.sessions.Protocol;
import io.camflow.delivery.sessions.ViewerSession;
import io.camflow.delivery.sessions.ViewerSessions;
import io.camflow.delivery.whep.RtcStream;
import io.camflow.media.Codec;
import io.camflow.media.StreamKey;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTSP connection: the requests of a reader, answered in order (RFC 2326 10). {@code DESCRIBE}
 * checks the caller's credentials ({@link RtspCredentials}) and {@code live} permission on the
 * camera and answers the stream's description once the stream has a keyframe; {@code SETUP} sets up
 * a track over TCP (interleaved: UDP is answered 461, on which FFmpeg and GStreamer retry over
 * TCP); {@code PLAY} admits the viewer session (the viewer limits of every protocol) and starts an
 * {@link RtspReader} at the latest keyframe; {@code PAUSE}, {@code TEARDOWN}, {@code
 * GET_PARAMETER}/{@code SET_PARAMETER} (keep-alive) and {@code OPTIONS} as the RFC says. A
 * publisher's {@code ANNOUNCE} is checked here ({@code publish} permission, a stream configured
 * {@code source: publish}, a description camflow can record); its {@code SETUP}s and {@code RECORD}
 * are {@link RtspPublishing}'s.
 *
 * <p>Refusals: 401 with a Basic challenge without valid credentials, 404 for a camera the caller
 * may not see — the answer for one that does not exist — 429/503 as the token check says. The
 * connection closes after a malformed request, or when it sent nothing for the idle timeout before
 * playing.
 */
final class RtspConnection extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(RtspConnection.class);
  static final String PUBLIC =
      "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER";
  static final String PUBLIC_WITH_PUBLISHING = PUBLIC + ", ANNOUNCE, RECORD";
  static final String CHALLENGE = "Basic realm=\"camflow\"";
  private static final int MAX_WAITING = 16;
  private static final long POLL_MILLIS = 20;

  /** How long a DESCRIBE waits after the keyframe for the audio to show (RtcStream#audioKnown). */
  private static final long AUDIO_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final RtspServer server;
  private final ArrayDeque<RtspRequest> waiting = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private boolean busy;
  private String client = "?";

  // what DESCRIBE found and SETUP/PLAY build on; event loop only
  private RtspUrl described;
  private StreamDescription description;
  private Caller caller;
  private RtcStream stream;
  private String sessionId;
  private TrackSetup videoSetup;
  private TrackSetup audioSetup;
  private RtspReader reader;
  private RtspCredentials credentials;
  private java.util.concurrent.ScheduledFuture<?> recheck;
  private RtspPublishing publishing;
  private RecordedSource replay;
  private final long videoSsrc = ThreadLocalRandom.current().nextLong(1, 0x1_0000_0000L);
  private final long audioSsrc = videoSsrc ^ 0x5A5A5A5AL;

  RtspConnection(RtspServer server) {
    this.server = server;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().remoteAddress() instanceof InetSocketAddress a) {
      client = a.getAddress().getHostAddress();
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    switch (msg) {
      case Interleaved packet -> {
        try {
          if (publishing != null) {
            publishing.interleaved(packet.channel(), packet.content());
          } else if (reader != null) {
            reader.heard(); // the client's RTCP reports: a sign of life, nothing more
          }
        } finally {
          packet.release();
        }
      }
      case MalformedRequest bad -> {
        server.counters().countMalformed();
        reply(RtspResponse.error(bad.status(), bad.cseq(), bad.reason()))
            .addListener(f -> ctx.close());
      }
      case RtspRequest request -> {
        if (busy) {
          if (waiting.size() >= MAX_WAITING) {
            ctx.close(); // a client that does not wait for answers
          } else {
            waiting.add(request);
          }
        } else {
          handle(request);
        }
      }
      default -> io.netty.util.ReferenceCountUtil.release(msg);
    }
  }

  private void handle(RtspRequest r) {
    LOG.debug("{}: {}", client, r);
    if (reader != null) {
      reader.heard();
    }
    if (publishing != null) {
      publishing.heard();
    }
    switch (r.method()) {
      case "OPTIONS" -> reply(RtspResponse.ok(r.cseq()).header("Public", publicMethods()));
      case "DESCRIBE" -> describe(r);
      case "SETUP" -> setup(r);
      case "PLAY" -> play(r);
      case "PAUSE" -> pause(r);
      case "TEARDOWN" -> teardown(r);
      case "GET_PARAMETER", "SET_PARAMETER" -> keepAlive(r);
      case "ANNOUNCE" -> announce(r);
      case "RECORD" -> record(r);
      default ->
          reply(
              RtspResponse.error(501, r.cseq(), "unknown method")
                  .header("Public", publicMethods()));
    }
  }

  private String publicMethods() {
    return server.publishers() == null ? PUBLIC : PUBLIC_WITH_PUBLISHING;
  }

  // ---- DESCRIBE

  private void describe(RtspRequest r) {
    Optional<RtspUrl> url = RtspUrl.parse(r.uri());
    if (url.isEmpty()) {
      reply(RtspResponse.error(404, r.cseq(), "not found: rtsp://host:port/<camera>/<stream>"));
      return;
    }
    if (reader != null || publishing != null) {
      reply(
          RtspResponse.error(
              455,
              r.cseq(),
              "this connection is " + (reader != null ? "playing" : "publishing") + " a stream"));
      return;
    }
    String require = r.header("require");
    if (require != null && require.toLowerCase(java.util.Locale.ROOT).contains("onvif-replay")) {
      // not played as live: a recorder asking for the past must not get the present
      reply(
          RtspResponse.error(
                  501,
                  r.cseq(),
                  "ONVIF replay is not served; ask for the recording with ?start=<ISO-8601>"
                      + " (docs/rtsp.md, Replay)")
              .header("Unsupported", require)); // RFC 2326 12.32: the options not supported
      return;
    }
    java.time.Instant start;
    try {
      start = TimeQuery.instant(url.get().query(), "start").orElse(null);
    } catch (IllegalArgumentException e) {
      reply(RtspResponse.error(400, r.cseq(), e.getMessage()));
      return;
    }
    StreamKey key = url.get().key();
    RtspCredentials presented = RtspCredentials.of(r.header("authorization"), url.get());
    if (challenged(r, presented)) {
      return;
    }
    // the recording needs the camera's dvr permission, as on every door (live is not enough)
    whenAllowed(
        r,
        presented,
        start == null ? c -> c.mayWatchLive(key.camera()) : c -> c.may(key.camera(), Caller.DVR),
        who -> {
          credentials = presented;
          if (start != null) {
            openRecording(r, url.get(), who, start);
          } else {
            open(r, url.get(), who);
          }
        });
  }

  /**
   * Answers 401 with the Basic challenge to a request without credentials while auth is on — the
   * challenge every client expects first, not a failure of the address.
   *
   * @return whether it did
   */
  private boolean challenged(RtspRequest r, RtspCredentials presented) {
    if (server.access().enabled() && presented instanceof RtspCredentials.None) {
      reply(
          RtspResponse.error(401, r.cseq(), "credentials are required")
              .header("WWW-Authenticate", CHALLENGE));
      return true;
    }
    return false;
  }

  /**
   * Checks {@code presented} off the event loop, then, on it, refuses the request as the check says
   * (401 with the challenge, 404 for a camera not to be seen, 429, …) or goes on with the caller.
   * The connection is busy (later requests wait) until {@code then} answers.
   */
  private void whenAllowed(
      RtspRequest r,
      RtspCredentials presented,
      java.util.function.Predicate<Caller> may,
      java.util.function.Consumer<Caller> then) {
    busy = true;
    check(presented, may)
        .whenComplete(
            (verdict, error) ->
                later(
                    () -> {
                      if (error != null || verdict instanceof Access.Refused) {
                        refuse(
                            r,
                            error != null
                                ? new Access.Refused(500, "internal error", 0)
                                : (Access.Refused) verdict);
                      } else {
                        then.accept(((Access.Granted) verdict).caller());
                      }
                    }));
  }

  /** Describes the recording at {@code start}; PLAY then plays it from there (RecordedSource). */
  private void openRecording(RtspRequest r, RtspUrl url, Caller who, java.time.Instant start) {
    java.util.concurrent.Semaphore places = server.replays();
    if (!places.tryAcquire()) {
      done(
          RtspResponse.error(503, r.cseq(), "too many recordings are being replayed; try again")
              .header("Retry-After", "10"));
      return;
    }
    Thread.ofVirtual()
        .start(
            () -> {
              Optional<RecordedSource> found;
              try {
                found =
                    RecordedSource.open(
                        server.streams().bootstrapServers(), url.key(), start, places::release);
              } catch (RuntimeException e) {
                LOG.warn(
                    "{}: the recording of {} cannot be read: {}", client, url.key(), e.toString());
                later(
                    () ->
                        done(
                            RtspResponse.error(503, r.cseq(), "the recording cannot be read now")));
                return;
              }
              later(
                  () -> {
                    if (found.isEmpty()) {
                      done(
                          RtspResponse.error(
                              404,
                              r.cseq(),
                              "nothing of " + url.key() + " is recorded at " + start));
                      return;
                    }
                    if (!ctx.channel().isActive()) {
                      found.get().close();
                      busy = false;
                      return;
                    }
                    if (replay != null) {
                      replay.close();
                    }
                    replay = found.get();
                    described = url;
                    description = replay.description();
                    caller = who;
                    stream = null;
                    videoSetup = null;
                    audioSetup = null;
                    done(
                        RtspResponse.ok(r.cseq())
                            .header("Content-Base", url.presentation())
                            .body(
                                "application/sdp",
                                description.sdp(
                                    url, ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE))));
                  });
            });
  }

  /** Whether {@code presented} are valid credentials of a caller {@code may} allows. */
  private java.util.concurrent.CompletionStage<Access.Verdict> check(
      RtspCredentials presented, java.util.function.Predicate<Caller> may) {
    Access access = server.access();
    return switch (presented) {
      case RtspCredentials.Token t -> access.check(client, t.token(), may);
      case RtspCredentials.ClientSecret c ->
          access.checkClient(
              client, c.clientId(), c.secret(), server.settings().credentialRecheck(), may);
      case RtspCredentials.None n -> access.check(client, null, may);
    };
  }

  private void refuse(RtspRequest r, Access.Refused refused) {
    RtspResponse response =
        switch (refused.status()) {
          case 401 ->
              RtspResponse.error(401, r.cseq(), refused.message())
                  .header("WWW-Authenticate", CHALLENGE);
          // a camera the caller may not see is one that does not exist
          case 403 -> RtspResponse.error(404, r.cseq(), "not found");
          default -> RtspResponse.error(refused.status(), r.cseq(), refused.message());
        };
    if (refused.retryAfterSeconds() > 0) {
      response.header("Retry-After", Long.toString(refused.retryAfterSeconds()));
    }
    done(response);
  }

  private void open(RtspRequest r, RtspUrl url, Caller who) {
    StreamHubs hubs = server.streams();
    hubs.open(url.key())
        .whenComplete(
            (hub, error) ->
                later(
                    () -> {
                      if (error != null) {
                        done(RtspResponse.error(503, r.cseq(), "Kafka is not answering"));
                      } else if (hub.isEmpty()) {
                        done(RtspResponse.error(404, r.cseq(), "not found"));
                      } else {
                        awaitKeyframe(r, url, who, System.nanoTime());
                      }
                    }));
  }

  /** Answers once the stream has a keyframe to start from (its feed starts at the latest one). */
  private void awaitKeyframe(RtspRequest r, RtspUrl url, Caller who, long since) {
    if (!ctx.channel().isActive()) {
      busy = false;
      return;
    }
    // each poll asks the hub again: that keeps the stream's readers in use while it waits
    RtcStream rtc = server.streams().rtc(url.key());
    Codec video = rtc.videoCodec();
    boolean settled = rtc.audioKnown() || System.nanoTime() - since > AUDIO_WAIT_NANOS;
    if (rtc.hasKeyframe() && settled && (video == Codec.H264 || video == Codec.H265)) {
      if (replay != null) {
        replay.close();
        replay = null;
      }
      described = url;
      description = describe(rtc, video);
      caller = who;
      stream = rtc;
      videoSetup = null;
      audioSetup = null;
      done(
          RtspResponse.ok(r.cseq())
              .header("Content-Base", url.presentation())
              .body(
                  "application/sdp",
                  description.sdp(url, ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE))));
      return;
    }
    if (video != null && video != Codec.H264 && video != Codec.H265) {
      done(
          RtspResponse.error(
              415, r.cseq(), "the stream's video is " + video + ", not H.264 or H.265"));
      return;
    }
    if (System.nanoTime() - since > server.settings().startWait().toNanos()) {
      done(
          RtspResponse.error(503, r.cseq(), "the stream has no picture yet; try again")
              .header("Retry-After", "2"));
      return;
    }
    ctx.executor()
        .schedule(() -> awaitKeyframe(r, url, who, since), POLL_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** The stream as RTSP gives it: its video, and its audio where the camera's can be read. */
  private static StreamDescription describe(RtcStream rtc, Codec video) {
    Codec audio = rtc.sourceAudio();
    if (audio == Codec.PCMU || audio == Codec.PCMA) {
      return new StreamDescription(video, rtc.parameterSets(), audio);
    }
    io.camflow.media.fmp4.AudioSpecificConfig aac = rtc.aacFormat();
    if (audio == Codec.AAC && aac != null) {
      return new StreamDescription(
          video,
          rtc.parameterSets(),
          Codec.AAC,
          rtc.aacConfigBytes(),
          aac.sampleRate(),
          Math.max(1, aac.channels()));
    }
    return new StreamDescription(video, rtc.parameterSets(), null);
  }

  // ---- ANNOUNCE, SETUP for recording, RECORD: publishing (RtspPublishing)

  private void announce(RtspRequest r) {
    if (server.publishers() == null) {
      reply(
          RtspResponse.error(501, r.cseq(), "publishing into camflow is off on this server")
              .header("Public", PUBLIC));
      return;
    }
    Optional<RtspUrl> url = RtspUrl.parse(r.uri());
    if (url.isEmpty() || url.get().control() != null) {
      reply(RtspResponse.error(404, r.cseq(), "not found: rtsp://host:port/<camera>/<stream>"));
      return;
    }
    if (reader != null || publishing != null || described != null) {
      reply(RtspResponse.error(455, r.cseq(), "this connection is reading or publishing already"));
      return;
    }
    StreamKey key = url.get().key();
    RtspCredentials presented = RtspCredentials.of(r.header("authorization"), url.get());
    if (challenged(r, presented)) {
      return;
    }
    // a caller who may see the camera learns why it may not publish; anyone else gets 404
    whenAllowed(
        r,
        presented,
        c -> c.mayPublish(key.camera()) || c.mayWatchLive(key.camera()),
        who -> {
          switch (RtspPublishing.announce(server, ctx, client, key, who, r)) {
            case RtspPublishing.Announced.Refused refused -> done(refused.response());
            case RtspPublishing.Announced.Accepted accepted -> {
              caller = who;
              credentials = presented;
              publishing = accepted.publishing();
              done(RtspResponse.ok(r.cseq()));
            }
          }
        });
  }

  private void publishSetup(RtspRequest r, RtspUrl url) {
    String session = r.header("session");
    if (session != null && !sessionOf(session).equals(sessionId)) {
      reply(RtspResponse.error(454, r.cseq(), "no such session"));
      return;
    }
    if (sessionId == null) {
      sessionId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
    reply(publishing.setup(r, url, sessionId));
  }

  private void record(RtspRequest r) {
    if (publishing == null) {
      reply(RtspResponse.error(455, r.cseq(), "ANNOUNCE and SETUP the stream first"));
      return;
    }
    if (!sessionMatches(r)) {
      return;
    }
    boolean before = publishing.recording();
    reply(publishing.record(r, sessionId));
    if (!before && publishing.recording() && server.access().enabled()) {
      publishing.watch(credentials, caller);
    }
  }

  // ---- SETUP

  private void setup(RtspRequest r) {
    Optional<RtspUrl> url = RtspUrl.parse(r.uri());
    if (url.isEmpty()) {
      reply(RtspResponse.error(404, r.cseq(), "not found"));
      return;
    }
    if (publishing != null) {
      publishSetup(r, url.get());
      return;
    }
    if (described == null
        || !described.key().equals(url.get().key())
        || (stream == null && replay == null)) {
      reply(RtspResponse.error(455, r.cseq(), "DESCRIBE the stream first, on this connection"));
      return;
    }
    String session = r.header("session");
    if (session != null && !sessionOf(session).equals(sessionId)) {
      reply(RtspResponse.error(454, r.cseq(), "no such session"));
      return;
    }
    if (reader != null) {
      reply(
          RtspResponse.error(
              455, r.cseq(), "the session is playing: tracks are set up before PLAY"));
      return;
    }
    if (url.get().control() != null && url.get().track() < 0) {
      reply(RtspResponse.error(404, r.cseq(), "no track " + url.get().control()));
      return;
    }
    int track = url.get().track() < 0 ? StreamDescription.VIDEO_TRACK : url.get().track();
    if (!description.hasTrack(track)) {
      reply(RtspResponse.error(404, r.cseq(), "no track " + track + " in this stream"));
      return;
    }
    boolean tls = RtspServer.isTls(ctx.channel()); // over RTSPS, UDP would carry media in clear
    UdpPorts udp = tls ? null : server.udp();
    Optional<TransportSpec> spec = TransportSpec.choose(r.header("transport"), udp != null);
    if (spec.isEmpty()) {
      reply(
          RtspResponse.error(
              461,
              r.cseq(),
              tls
                  ? RtspServer.INTERLEAVED_OVER_TLS
                  : udp == null
                      ? "RTP over TCP (interleaved) only: RTP/AVP/TCP;unicast;interleaved=0-1"
                      : "RTP over TCP (RTP/AVP/TCP;unicast;interleaved=0-1) or UDP unicast"
                          + " (RTP/AVP;unicast;client_port=<even>-<odd>)"));
      return;
    }
    if (spec.get().record()) {
      reply(RtspResponse.error(455, r.cseq(), "ANNOUNCE the stream first, to publish it"));
      return;
    }
    long ssrc = track == StreamDescription.VIDEO_TRACK ? videoSsrc : audioSsrc;
    TrackSetup other = track == StreamDescription.VIDEO_TRACK ? audioSetup : videoSetup;
    TrackSetup setup;
    String transport;
    if (spec.get().tcp()) {
      int channel = spec.get().rtpChannel() >= 0 ? spec.get().rtpChannel() : 2 * track;
      if (other != null && other.overlaps(channel)) {
        reply(
            RtspResponse.error(
                400,
                r.cseq(),
                "interleaved channels " + channel + "-" + (channel + 1) + " are taken"));
        return;
      }
      setup = new TrackSetup(PacketSink.tcp(ctx.channel(), channel), channel, null);
      transport = "RTP/AVP/TCP;unicast;interleaved=" + channel + "-" + (channel + 1);
    } else {
      InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
      InetSocketAddress clientRtp = new InetSocketAddress(address, spec.get().clientRtpPort());
      InetSocketAddress clientRtcp = new InetSocketAddress(address, spec.get().clientRtcpPort());
      setup = new TrackSetup(PacketSink.udp(udp, clientRtp, clientRtcp), -1, clientRtcp);
      transport =
          "RTP/AVP;unicast;client_port="
              + spec.get().clientRtpPort()
              + "-"
              + spec.get().clientRtcpPort()
              + ";server_port="
              + udp.rtpPort()
              + "-"
              + udp.rtcpPort();
    }
    if (track == StreamDescription.VIDEO_TRACK) {
      videoSetup = setup;
    } else {
      audioSetup = setup;
    }
    if (sessionId == null) {
      sessionId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
    reply(
        RtspResponse.ok(r.cseq())
            .header("Transport", transport + ";ssrc=" + String.format("%08X", ssrc))
            .header(
                "Session",
                sessionId + ";timeout=" + server.settings().sessionTimeout().toSeconds()));
  }

  /**
   * A track set up: where its packets go, its interleaved RTP channel (-1 over UDP) and, over UDP,
   * the client's RTCP address (its reports are the reader's sign of life).
   */
  private record TrackSetup(PacketSink sink, int rtpChannel, InetSocketAddress clientRtcp) {
    boolean overlaps(int channel) {
      return rtpChannel >= 0 && channel <= rtpChannel + 1 && channel + 1 >= rtpChannel;
    }
  }

  // ---- PLAY, PAUSE, TEARDOWN, keep-alive

  private void play(RtspRequest r) {
    if (!sessionMatches(r)) {
      return;
    }
    if (publishing != null) {
      reply(RtspResponse.error(455, r.cseq(), "this session publishes: RECORD, not PLAY"));
      return;
    }
    if (videoSetup == null && audioSetup == null) {
      reply(RtspResponse.error(455, r.cseq(), "SETUP a track first"));
      return;
    }
    if (reader == null) {
      ViewerSessions sessions = server.sessions();
      RtspReader[] made = new RtspReader[1];
      Admission admission =
          sessions.admit(
              Protocol.RTSP,
              described.key(),
              ViewerSessions.userOf(caller),
              client,
              () -> {
                RtspReader v = made[0];
                if (v != null) {
                  v.close("disconnected by an administrator");
                } else {
                  ctx.close();
                }
              });
      if (admission instanceof Admission.Refused refused) {
        reply(RtspResponse.error(453, r.cseq(), refused.reason()));
        return;
      }
      ViewerSession session = ((Admission.Admitted) admission).session();
      RtspReader.Track video =
          videoSetup == null
              ? null
              : new RtspReader.Track(
                  videoSetup.sink(),
                  video(description),
                  StreamDescription.VIDEO_PAYLOAD_TYPE,
                  videoSsrc,
                  90_000);
      RtspReader.Track audio =
          audioSetup == null
              ? null
              : new RtspReader.Track(
                  audioSetup.sink(),
                  description.audioEncoding(),
                  description.audioPayloadType(),
                  audioSsrc,
                  description.audioRate());
      reader =
          new RtspReader(
              replay != null ? replay : RtspReader.Source.live(stream),
              ctx.channel(),
              video,
              audio,
              session,
              server.counters());
      made[0] = reader;
      RtspReader playing = reader;
      for (TrackSetup t : new TrackSetup[] {videoSetup, audioSetup}) {
        if (t != null && t.clientRtcp() != null) {
          server.udp().listen(t.clientRtcp(), playing::heard);
        }
      }
      if (server.access().enabled()) {
        session.runOn(caller, why -> playing.close(why.reason()));
        if (credentials instanceof RtspCredentials.ClientSecret) {
          long every = server.settings().credentialRecheck().toMillis();
          recheck =
              ctx.executor()
                  .scheduleAtFixedRate(() -> recheck(playing), every, every, TimeUnit.MILLISECONDS);
        }
      }
    }
    StringBuilder info = new StringBuilder();
    appendInfo(info, reader.video(), described.control(StreamDescription.VIDEO_TRACK));
    appendInfo(info, reader.audio(), described.control(StreamDescription.AUDIO_TRACK));
    reply(
        RtspResponse.ok(r.cseq())
            .header("Session", sessionId)
            .header("Range", replay == null ? "npt=now-" : "npt=0-")
            .header("RTP-Info", info.toString()));
    // after the answer: the reader's frames are written by tasks that run after this one
    if (!reader.play()) {
      reader.close("the stream stopped");
    }
  }

  /**
   * Asks the realm again about a playing reader's client credentials: still entitled, the session
   * goes on (its lease renewed); refused, it ends.
   */
  private void recheck(RtspReader playing) {
    RtspCredentials.ClientSecret c = (RtspCredentials.ClientSecret) credentials;
    server
        .access()
        .checkClient(
            client,
            c.clientId(),
            c.secret(),
            server.settings().credentialRecheck().dividedBy(2),
            who ->
                replay != null
                    ? who.may(described.key().camera(), Caller.DVR)
                    : who.mayWatchLive(described.key().camera()))
        .whenComplete(
            (verdict, error) ->
                later(
                    () -> {
                      if (reader != playing) {
                        return;
                      }
                      if (verdict instanceof Access.Granted g) {
                        playing.session().renew(g.caller());
                      } else if (verdict instanceof Access.Refused refused
                          && (refused.status() == 401 || refused.status() == 403)) {
                        LOG.info(
                            "{}: RTSP reader of {} ended: its client's access was revoked",
                            client,
                            described.key());
                        playing.close("access revoked");
                      }
                    }));
  }

  private static String video(StreamDescription d) {
    return d.video() == Codec.H265 ? "H265" : "H264";
  }

  private static void appendInfo(StringBuilder info, RtspReader.Track t, String url) {
    if (t == null) {
      return;
    }
    if (!info.isEmpty()) {
      info.append(',');
    }
    info.append("url=")
        .append(url)
        .append(";seq=")
        .append(t.firstSequence)
        .append(";rtptime=")
        .append(t.firstTimestamp());
  }

  private void pause(RtspRequest r) {
    if (!sessionMatches(r)) {
      return;
    }
    if (reader != null) {
      reader.pause();
    }
    reply(RtspResponse.ok(r.cseq()).header("Session", sessionId));
  }

  private void teardown(RtspRequest r) {
    if (!sessionMatches(r)) {
      return;
    }
    endSession();
    reply(RtspResponse.ok(r.cseq()));
  }

  private void keepAlive(RtspRequest r) {
    RtspResponse ok = RtspResponse.ok(r.cseq());
    if (sessionId != null) {
      ok.header("Session", sessionId);
    }
    if (reader != null) {
      reader.session().touch();
    }
    reply(ok);
  }

  private boolean overUdp() {
    return (videoSetup != null && videoSetup.clientRtcp() != null)
        || (audioSetup != null && audioSetup.clientRtcp() != null);
  }

  private boolean sessionMatches(RtspRequest r) {
    String session = r.header("session");
    if (sessionId == null || session == null || !sessionOf(session).equals(sessionId)) {
      reply(RtspResponse.error(454, r.cseq(), "no such session"));
      return false;
    }
    return true;
  }

  /** The session id of a Session header ({@code id;timeout=n}). */
  private static String sessionOf(String header) {
    int semicolon = header.indexOf(';');
    return (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
  }

  private void endSession() {
    if (publishing != null) {
      publishing.end(null);
      publishing = null;
    }
    if (recheck != null) {
      recheck.cancel(false);
      recheck = null;
    }
    if (reader != null) {
      reader.close(null);
      reader = null;
    }
    for (TrackSetup t : new TrackSetup[] {videoSetup, audioSetup}) {
      if (t != null && t.clientRtcp() != null) {
        server.udp().forget(t.clientRtcp());
      }
    }
    if (replay != null) {
      replay.close();
      replay = null;
    }
    sessionId = null;
    videoSetup = null;
    audioSetup = null;
  }

  // ---- answering

  private io.netty.channel.ChannelFuture reply(RtspResponse response) {
    return ctx.writeAndFlush(Unpooled.wrappedBuffer(response.encode()));
  }

  /** Answers the request that made the connection busy, then the ones that waited. */
  private void done(RtspResponse response) {
    busy = false;
    reply(response);
    while (!busy && !waiting.isEmpty()) {
      handle(waiting.poll());
    }
  }

  /** Runs on the connection's event loop. */
  private void later(Runnable task) {
    ctx.executor().execute(task);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent idle) {
      long timeout = server.settings().sessionTimeout().toNanos();
      if (idle.state() == IdleState.READER_IDLE
          && (publishing != null
              ? publishing.quietNanos() > timeout
              : reader == null || (overUdp() && reader.quietNanos() > timeout))) {
        // a session timeout: nothing on the connection before PLAY, or over UDP no request nor
        // RTCP report either (over TCP the connection itself shows the reader is there, as
        // MediaMTX takes it: some NVRs send no keep-alive)
        ctx.close();
      } else if (idle.state() == IdleState.WRITER_IDLE
          && reader != null
          && !ctx.channel().isWritable()) {
        LOG.info("{}: RTSP reader of {} took nothing for a while; closed", client, described.key());
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    endSession();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("{}: RTSP connection failed: {}", client, cause.toString());
    ctx.close();
  }
}
