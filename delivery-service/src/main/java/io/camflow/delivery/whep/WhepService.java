package io.camflow.delivery.whep;

import io.camflow.delivery.auth.Caller;
import io.camflow.delivery.sessions.AddedLatency;
import io.camflow.delivery.sessions.Admission;
import io.camflow.delivery.sessions.Ending;
import io.camflow.delivery.sessions.Protocol;
import io.camflow.delivery.sessions.ViewerSession;
import io.camflow.delivery.sessions.ViewerSessions;
import io.camflow.media.StreamKey;
import io.camflow.media.sdp.AnswerWriter;
import io.camflow.media.sdp.Fingerprint;
import io.camflow.media.sdp.HostCandidate;
import io.camflow.media.sdp.Ice;
import io.camflow.media.sdp.LocalTracks;
import io.camflow.media.sdp.LocalTransport;
import io.camflow.media.sdp.MediaDescription;
import io.camflow.media.sdp.Negotiation;
import io.camflow.media.sdp.Negotiator;
import io.camflow.media.sdp.SdpParseException;
import io.camflow.media.sdp.SectionAnswer;
import io.camflow.media.sdp.SessionDescription;
import io.camflow.media.sdp.StreamCodecs;
import io.camflow.webrtc.TransportSession;
import io.camflow.webrtc.WebRtcTransportServer;
import io.camflow.webrtc.dtls.CertificateFingerprint;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebRTC playback sessions (WHEP, draft-ietf-wish-whep), independent of HTTP: an offer for a stream
 * becomes a transport session on the shared UDP port and a viewer of the stream's {@link
 * RtcStream}, or a refusal with a status and a reason a player's user can act on.
 */
