package io.camflow.delivery.publish;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.VideoFormat;
import io.camflow.media.au.AccessUnitAssembler;
import io.camflow.media.rtp.Depacketizer;
import io.camflow.media.rtp.ReceivedFrame;
import io.camflow.media.rtp.RtpPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One published track's RTP packets back into access units: its {@link Depacketizer}, and for video
 * an {@link AccessUnitAssembler} (parameter sets on every keyframe, decode times derived for
 * reordered frames) as for a pulled camera. A video frame that lost a packet is dropped, and so is
 * every frame after it up to the next keyframe: nothing that cannot be decoded reaches the record.
 *
 * <p>Timestamps: a track's access units count from the instant its first frame arrived, measured
 * from the publication's start ({@code epochMicros}), in its own clock rate; so the tracks of one
 * publication line up by arrival however their RTP timestamps began.
 */
final class TrackInput {

  private final PublishedTrack track;
  private final Depacketizer depacketizer;
  private final AccessUnitAssembler assembler;
  private long firstTimestamp = Long.MIN_VALUE;
  private long baseTicks;
  private boolean broken;
  private long dropped;

  TrackInput(PublishedTrack track, Depacketizer depacketizer) {
    this.track = track;
    this.depacketizer = depacketizer;
    if (track.video()) {
      assembler = new AccessUnitAssembler(track.codec(), track.index(), track.clockRate());
      if (track.config().length > 0) {
        assembler.setOutOfBandParameterSets(track.config());
      }
    } else {
      assembler = null;
    }
  }

  PublishedTrack track() {
    return track;
  }

  /**
   * The access units {@code packet} completes.
   *
   * @param sinceStartMicros how long after the publication's start the packet arrived
   * @throws io.camflow.media.rtp.MalformedRtpException when its payload breaks its format
   */
  List<AccessUnit> push(RtpPacket packet, long sinceStartMicros) {
    List<ReceivedFrame> frames = depacketizer.push(packet);
    if (frames.isEmpty()) {
      return List.of();
    }
    List<AccessUnit> out = new ArrayList<>(frames.size());
    for (ReceivedFrame f : frames) {
      accessUnit(f, sinceStartMicros).ifPresent(out::add);
    }
    return out;
  }

  /** What is still open when the publisher ends. */
  List<AccessUnit> flush(long sinceStartMicros) {
    List<AccessUnit> out = new ArrayList<>();
    for (ReceivedFrame f : depacketizer.flush()) {
      accessUnit(f, sinceStartMicros).ifPresent(out::add);
    }
    return out;
  }

  private Optional<AccessUnit> accessUnit(ReceivedFrame f, long sinceStartMicros) {
    if (firstTimestamp == Long.MIN_VALUE) {
      firstTimestamp = f.timestamp();
      baseTicks = sinceStartMicros * track.clockRate() / 1_000_000;
    }
    long pts = f.timestamp() - firstTimestamp + baseTicks;
    if (assembler == null) {
      if (f.damaged()) {
        dropped++;
        return Optional.empty();
      }
      byte[] config = track.config().length == 0 ? null : track.config();
      return Optional.of(
          new AccessUnit(
              track.index(), track.codec(), pts, pts, track.clockRate(), true, f.data(), config));
    }
    if (f.damaged()) {
      broken = true; // the pictures that refer to it would show the damage
      dropped++;
      return Optional.empty();
    }
    Optional<AccessUnit> au = assembler.assemble(f.data(), pts, Long.MIN_VALUE);
    if (au.isPresent() && broken) {
      if (!au.get().keyframe()) {
        dropped++;
        return Optional.empty();
      }
      broken = false;
    }
    return au;
  }

  /** Frames dropped: damaged, or after a damaged one before the next keyframe. */
  long dropped() {
    return dropped;
  }

  /** The video format the parameter sets give, once known. */
  Optional<VideoFormat> format() {
    return assembler == null ? Optional.empty() : assembler.format();
  }

  Codec codec() {
    return track.codec();
  }
}
