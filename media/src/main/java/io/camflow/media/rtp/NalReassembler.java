package io.camflow.media.rtp;

import io.camflow.media.TimestampUnwrapper;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Puts the NAL units of H.264 and H.265 RTP packets back together into pictures — the part RFC 6184
 * and RFC 7798 share, the inverse of {@link NalFragmenter}. The codecs differ only in how a payload
 * is read, which the given reader does.
 *
 * <p>Losses are kept inside the frame they hit. A sequence-number gap damages the frame that is
 * open and the one the next packet starts (the lost packets may have been its first NAL units); a
 * fragmented NAL unit that lost a piece is dropped whole, never emitted half. Late and duplicate
 * packets are dropped: reordering, if any, is undone before this (RTSP over TCP has none).
 */
final class NalReassembler implements Depacketizer {

  private static final byte[] START_CODE = {0, 0, 0, 1};

  private final int maxFrameSize;
  private final Function<byte[], NalPayload> reader;
  private final SequenceNumbers sequenceNumbers = new SequenceNumbers();
  private final TimestampUnwrapper timestamps = new TimestampUnwrapper(32);

  private boolean open;
  private long rtpTimestamp;
  private long timestamp;
  private ByteArrayOutputStream frame = new ByteArrayOutputStream();
  private boolean damaged;
  private boolean oversized;

  /** The fragmented NAL unit being joined, from its header on; null when none. */
  private ByteArrayOutputStream fragment;

  /**
   * @param maxFrameSize the largest frame (Annex B) to build; a larger one is dropped and reported
   *     damaged
   * @param reader reads one payload, throwing {@link MalformedRtpException} if it breaks its RFC
   */
  NalReassembler(int maxFrameSize, Function<byte[], NalPayload> reader) {
    if (maxFrameSize < 1) {
      throw new IllegalArgumentException("max frame size must be > 0, was " + maxFrameSize);
    }
    this.maxFrameSize = maxFrameSize;
    this.reader = reader;
  }

  @Override
  public List<ReceivedFrame> push(RtpPacket packet) {
    RtpHeader header = packet.header();
    int missing = sequenceNumbers.missingBefore(header.sequenceNumber());
    if (missing < 0) {
      return List.of();
    }
    NalPayload payload = reader.apply(packet.payload()); // throws before anything changed
    sequenceNumbers.accept(header.sequenceNumber());

    List<ReceivedFrame> done = new ArrayList<>(2);
    if (missing > 0 && open) {
      damage();
    }
    if (open && header.timestamp() != rtpTimestamp) {
      done.add(close()); // its marker was lost, or never sent
    }
    if (!open) {
      open = true;
      rtpTimestamp = header.timestamp();
      timestamp = timestamps.unwrap(rtpTimestamp);
      damaged = missing > 0;
    }
    switch (payload) {
      case NalPayload.Whole whole -> {
        abandonFragment();
        whole.nalUnits().forEach(this::append);
      }
      case NalPayload.Fragment part -> add(part);
    }
    if (header.marker()) {
      done.add(close());
    }
    return done;
  }

  @Override
  public List<ReceivedFrame> flush() {
    return open ? List.of(close()) : List.of();
  }

  private void add(NalPayload.Fragment part) {
    if (part.start()) {
      abandonFragment();
      fragment = new ByteArrayOutputStream();
      fragment.writeBytes(part.nalHeader());
    } else if (fragment == null) {
      damaged = true; // its start was lost
      return;
    }
    if (oversized
        || (long) frame.size() + START_CODE.length + fragment.size() + part.length()
            > maxFrameSize) {
      overflow();
      return;
    }
    fragment.write(part.packet(), part.offset(), part.length());
    if (part.end()) {
      frame.writeBytes(START_CODE);
      frame.writeBytes(fragment.toByteArray());
      fragment = null;
    }
  }

  private void append(byte[] nal) {
    if (oversized || (long) frame.size() + START_CODE.length + nal.length > maxFrameSize) {
      overflow();
      return;
    }
    frame.writeBytes(START_CODE);
    frame.writeBytes(nal);
  }

  /** The rest of the frame is lost: an unfinished fragment goes, the whole NAL units stay. */
  private void damage() {
    abandonFragment();
    damaged = true;
  }

  private void abandonFragment() {
    if (fragment != null) {
      fragment = null;
      damaged = true;
    }
  }

  /** Drops the frame's data; what else comes for it is ignored until it closes. */
  private void overflow() {
    frame = new ByteArrayOutputStream();
    fragment = null;
    oversized = true;
    damaged = true;
  }

  private ReceivedFrame close() {
    abandonFragment();
    ReceivedFrame received = new ReceivedFrame(timestamp, frame.toByteArray(), damaged);
    frame = new ByteArrayOutputStream();
    open = false;
    damaged = false;
    oversized = false;
    return received;
  }
}
