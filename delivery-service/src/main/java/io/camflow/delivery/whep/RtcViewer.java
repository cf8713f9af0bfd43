package io.camflow.delivery.whep;

import io.camflow.delivery.sessions.AddedLatency;
import io.camflow.media.WallClock;
import io.camflow.media.record.MediaRecordFormat;
import io.camflow.media.rtcp.ReportBlock;
import io.camflow.media.rtcp.RtcpFormatException;
import io.camflow.media.rtcp.RtcpPacket;
import io.camflow.media.rtcp.RtcpReader;
import io.camflow.media.rtcp.SenderReports;
import io.camflow.media.rtp.RtpHeader;
import io.camflow.media.rtp.RtpPayload;
import io.camflow.media.rtp.RtpStamper;
import io.camflow.webrtc.TransportSession;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebRTC viewer: once its transport is connected it joins the stream, sends the GOP cache as a
 * burst (instant start), then every live frame — each with its own SSRCs, sequence numbers and
 * timestamps stamped on the stream's shared payloads — and answers the receiver's RTCP: NACKs from
 * the packets it sent lately, within its {@link RetransmissionBudget}, PLI/FIR with the GOP again,
 * reports into its statistics. It sends a sender report per track every second (A/V sync, round
 * trip).
 *
 * <p>One virtual thread per viewer sends, in order; the stream and the UDP reader only queue
 * events. A viewer that cannot keep up loses its queue and goes on at the next keyframe.
 */
final class RtcViewer implements RtcStream.Reader {

  private static final Logger LOG = LoggerFactory.getLogger(RtcViewer.class);
  private static final long REPORT_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long KEYFRAME_ANSWER_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  private static final long STREAM_QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final int QUEUE = 512;
  private static final int SENT_KEPT = 2048;
  private static final int MAX_NACKED = 256;

  /** Payload types and SSRCs the answer gave; {@code audioPayloadType < 0}: no audio. */
  record Tracks(
      int videoPayloadType, long videoSsrc, int audioPayloadType, long audioSsrc, String cname) {}

  /** The receiver's last word on the video (from its reports) and what we did for it. */
  record Stats(
      long nacks,
      long retransmitted,
      long retransmittedBytes,
      long retransmissionsRefused,
      long keyframeRequests,
      int fractionLost,
      int cumulativeLost,
      long jitter,
      double roundTripSeconds,
      long skips) {}

  private sealed interface Event {}

  private record Begin(RtcStream.Start start) implements Event {}

  private record Media(RtcStream.Frame frame) implements Event {}

  private record Resend(int ssrc, List<Integer> lost) implements Event {}

  private record Keyframe() implements Event {}

  private record Skip() implements Event {}

  /** Wakes the sending thread when the viewer closes. */
  private record Stop() implements Event {}

  /** One outgoing track. */
  private static final class Track {
    final RtpStamper stamper;
    final RtpTimeline timeline;
    final SentPackets sent = new SentPackets(SENT_KEPT);
    final int payloadType;
    final long ssrc;
    final int clockRate;
    long packets;
    long octets;
    long lastSendNanos;
    long lastCaptureMicros;
    boolean sending;

    Track(int payloadType, long ssrc, int clockRate) {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      this.payloadType = payloadType;
      this.ssrc = ssrc;
      this.clockRate = clockRate;
      this.stamper = new RtpStamper(payloadType, ssrc, r.nextInt(0x10000), 0);
      this.timeline = new RtpTimeline(r.nextLong(0x1_0000_0000L), clockRate);
    }
  }

  private final String id;
  private final RtcStream stream;
  private final TransportSession transport;
  private final Track video;
  private final Track audio;
  private final byte[] cname;
  private final double dropRate;
  private final Consumer<RtcViewer> onClosed;
  private final java.util.function.LongConsumer sentBytes;
  private final AddedLatency addedLatency;
  private final BlockingQueue<Event> events = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicBoolean closed = new AtomicBoolean();
  private final byte[] packet = new byte[1500];
  private final byte[] report;
  private final AtomicLong nacks = new AtomicLong();
  private final AtomicLong keyframeRequests = new AtomicLong();
  private volatile long retransmitted;
  private volatile long retransmittedBytes;
  private final RetransmissionBudget budget;
  private volatile long skips;
  private volatile ReportBlock lastReport;
  private volatile double roundTrip = -1;
  private boolean waitForKeyframe;
  private long lastKeyframeBurstNanos;
  private long nextReportNanos;

