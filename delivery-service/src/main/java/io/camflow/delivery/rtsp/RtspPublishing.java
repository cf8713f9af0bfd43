package io.camflow.delivery.rtsp;

import io.camflow.delivery.auth.Access;
import io.camflow.delivery.auth.Caller;
import io.camflow.delivery.publish.Publication;
import io.camflow.delivery.publish.Publications;
import io.camflow.delivery.sessions.Admission;
import io.camflow.delivery.sessions.Protocol;
import io.camflow.delivery.sessions.ViewerSession;
import io.camflow.delivery.sessions.ViewerSessions;
import io.camflow.media.StreamKey;
import io.camflow.media.sdp.SdpParseException;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publishing side of one RTSP connection (RFC 2326 10.11, 10.4 with {@code mode=record}, 10.11
 * RECORD): after an {@code ANNOUNCE} that the connection has checked, each {@code SETUP} takes one
 * announced track over TCP (interleaved) or UDP (the client's ports, at the address of the
 * connection only), and {@code RECORD} starts the {@link Publication} that writes the stream's
 * media topic. Its packets are handled on the connection's event loop; the publication ends with
 * {@code TEARDOWN}, the connection, or a newer publisher that replaces it.
 */
final class RtspPublishing {

  private static final Logger LOG = LoggerFactory.getLogger(RtspPublishing.class);

  private final RtspServer server;
  private final ChannelHandlerContext ctx;
  private final String client;
  private final StreamKey key;
  private final AnnouncedStream stream;
  private final String publisher;

  /** Interleaved RTP channel → announced track. */
  private final Map<Integer, Integer> channels = new HashMap<>();

  /** Over UDP: the client's RTP addresses, to forget at the end. */
  private final List<InetSocketAddress> udpSources = new ArrayList<>();

  private Publication publication;
  private ViewerSession session;
  private ScheduledFuture<?> watch;
  private long lastHeardNanos = System.nanoTime();

  /**
   * @param publisher who publishes, for the log and its session (a user or client name, never a
   *     credential)
   */
  RtspPublishing(
      RtspServer server,
      ChannelHandlerContext ctx,
      String client,
      StreamKey key,
      AnnouncedStream stream,
      String publisher) {
    this.server = server;
    this.ctx = ctx;
    this.client = client;
    this.key = key;
    this.stream = stream;
    this.publisher = publisher;
  }

  /** What an ANNOUNCE that passed the door comes to. */
  sealed interface Announced {
    /** Refused, with the answer that says why. */
    record Refused(RtspResponse response) implements Announced {}

    /** Taken: the connection publishes with this. */
    record Accepted(RtspPublishing publishing) implements Announced {}
  }

