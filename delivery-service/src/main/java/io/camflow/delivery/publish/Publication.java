package io.camflow.delivery.publish;

import io.camflow.media.AccessUnit;
import io.camflow.media.CaptureClock;
import io.camflow.media.StreamKey;
import io.camflow.media.VideoFormat;
import io.camflow.media.WallClock;
import io.camflow.media.rtp.AacDepacketizer;
import io.camflow.media.rtp.AudioDepacketizer;
import io.camflow.media.rtp.Depacketizer;
import io.camflow.media.rtp.H264Depacketizer;
import io.camflow.media.rtp.H265Depacketizer;
import io.camflow.media.rtp.MalformedRtpException;
import io.camflow.media.rtp.RtpPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One publisher's push of a stream into camflow: its RTP packets, track by track, become the access
 * units of the stream's media topic — the records ingest would write for a pulled camera, with a
 * new source-session id — so HLS, MSE, WebRTC, RTSP readers, the DVR and the packager take it
 * unchanged. The records start at the first video keyframe (nothing before it decodes); their
 * capture time is the arrival of the frames, kept steady by a {@link CaptureClock}.
 *
 * <p>Confined to one thread (the publisher's connection's); {@link #end} may come from any.
 */
public final class Publication {

  private static final Logger LOG = LoggerFactory.getLogger(Publication.class);

  /** How often a streaming publication's rates go to its status record, as ingest's do: 5 s. */
  public static final long STATS_MICROS = 5_000_000;

  private final StreamKey key;
  private final String session = UUID.randomUUID().toString();
  private final List<TrackInput> inputs = new ArrayList<>();
  private final PublishSink sink;
  private final Consumer<String> stop;
  private final long startMicros = WallClock.micros();
  private final CaptureClock clock = new CaptureClock();
  private boolean started;
  private boolean ended;
  private boolean toldStreaming;
  private boolean toldOffline;
  private long accessUnits;
  private long keyframes;
  private long bytes;
  private long malformed;
  private long since;
  private long intervalStartMicros;
  private long intervalFrames;
  private long intervalBytes;
  private double fps;
  private double bitrateKbps;

  /**
   * @param tracks the described tracks; one of them video
   * @param stop closes the publisher's connection (which then calls {@link #end}), from any thread:
   *     when the publication cannot go on, or {@link #kick} says so
   */
  public Publication(
      StreamKey key, List<PublishedTrack> tracks, PublishSink sink, Consumer<String> stop) {
    this.key = key;
    this.sink = sink;
    this.stop = stop;
    for (PublishedTrack t : tracks) {
      inputs.add(new TrackInput(t, depacketizer(t)));
    }
    if (inputs.stream().noneMatch(i -> i.track().video())) {
      throw new IllegalArgumentException("a published stream needs a video track");
    }
  }

  private static Depacketizer depacketizer(PublishedTrack t) {
    return switch (t.codec()) {
      case H264 -> new H264Depacketizer();
      case H265 -> new H265Depacketizer();
      case AAC -> AacDepacketizer.aacHbr(t.clockRate());
      case PCMU, PCMA -> AudioDepacketizer.g711();
    };
  }

  /** Asks the publisher's connection to close (from any thread); it then calls {@link #end}. */
  public void kick(String why) {
    stop.accept(why);
  }

  public StreamKey key() {
    return key;
  }

  public String session() {
    return session;
  }

  /**
   * One RTP packet of the track at {@code index} in the description.
   *
   * @return false when it was dropped as malformed (counted; the publication goes on)
   */
  public boolean packet(int index, byte[] datagram) {
    if (ended || index < 0 || index >= inputs.size()) {
      return false;
    }
    long now = WallClock.micros();
    List<AccessUnit> units;
    try {
      units = inputs.get(index).push(RtpPacket.parse(datagram), now - startMicros);
    } catch (MalformedRtpException e) {
      if (malformed++ == 0) {
        LOG.info("{}: a published RTP packet was malformed and dropped: {}", key, e.getMessage());
      }
      return false;
    }
    for (AccessUnit au : units) {
      write(au, now);
    }
    return true;
  }

  private void write(AccessUnit au, long nowMicros) {
    if (ended) {
      return;
    }
    if (!started) {
      if (!au.codec().isVideo() || !au.keyframe()) {
        return; // a session's records start on a keyframe
      }
      started = true;
      LOG.info("{}: publishing (session {})", key, session);
    }
    long ptsMicros = au.pts() * 1_000_000 / au.timebase();
    long capture = clock.captureMicros(ptsMicros, CaptureClock.NO_TIME, nowMicros);
    if (!sink.media(key, au, session, capture / 1000, nowMicros)) {
      ended = true;
      stop.accept("Kafka is not taking the stream's records fast enough");
      return;
    }
    accessUnits++;
    bytes += au.data().length;
    intervalBytes += au.data().length;
    if (au.codec().isVideo()) {
      intervalFrames++;
    }
    if (au.codec().isVideo() && au.keyframe()) {
      keyframes++;
      if (!toldStreaming) {
        toldStreaming = true;
        since = System.currentTimeMillis();
        intervalStartMicros = nowMicros;
        intervalFrames = 0;
        intervalBytes = 0;
        sink.status(state(true, null));
        return;
      }
    }
    long elapsed = nowMicros - intervalStartMicros;
    if (toldStreaming && elapsed >= STATS_MICROS) {
      fps = Math.round(intervalFrames * 1e8 / elapsed) / 100.0;
      bitrateKbps = Math.round(intervalBytes * 8e5 / elapsed) / 100.0;
      intervalStartMicros = nowMicros;
      intervalFrames = 0;
      intervalBytes = 0;
      sink.status(state(true, null));
    }
  }

  /**
   * The publisher has gone (its connection closed, TEARDOWN, replaced): the open frames are written
   * and, if it had streamed, the stream is offline. Idempotent.
   *
   * @param why null for a clean end, else what ended it (for the status record)
   */
  public void end(String why) {
    if (!ended) {
      long now = WallClock.micros();
      for (TrackInput in : inputs) {
        for (AccessUnit au : in.flush(now - startMicros)) {
          write(au, now);
        }
      }
      ended = true;
    }
    if (toldStreaming && !toldOffline) {
      toldOffline = true;
      since = System.currentTimeMillis();
      fps = 0;
      bitrateKbps = 0;
      sink.status(state(false, why));
      LOG.info("{}: publisher gone (session {}){}", key, session, why == null ? "" : ": " + why);
    }
  }

  private PublicationState state(boolean streaming, String why) {
    return new PublicationState(
        key,
        streaming,
        since,
        session,
        format().orElse(null),
        why,
        accessUnits,
        keyframes,
        bytes,
        fps,
        bitrateKbps);
  }

  /** The video format, once its parameter sets are known. */
  public Optional<VideoFormat> format() {
    for (TrackInput in : inputs) {
      Optional<VideoFormat> f = in.format();
      if (f.isPresent()) {
        return f;
      }
    }
    return Optional.empty();
  }

  /** Frames dropped because a packet of them (or of a frame they refer to) was lost. */
  public long dropped() {
    return inputs.stream().mapToLong(TrackInput::dropped).sum();
  }

  public long accessUnits() {
    return accessUnits;
  }
}