  /**
   * @param dropRate share of outgoing RTP packets dropped on purpose (a loss test), 0 normally
   * @param sentBytes told of the payload bytes of every frame sent (the session's byte count)
   * @param addedLatency takes ingest receipt → last packet sent of every live frame
   * @param budget how many bytes NACKs may have sent again
   * @param onClosed told once when the viewer ends, for whatever reason
   */
  RtcViewer(
      String id,
      RtcStream stream,
      TransportSession transport,
      Tracks tracks,
      int audioClockRate,
      double dropRate,
      java.util.function.LongConsumer sentBytes,
      AddedLatency addedLatency,
      RetransmissionBudget budget,
      Consumer<RtcViewer> onClosed) {
    this.budget = budget;
    this.sentBytes = sentBytes;
    this.addedLatency = addedLatency;
    this.id = id;
    this.stream = stream;
    this.transport = transport;
    this.video = new Track(tracks.videoPayloadType(), tracks.videoSsrc(), 90_000);
    this.audio =
        tracks.audioPayloadType() < 0
            ? null
            : new Track(tracks.audioPayloadType(), tracks.audioSsrc(), audioClockRate);
    this.cname = tracks.cname().getBytes(StandardCharsets.US_ASCII);
    this.report = new byte[SenderReports.size(cname.length)];
    this.dropRate = dropRate;
    this.onClosed = onClosed;
    transport.onRtcp(this::rtcp);
    transport.onClosed(this::close);
    transport.onConnected(this::connected);
  }

  String id() {
    return id;
  }

  RtcStream stream() {
    return stream;
  }

  /** Whether the answer gave this viewer an audio track. */
  @Override
  public boolean receivesAudio() {
    return audio != null;
  }

  TransportSession transport() {
    return transport;
  }

  private void connected() {
    if (closed.get()) {
      return;
    }
    Thread.ofVirtual().name("camflow-rtc-" + id).start(this::run);
    if (!stream.join(this)) {
      close("the stream stopped");
    } else if (closed.get()) {
      stream.leave(
          this); // closed while joining: close() left before the join, the stream must not keep it
    }
  }

  /** The stream's GOP to start with (under the stream's lock). */
  @Override
  public void start(RtcStream.Start start) {
    offer(new Begin(start));
  }

  /** A new frame of the stream (under the stream's lock). */
  @Override
  public void frame(RtcStream.Frame frame) {
    if (!frame.forWebRtc()) {
      return; // the camera's AAC, for RTSP readers
    }
    offer(new Media(frame));
  }

  private void offer(Event e) {
    if (!events.offer(e)) {
      events.clear(); // too far behind: what is queued is stale, go on at the next keyframe
      events.offer(new Skip());
      events.offer(e);
    }
  }