  /**
   * An ANNOUNCE of {@code key} by {@code who} (valid credentials that may see or publish the
   * camera): 403 without its publish permission, 404 for a stream not configured, 405 for a pulled
   * one, 415/400 for a description camflow cannot record, 409 while another publisher sends it.
   */
  static Announced announce(
      RtspServer server,
      ChannelHandlerContext ctx,
      String client,
      StreamKey key,
      Caller who,
      RtspRequest r) {
    if (!who.mayPublish(key.camera())) {
      return refused(
          RtspResponse.error(
              403,
              r.cseq(),
              "publishing to camera " + key.camera() + " needs its publish permission"));
    }
    RtspPublishers publishers = server.publishers();
    switch (publishers.targets().apply(key)) {
      case UNKNOWN -> {
        return refused(RtspResponse.error(404, r.cseq(), "not found"));
      }
      case PULLED -> {
        return refused(
            RtspResponse.error(
                    405,
                    r.cseq(),
                    key
                        + " is pulled from its camera; a stream is published when it is configured"
                        + " with source: publish (docs/rtsp.md)")
                .header("Allow", RtspConnection.PUBLIC));
      }
      case PUBLISHED -> {
        // on
      }
    }
    String type = r.header("content-type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/sdp")) {
      return refused(RtspResponse.error(415, r.cseq(), "ANNOUNCE carries application/sdp"));
    }
    AnnouncedStream stream;
    try {
      stream = AnnouncedStream.parse(new String(r.body(), StandardCharsets.UTF_8));
    } catch (SdpParseException e) {
      return refused(
          RtspResponse.error(400, r.cseq(), "the description is not SDP: " + e.getMessage()));
    } catch (IllegalArgumentException e) {
      return refused(RtspResponse.error(415, r.cseq(), e.getMessage()));
    }
    if (publishers.publications().refuses(key)) {
      return refused(RtspResponse.error(409, r.cseq(), "another publisher is sending " + key));
    }
    return new Announced.Accepted(
        new RtspPublishing(server, ctx, client, key, stream, ViewerSessions.userOf(who)));
  }

  private static Announced refused(RtspResponse response) {
    return new Announced.Refused(response);
  }

  StreamKey key() {
    return key;
  }

  boolean recording() {
    return publication != null;
  }

  /**
   * A SETUP on the publishing connection (with {@code mode=record}, or without: it can only be for
   * recording here): over TCP interleaved, or UDP from the client's ports — never over RTSPS, where
   * UDP would carry the media in clear.
   */
  RtspResponse setup(RtspRequest r, RtspUrl url, String sessionId) {
    if (!url.key().equals(key)) {
      return RtspResponse.error(455, r.cseq(), "this connection publishes " + key);
    }
    boolean tls = RtspServer.isTls(ctx.channel());
    Optional<TransportSpec> chosen =
        TransportSpec.choose(r.header("transport"), server.udp() != null && !tls);
    if (chosen.isEmpty()) {
      return RtspResponse.error(
          461,
          r.cseq(),
          tls
              ? RtspServer.INTERLEAVED_OVER_TLS
              : "RTP over TCP (RTP/AVP/TCP;unicast;interleaved=0-1;mode=record)"
                  + (server.udp() == null ? "" : " or UDP unicast (client_port=<even>-<odd>)"));
    }
    TransportSpec spec = chosen.get();
    if (publication != null) {
      return RtspResponse.error(455, r.cseq(), "the session is recording: SETUP comes before it");
    }
    String control = url.control() == null ? RtspUrl.TRACK + 0 : url.control();
    Optional<Integer> track = stream.indexOf(control);
    if (track.isEmpty()) {
      return RtspResponse.error(404, r.cseq(), "the description has no track " + control);
    }
    int index = track.get();
    String transport;
    if (spec.tcp()) {
      int channel = spec.rtpChannel() >= 0 ? spec.rtpChannel() : 2 * index;
      if (channels.containsKey(channel) || channels.containsKey(channel - 1)) {
        return RtspResponse.error(
            400, r.cseq(), "interleaved channels " + channel + "-" + (channel + 1) + " are taken");
      }
      channels.put(channel, index);
      transport = "RTP/AVP/TCP;unicast;interleaved=" + channel + "-" + (channel + 1);
    } else {
      UdpPorts udp = server.udp();
      InetSocketAddress from =
          new InetSocketAddress(
              ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress(),
              spec.clientRtpPort());
      if (!udp.listenRtp(from, bytes -> ctx.executor().execute(() -> udpPacket(index, bytes)))) {
        return RtspResponse.error(
            400, r.cseq(), "another session sends from client port " + spec.clientRtpPort());
      }
      udpSources.add(from);
      transport =
          "RTP/AVP;unicast;client_port="
              + spec.clientRtpPort()
              + "-"
              + spec.clientRtcpPort()
              + ";server_port="
              + udp.rtpPort()
              + "-"
              + udp.rtcpPort();
    }
    return RtspResponse.ok(r.cseq())
        .header("Transport", transport + ";mode=record")
        .header(
            "Session", sessionId + ";timeout=" + server.settings().sessionTimeout().toSeconds());
  }

  /** RECORD: the publication starts, unless another publisher holds the stream. */
  RtspResponse record(RtspRequest r, String sessionId) {
    if (channels.isEmpty() && udpSources.isEmpty()) {
      return RtspResponse.error(455, r.cseq(), "SETUP a track first");
    }
    if (publication == null) {
      Publication p =
          new Publication(
              key, stream.kept(), server.publishers().sink(), why -> ctx.channel().close());
      Publications.Claim claim = server.publishers().publications().claim(p);
      if (claim == Publications.Claim.REFUSED) {
        return RtspResponse.error(
            409, r.cseq(), "another publisher is sending this stream (docs/rtsp.md, publishing)");
      }
      publication = p;
      Admission admitted =
          server
              .sessions()
              .admitPublisher(Protocol.RTSP, key, publisher, client, () -> ctx.channel().close());
      if (admitted instanceof Admission.Admitted a) {
        session = a.session();
      } else {
        end(null);
        return RtspResponse.error(503, r.cseq(), ((Admission.Refused) admitted).reason());
      }
      for (AnnouncedStream.Track t : stream.tracks()) {
        if (!t.kept()) {
          LOG.info("{}: {}: {}", key, t.control(), t.ignored());
        }
      }
      LOG.info(
          "{}: {} publishes from {} over {}{}",
          key,
          publisher,
          client,
          udpSources.isEmpty() ? "TCP" : "UDP",
          claim == Publications.Claim.REPLACED ? ", replacing the publisher before" : "");
    }
    return RtspResponse.ok(r.cseq()).header("Session", sessionId);
  }

  /** An interleaved packet: RTP of a track set up, RTCP (a sign of life) or nothing of ours. */
  void interleaved(int channel, io.netty.buffer.ByteBuf data) {
    lastHeardNanos = System.nanoTime();
    Integer index = channels.get(channel);
    if (index != null && publication != null) {
      packet(index, ByteBufUtil.getBytes(data));
    }
  }

  private void udpPacket(int index, byte[] datagram) {
    lastHeardNanos = System.nanoTime();
    if (publication != null) {
      packet(index, datagram);
    }
  }

  private void packet(int announced, byte[] rtp) {
    AnnouncedStream.Track t = stream.tracks().get(announced);
    session.sent(rtp.length);
    if (t.kept()) {
      publication.packet(t.track().index(), rtp);
    }
  }

  /**
   * Keeps checking the publisher's right to go on: client credentials are asked about again every
   * {@link RtspSettings#credentialRecheck()} (revoked: the connection closes), a token holds until
   * it expires.
   */
  void watch(RtspCredentials credentials, Caller caller) {
    if (credentials instanceof RtspCredentials.ClientSecret c) {
      long every = server.settings().credentialRecheck().toMillis();
      watch =
          ctx.executor().scheduleAtFixedRate(() -> recheck(c), every, every, TimeUnit.MILLISECONDS);
    } else if (caller.expiresAt().isBefore(Instant.MAX)) {
      long left = Duration.between(Instant.now(), caller.expiresAt()).toMillis();
      watch =
          ctx.executor()
              .schedule(
                  () -> {
                    LOG.info("{}: publisher of {} ended: its token expired", client, key);
                    ctx.channel().close();
                  },
                  Math.max(0, left),
                  TimeUnit.MILLISECONDS);
    }
  }

  private void recheck(RtspCredentials.ClientSecret c) {
    server
        .access()
        .checkClient(
            client,
            c.clientId(),
            c.secret(),
            server.settings().credentialRecheck().dividedBy(2),
            who -> who.mayPublish(key.camera()))
        .whenComplete(
            (verdict, error) -> {
              if (verdict instanceof Access.Refused refused
                  && (refused.status() == 401 || refused.status() == 403)) {
                LOG.info("{}: publisher of {} ended: its client's access was revoked", client, key);
                ctx.channel().close();
              }
            });
  }

  /** How long nothing came from the publisher. */
  long quietNanos() {
    return System.nanoTime() - lastHeardNanos;
  }

  /** Sign of life from a request. */
  void heard() {
    lastHeardNanos = System.nanoTime();
  }

  /** The publication ends (idempotent); the stream goes offline. */
  void end(String why) {
    if (watch != null) {
      watch.cancel(false);
      watch = null;
    }
    for (InetSocketAddress from : udpSources) {
      server.udp().forgetRtp(from);
    }
    udpSources.clear();
    if (publication != null) {
      publication.end(why);
      server.publishers().publications().release(publication);
      publication = null;
    }
    if (session != null) {
      session.end();
      session = null;
    }
  }
}
