package io.camflow.delivery.rtsp;

import io.camflow.delivery.sessions.ViewerSession;
import io.camflow.delivery.whep.RtcStream;
import io.camflow.delivery.whep.RtpTimeline;
import io.camflow.media.rtcp.SenderReports;
import io.camflow.media.rtp.RtpHeader;
import io.camflow.media.rtp.RtpPayload;
import io.camflow.media.rtp.RtpStamper;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One RTSP reader: it joins its {@link Source} — live, the stream's {@link RtcStream}, which hands
 * it the packetized frames since the latest keyframe (instant start) and then every new one; in
 * replay, the recording ({@link RecordedSource}) — and sends each packet — interleaved on the
 * connection or as a UDP datagram ({@link PacketSink}) — with its own header in front of the
 * stream's shared payload: no payload is copied per reader. Frames keep their true spacing (an NVR
 * records them), each track's timestamps on a random origin, and a sender report per track every
 * {@value #REPORT_SECONDS} s maps them to the capture clock.
 *
 * <p>All sending happens on the connection's event loop, in order. A reader that does not take what
 * it is sent — its way out past the high-water mark, or more than {@value #MAX_PENDING} frames not
 * yet sent — skips to the next keyframe: nothing grows without bound, and nothing it does reaches
 * another reader.
 */
final class RtspReader implements RtcStream.Reader {

  /** Where a reader's frames come from. */
  interface Source {
    /** The reader starts (or resumes) getting frames; false if the source has stopped. */
    boolean join(RtcStream.Reader reader);

    /** It gets no more (idempotent). */
    void leave(RtcStream.Reader reader);

    /** The live stream. */
    static Source live(RtcStream stream) {
      return new Source() {
        @Override
        public boolean join(RtcStream.Reader reader) {
          return stream.join(reader);
        }

        @Override
        public void leave(RtcStream.Reader reader) {
          stream.leave(reader);
        }
      };
    }
  }

  static final int MAX_PENDING = 1024;
  static final int REPORT_SECONDS = 2;
  private static final byte[] CNAME = "camflow".getBytes(StandardCharsets.US_ASCII);

  /** One track's sender state. */
  static final class Track {
    final PacketSink sink;
    final String encoding;
    final int clockRate;
    final RtpStamper stamper;
    final RtpTimeline timeline;
    final long origin;
    final int firstSequence;
    long packets;
    long octets;
    long lastOut;
    long lastCaptureMicros;
    long nextReportNanos;

    Track(PacketSink sink, String encoding, int payloadType, long ssrc, int clockRate) {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      this.sink = sink;
      this.encoding = encoding;
      this.clockRate = clockRate;
      this.firstSequence = r.nextInt(0x10000);
      this.origin = r.nextLong(0x1_0000_0000L);
      this.stamper = new RtpStamper(payloadType, ssrc, firstSequence, 0);
      this.timeline = new RtpTimeline(origin, clockRate);
    }

    /** The RTP timestamp of the first frame it sends (RTP-Info's rtptime). */
    long firstTimestamp() {
      return stamper.rtpTimestamp(origin);
    }
  }

  private final Source stream;
  private final Channel channel;
  private final Track video;
  private final Track audio;
  private final ViewerSession session;
  private final RtspServer.Counters counters;
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean overflowed;
  private boolean skipping; // event loop only
  private volatile long heardNanos = System.nanoTime();
  private final byte[] report = new byte[SenderReports.size(CNAME.length)];

  /**
   * @param audio the audio track, or null
   */
  RtspReader(
      Source stream,
      Channel channel,
      Track video,
      Track audio,
      ViewerSession session,
      RtspServer.Counters counters) {
    this.counters = counters;
    this.stream = stream;
    this.channel = channel;
    this.video = video;
    this.audio = audio;
    this.session = session;
  }

  Track video() {
    return video;
  }

  Track audio() {
    return audio;
  }

  ViewerSession session() {
    return session;
  }

  /** The client showed it is there (a request, an RTCP report). */
  void heard() {
    heardNanos = System.nanoTime();
  }

  /** Nanoseconds since the client last showed it is there. */
  long quietNanos() {
    return System.nanoTime() - heardNanos;
  }

  /** Starts (or, after PAUSE, resumes) at the stream's latest keyframe; false if it stopped. */
  boolean play() {
    return !closed.get() && stream.join(this);
  }

  /** PAUSE: leaves the stream, the session stays. */
  void pause() {
    stream.leave(this);
  }

  @Override
  public void start(RtcStream.Start start) {
    for (RtcStream.Frame f : start.gop()) {
      frame(f);
    }
  }

  @Override
  public void frame(RtcStream.Frame frame) {
    if (closed.get()) {
      return;
    }
    if (pending.incrementAndGet() > MAX_PENDING) {
      pending.decrementAndGet();
      overflowed = true;
      return;
    }
    channel
        .eventLoop()
        .execute(
            () -> {
              pending.decrementAndGet();
              send(frame);
            });
  }

  /** False: it takes the camera's audio as it is, never WebRTC's transcoded Opus. */
  @Override
  public boolean receivesAudio() {
    return false;
  }

  /** On the event loop. */
  private void send(RtcStream.Frame frame) {
    Track t = frame.video() ? video : audio;
    if (t == null || !t.encoding.equals(frame.encoding()) || closed.get()) {
      return; // not set up, or not this track's codec (the WebRTC side's Opus)
    }
    if (overflowed || !t.sink.writable()) {
      overflowed = false;
      if (!skipping) {
        skipping = true;
        counters.skipped();
      }
    }
    if (skipping) {
      if (!(frame.video() && frame.rtp().keyframe() && t.sink.writable())) {
        return;
      }
      skipping = false;
    }
    long out = t.timeline.live(frame.rtp().timestamp());
    int bytes = 0;
    int prefix = t.sink.prefix();
    for (RtpPayload p : frame.rtp().payloads()) {
      byte[] head = new byte[prefix + RtpHeader.SIZE];
      t.stamper.stampHeader(p, out, head, prefix);
      t.sink.rtp(head, p.data());
      t.packets++;
      t.octets += p.data().length;
      bytes += head.length + p.data().length;
    }
    t.lastOut = out;
    t.lastCaptureMicros = frame.captureMicros();
    long now = System.nanoTime();
    if (now - t.nextReportNanos >= 0) {
      t.nextReportNanos = now + TimeUnit.SECONDS.toNanos(REPORT_SECONDS);
      bytes += report(t);
    }
    t.sink.flush();
    session.sent(bytes);
    counters.sent(bytes);
  }

  /** A sender report on the track's RTCP channel: its last frame's RTP time = capture time. */
  private int report(Track t) {
    int n =
        SenderReports.write(
            report,
            0,
            (int) t.stamper.ssrc(),
            SenderReports.ntp(t.lastCaptureMicros),
            t.stamper.rtpTimestamp(t.lastOut),
            t.packets,
            t.octets,
            CNAME);
    t.sink.rtcp(report, n);
    return t.sink.prefix() + n;
  }

  /**
   * Ends the reader: it leaves the stream and its session ends; the connection closes if {@code
   * reason} is not null (the stream stopped, the session was ended) — RTSP 1.0 has no way for a
   * server to end a session but closing the connection.
   */
  @Override
  public void close(String reason) {
    if (closed.compareAndSet(false, true)) {
      stream.leave(this);
      session.end();
      if (reason != null) {
        channel.close();
      }
    }
  }
}