public final class WhepService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WhepService.class);
  static final String DISCONNECTED = "disconnected by an administrator";
  private static final long CODEC_POLL_MILLIS = 40;

  /** What an offer led to. */
  public sealed interface Outcome {

    /** 201: {@code answer} is the SDP, {@code id} names the session for its Location. */
    record Created(String id, String answer) implements Outcome {}

    /**
     * {@code status} with {@code reason} as text; {@code retryAfterSeconds > 0} adds Retry-After.
     */
    record Refused(int status, String reason, int retryAfterSeconds) implements Outcome {}
  }

  private record Entry(RtcViewer viewer, ViewerSession session) {}

  /** What a fresh token did to a session ({@link #renew}). */
  public enum Renewal {
    /** The session goes on with it. */
    RENEWED,
    /** No session of the stream with that id. */
    NO_SESSION,
    /** Another user's token: the session ended. */
    OTHER_USER
  }

  private final WhepSettings settings;
  private final WebRtcTransportServer transport;
  private final RtcStreams streams;
  private final ScheduledExecutorService scheduler;
  private final ViewerSessions viewers;
  private final ConcurrentHashMap<String, Entry> sessions = new ConcurrentHashMap<>();
  private final AddedLatency addedLatency = new AddedLatency();
  private volatile boolean closing;

  /**
   * @param viewers the instance's viewer sessions: limits, the sessions API, metrics
   */
  public WhepService(
      WhepSettings settings,
      WebRtcTransportServer transport,
      RtcStreams streams,
      ViewerSessions viewers,
      ScheduledExecutorService scheduler) {
    this.settings = settings;
    this.transport = transport;
    this.streams = streams;
    this.viewers = viewers;
    this.scheduler = scheduler;
  }

  /**
   * Answers an offer for {@code key} (the caller has checked access and that the stream exists).
   * Completes once the stream's codecs are known (at once for a warm stream).
   */
  public CompletableFuture<Outcome> offer(StreamKey key, String user, String remote, String sdp) {
    return offer(key, user, null, remote, sdp);
  }

  /**
   * As {@link #offer(StreamKey, String, String, String)}, the session running on {@code caller}'s
   * token (it ends when the token expires unless {@link #renew renewed}: docs/webrtc.md, "Tokens").
   */
  public CompletableFuture<Outcome> offer(StreamKey key, Caller caller, String remote, String sdp) {
    return offer(key, ViewerSessions.userOf(caller), caller, remote, sdp);
  }

  private CompletableFuture<Outcome> offer(
      StreamKey key, String user, Caller caller, String remote, String sdp) {
    if (closing) {
      return CompletableFuture.completedFuture(
          new Outcome.Refused(503, "the server is shutting down", 5));
    }
    SessionDescription offer;
    try {
      offer = SessionDescription.parse(sdp);
    } catch (SdpParseException e) {
      return CompletableFuture.completedFuture(new Outcome.Refused(400, e.getMessage(), 0));
    }
    RtcStream stream = streams.open(key);
    CompletableFuture<Outcome> result = new CompletableFuture<>();
    long deadline = System.nanoTime() + settings.startWait().toNanos();
    ScheduledFuture<?>[] poll = new ScheduledFuture<?>[1];
    Runnable attempt =
        () -> {
          if (result.isDone()) {
            poll[0].cancel(false);
            return;
          }
          Optional<StreamCodecs> codecs = stream.codecs();
          // a stream's first keyframe gives its codecs; whether it has B-frames shows a few frames
          // on
          if (codecs.isPresent() && stream.reorderingKnown() || System.nanoTime() > deadline) {
            poll[0].cancel(false);
            try {
              result.complete(
                  codecs.isPresent()
                      ? answer(key, user, caller, remote, offer, stream, codecs.get())
                      : new Outcome.Refused(
                          503, "no picture from " + key + " yet (the camera may be offline)", 2));
            } catch (RuntimeException e) {
              LOG.warn("{}: WHEP offer failed: {}", key, e.toString(), e);
              result.complete(
                  new Outcome.Refused(500, "the WebRTC session could not be set up", 0));
            }
          }
        };
    synchronized (poll) {
      poll[0] =
          scheduler.scheduleWithFixedDelay(
              () -> {
                synchronized (poll) {
                  attempt.run();
                }
              },
              0,
              CODEC_POLL_MILLIS,
              TimeUnit.MILLISECONDS);
    }
    return result;
  }

  private Outcome answer(
      StreamKey key,
      String user,
      Caller caller,
      String remote,
      SessionDescription offer,
      RtcStream stream,
      StreamCodecs codecs) {
    if (stream.reorders()) {
      return new Outcome.Refused(
          422, key + " has B-frames, which WebRTC cannot carry; play it over MSE or HLS", 0);
    }
    Negotiation negotiation = Negotiator.negotiate(offer, codecs, settings.profileMatching());
    if (negotiation instanceof Negotiation.Refused refused) {
      // no common codec (an H.265 stream needs Chrome with hardware decoding or Safari): the player
      // falls back to MSE
      return new Outcome.Refused(406, refused.reason(), 0);
    }
    Negotiation.Agreed agreed = (Negotiation.Agreed) negotiation;
    MediaDescription first = agreed.video().offered();
    Ice ice = offer.iceOf(first);
    List<Fingerprint> fingerprints = offer.fingerprintsOf(first);
    Fingerprint fingerprint =
        fingerprints.stream()
            .filter(f -> f.hashFunction().equalsIgnoreCase("sha-256"))
            .findFirst()
            .orElse(null);
    if (ice == null || fingerprint == null) {
      return new Outcome.Refused(
          400, "the offer needs a=ice-ufrag, a=ice-pwd and a sha-256 a=fingerprint", 0);
    }
    RtcViewer[] made = new RtcViewer[1];
    Admission admission =
        viewers.admit(
            Protocol.WEBRTC,
            key,
            user,
            remote,
            () -> {
              RtcViewer v = made[0];
              if (v != null) {
                v.close(DISCONNECTED);
              }
            });
    if (admission instanceof Admission.Refused refused) {
      return new Outcome.Refused(503, refused.reason(), 15);
    }
    ViewerSession viewerSession = ((Admission.Admitted) admission).session();
    String id = viewerSession.id();
    TransportSession session;
    try {
      session =
          transport.newSession(
              ice.ufrag(),
              ice.pwd(),
              CertificateFingerprint.parse(fingerprint.hashFunction() + " " + fingerprint.value()));
    } catch (IllegalArgumentException e) {
      viewerSession.end();
      return new Outcome.Refused(
          400, "the offer's ICE credentials or fingerprint are not usable: " + e.getMessage(), 0);
    }
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long videoSsrc = r.nextLong(1, 0x1_0000_0000L);
    long audioSsrc = videoSsrc ^ 0x5A5A5A5AL;
    String cname = "camflow-" + id.substring(0, Math.min(12, id.length())).replace('_', '-');
    LocalTracks tracks = new LocalTracks("camflow", videoSsrc, audioSsrc, cname);
    List<HostCandidate> candidates =
        session.candidates().stream()
            .map(c -> new HostCandidate(c.address().getHostAddress(), c.port()))
            .toList();
    LocalTransport local =
        new LocalTransport(
            session.localCredentials().ufrag(),
            session.localCredentials().pwd(),
            Fingerprint.sha256(session.localFingerprint().digest()),
            candidates);
    String answer = AnswerWriter.write(agreed, local, tracks, r.nextLong(1, Long.MAX_VALUE));
    Optional<SectionAnswer.Accepted> audio = agreed.audio();
    RtcViewer.Tracks payloads =
        new RtcViewer.Tracks(
            agreed.video().codec().payloadType(),
            videoSsrc,
            audio.map(a -> a.codec().payloadType()).orElse(-1),
            audioSsrc,
            cname);
    int audioClock = audio.map(a -> a.codec().rtpMap().clockRate()).orElse(8000);
    RtcViewer viewer =
        new RtcViewer(
            id,
            stream,
            session,
            payloads,
            audioClock,
            settings.dropRate(),
            viewerSession::sent,
            addedLatency,
            settings.nackBudget().start(System.nanoTime()),
            this::ended);
    made[0] = viewer;
    sessions.put(id, new Entry(viewer, viewerSession));
    if (caller != null) {
      viewerSession.runOn(caller, why -> viewer.close(why.reason()));
    }
    if (viewerSession.ended()) { // disconnected before the viewer existed
      viewer.close(DISCONNECTED);
    }
    LOG.info(
        "{}: WebRTC session {} for {} (video pt {}{})",
        key,
        id.substring(0, 8),
        user,
        payloads.videoPayloadType(),
        audio.isPresent() ? ", audio pt " + payloads.audioPayloadType() : "");
    return new Outcome.Created(id, answer);
  }

  private void ended(RtcViewer viewer) {
    Entry e = sessions.remove(viewer.id());
    if (e != null) {
      e.session().end();
      RtcViewer.Stats st = viewer.stats();
      LOG.info(
          "{}: WebRTC session {} ended ({}); receiver: loss {}/256, {} lost, jitter {} ticks, rtt {} ms; "
              + "answered {} NACKs ({} packets again, {} refused over the budget), {} keyframe requests; {} skips to a keyframe",
          viewer.stream().key(),
          viewer.id().substring(0, 8),
          viewer.transport().closeReason().orElse("closed"),
          st.fractionLost(),
          st.cumulativeLost(),
          st.jitter(),
          st.roundTripSeconds() < 0 ? "?" : Long.toString(Math.round(st.roundTripSeconds() * 1000)),
          st.nacks(),
          st.retransmitted(),
          st.retransmissionsRefused(),
          st.keyframeRequests(),
          st.skips());
    }
  }

  /** Ends a session of {@code key} (WHEP DELETE); false if there is none with that id. */
  public boolean end(StreamKey key, String id) {
    Entry e = sessions.get(id);
    if (e == null || !e.viewer().stream().key().equals(key)) {
      return false;
    }
    e.viewer().close("ended by the viewer");
    return true;
  }

  /** A fresh token's caller (checked for the stream) for session {@code id} of {@code key}. */
  public Renewal renew(StreamKey key, String id, Caller fresh) {
    Entry e = sessions.get(id);
    if (e == null || !e.viewer().stream().key().equals(key)) {
      return Renewal.NO_SESSION;
    }
    return e.session().renew(fresh) ? Renewal.RENEWED : Renewal.OTHER_USER;
  }

  /**
   * When session {@code id} of {@code key} ends unless renewed again, or null if there is none (or
   * no lease).
   */
  public java.time.Instant deadline(StreamKey key, String id) {
    Entry e = sessions.get(id);
    if (e == null || !e.viewer().stream().key().equals(key) || e.session().lease() == null) {
      return null;
    }
    return e.session().lease().deadline();
  }

  /** Ends session {@code id} of {@code key} because of its token; false if there is none. */
  public boolean end(StreamKey key, String id, Ending why) {
    Entry e = sessions.get(id);
    if (e == null || !e.viewer().stream().key().equals(key)) {
      return false;
    }
    e.viewer().close(why.reason());
    return true;
  }

  /**
   * Ingest receipt → last RTP packet sent, per live frame and viewer ({@code protocol="webrtc"}).
   */
  public AddedLatency addedLatency() {
    return addedLatency;
  }

  /** Whether a session is still on. */
  public boolean alive(String id) {
    return sessions.containsKey(id);
  }

  /** Closes the sessions and the UDP port; the streams stay with their hubs, which close them. */
  @Override
  public void close() {
    closing = true;
    for (Entry e : List.copyOf(sessions.values())) {
      e.viewer().close("server shutting down");
    }
    transport.close();
  }
}