  private void run() {
    nextReportNanos = System.nanoTime() + REPORT_NANOS / 4;
    try {
      while (!closed.get()) {
        long wait = nextReportNanos - System.nanoTime();
        Event e = wait > 0 ? events.poll(wait, TimeUnit.NANOSECONDS) : null;
        if (e != null) {
          handle(e);
        }
        if (System.nanoTime() >= nextReportNanos) {
          senderReports();
          nextReportNanos = System.nanoTime() + REPORT_NANOS;
        }
      }
    } catch (InterruptedException stopping) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("viewer {} of {}: sending failed: {}", id, stream.key(), e.toString(), e);
      close("sending failed");
    }
  }

  private void handle(Event e) {
    switch (e) {
      case Begin b -> burst(b.start().gop());
      case Media m -> {
        RtcStream.Frame f = m.frame();
        if (waitForKeyframe) {
          if (!(f.video() && f.rtp().keyframe())) {
            return;
          }
          waitForKeyframe = false;
        }
        send(f, false, false);
      }
      case Resend r -> resend(r);
      case Keyframe k -> {
        long now = System.nanoTime();
        long quiet = stream.quietNanos();
        if (quiet > STREAM_QUIET_NANOS) {
          return; // the camera sends nothing: old pictures again would hide that (the next session
          // starts at an IDR)
        }
        if (now - lastKeyframeBurstNanos > KEYFRAME_ANSWER_GAP_NANOS) {
          lastKeyframeBurstNanos = now;
          burst(stream.gop());
        }
      }
      case Skip s -> {
        skips++;
        waitForKeyframe = true;
      }
      case Stop s -> {} // the loop sees closed
    }
  }

  /** The GOP at once: video frames one tick apart (old audio is left out), live pace after it. */
  private void burst(List<RtcStream.Frame> gop) {
    int last = -1;
    for (int i = 0; i < gop.size(); i++) {
      if (gop.get(i).video()) {
        last = i;
      }
    }
    for (int i = 0; i <= last; i++) {
      RtcStream.Frame f = gop.get(i);
      if (f.video()) {
        send(f, true, i == last);
      }
    }
    if (last >= 0) {
      waitForKeyframe = false; // the burst started at a keyframe
    }
  }

  private void send(RtcStream.Frame f, boolean burst, boolean lastOfBurst) {
    Track t = f.video() ? video : audio;
    if (t == null) {
      return;
    }
    long ts =
        burst
            ? t.timeline.burst(f.rtp().timestamp(), lastOfBurst)
            : t.timeline.live(f.rtp().timestamp());
    long now = System.nanoTime();
    for (RtpPayload p : f.rtp().payloads()) {
      int seq = t.stamper.nextSequenceNumber();
      int n = t.stamper.stamp(p, ts, packet, 0);
      t.sent.sent(p, seq, ts);
      budget.sent(n, now);
      t.packets++;
      t.octets += p.data().length;
      if (dropRate > 0 && ThreadLocalRandom.current().nextDouble() < dropRate) {
        continue; // lost on purpose (loss test): the receiver's NACK brings it back
      }
      transport.sendRtp(packet, 0, n);
    }
    sentBytes.accept(f.payloadBytes());
    if (!burst && f.receivedMicros() != MediaRecordFormat.RECEIVED_UNKNOWN) {
      addedLatency.record(WallClock.micros() - f.receivedMicros());
    }
    t.sending = true;
    t.lastSendNanos = System.nanoTime();
    t.lastCaptureMicros = f.captureMicros();
  }

  private void resend(Resend r) {
    Track t =
        (video.ssrc == (r.ssrc() & 0xFFFFFFFFL))
            ? video
            : audio != null && audio.ssrc == (r.ssrc() & 0xFFFFFFFFL) ? audio : null;
    if (t == null) {
      return;
    }
    int count = 0;
    long now = System.nanoTime();
    for (int seq : r.lost()) {
      if (++count > MAX_NACKED) {
        break;
      }
      SentPackets.Sent s = t.sent.find(seq);
      if (s == null) {
        continue; // too old: the receiver will ask for a keyframe
      }
      RtpPayload p = s.payload();
      if (!budget.take(RtpHeader.SIZE + p.data().length, now)) {
        continue; // over the budget (counted): a flood of NACKs must not multiply what the viewer
        // costs
      }
      long rtpTs = (s.timestamp() + p.timestampOffset()) & 0xFFFF_FFFFL;
      int h = new RtpHeader(t.payloadType, p.marker(), seq, rtpTs, t.ssrc).writeTo(packet, 0);
      System.arraycopy(p.data(), 0, packet, h, p.data().length);
      if (transport.sendRtp(packet, 0, h + p.data().length)) {
        retransmitted++;
        retransmittedBytes += h + p.data().length;
      }
    }
  }

  private void senderReports() {
    long nowMicros = System.currentTimeMillis() * 1000;
    long ntp = SenderReports.ntp(nowMicros);
    for (Track t : audio == null ? List.of(video) : List.of(video, audio)) {
      if (!t.sending) {
        continue;
      }
      // RTP time now: the last frame's timestamp plus the wall time since its capture
      long sinceCapture = Math.max(0, nowMicros - t.lastCaptureMicros);
      long rtp = (t.timeline.last() + sinceCapture * t.clockRate / 1_000_000) & 0xFFFF_FFFFL;
      int n = SenderReports.write(report, 0, (int) t.ssrc, ntp, rtp, t.packets, t.octets, cname);
      transport.sendRtcp(java.util.Arrays.copyOf(report, n));
    }
  }

  /** Called on the UDP reader thread with each decrypted RTCP compound packet. */
  private void rtcp(byte[] compound) {
    List<RtcpPacket> packets;
    try {
      packets = RtcpReader.read(compound);
    } catch (RtcpFormatException e) {
      LOG.debug("viewer {}: RTCP not understood: {}", id, e.getMessage());
      return;
    }
    for (RtcpPacket p : packets) {
      switch (p) {
        case RtcpPacket.Nack n -> {
          nacks.incrementAndGet();
          offerControl(new Resend(n.mediaSsrc(), n.lost()));
        }
        case RtcpPacket.Pli pli -> {
          keyframeRequests.incrementAndGet();
          offerControl(new Keyframe());
        }
        case RtcpPacket.Fir fir -> {
          keyframeRequests.incrementAndGet();
          offerControl(new Keyframe());
        }
        case RtcpPacket.ReceiverReport rr -> reports(rr.blocks());
        case RtcpPacket.SenderReport sr -> reports(sr.blocks());
        case RtcpPacket.Bye bye -> close("the viewer said goodbye");
        default -> {}
      }
    }
  }

  private void offerControl(Event e) {
    events.offer(
        e); // a full queue is dropped whole at the next frame; feedback can wait for the next
    // report
  }

  private void reports(List<ReportBlock> blocks) {
    long arrival = SenderReports.compact(SenderReports.ntp(System.currentTimeMillis() * 1000));
    for (ReportBlock b : blocks) {
      if ((b.ssrc() & 0xFFFFFFFFL) == video.ssrc) {
        lastReport = b;
        double rtt = b.roundTripSeconds(arrival);
        if (rtt >= 0) {
          roundTrip = rtt;
        }
      }
    }
  }

  Stats stats() {
    ReportBlock r = lastReport;
    return new Stats(
        nacks.get(),
        retransmitted,
        retransmittedBytes,
        budget.refusedPackets(),
        keyframeRequests.get(),
        r == null ? 0 : r.fractionLost(),
        r == null ? 0 : r.cumulativeLost(),
        r == null ? 0 : r.jitter(),
        roundTrip,
        skips);
  }

  /** Ends the viewer (idempotent): leaves the stream, closes the transport, tells the owner. */
  @Override
  public void close(String reason) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stream.leave(this);
    transport.close(reason);
    // wake the sender with an event, never Thread.interrupt(): an interrupt while it is in
    // DatagramChannel.send closes the channel — the port every viewer of this instance shares
    events.clear();
    events.offer(new Stop());
    onClosed.accept(this);
  }

  boolean closed() {
    return closed.get();
  }
}
