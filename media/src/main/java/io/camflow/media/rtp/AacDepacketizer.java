package io.camflow.media.rtp;

import io.camflow.media.TimestampUnwrapper;
import io.camflow.media.bits.BitReader;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * AAC out of RTP as RFC 3640 {@code mpeg4-generic}, the inverse of {@link AacPacketizer}: the
 * AU-headers section (AU-size, then AU-Index for the first access unit and AU-Index-delta for the
 * others; no CTS, DTS or auxiliary data), then the access units. Each access unit becomes one frame
 * stamped with the packet's timestamp plus its place after the first times the frame length, so
 * interleaved streams come out in packet order, not time order. An access unit fragmented over
 * several packets (one AU-header each, with the whole unit's size; RFC 3640 3.2.3) is joined; one
 * that lost a fragment is returned damaged and empty. Whole access units are never damaged: a loss
 * takes the units it carried and nothing else.
 */
public final class AacDepacketizer implements Depacketizer {

  /** Samples per AAC-LC and HE-AAC frame. */
  public static final int FRAME_LENGTH = 1024;

  private final int clockRate;
  private final int sizeLength;
  private final int indexLength;
  private final int indexDeltaLength;
  private final int frameLength;
  private final SequenceNumbers sequenceNumbers = new SequenceNumbers();
  private final TimestampUnwrapper timestamps = new TimestampUnwrapper(32);

  /** The fragmented access unit being joined; null when none. */
  private ByteArrayOutputStream fragment;

  private int fragmentSize;
  private long fragmentRtpTimestamp;
  private long fragmentTimestamp;
  private boolean fragmentBroken;

  /**
   * @param clockRate the RTP clock rate of the track, for the caller (usually the sample rate)
   * @param sizeLength bits of an AU-size, 1..16 (the {@code sizelength} format parameter)
   * @param indexLength bits of an AU-Index, 0..8 ({@code indexlength})
   * @param indexDeltaLength bits of an AU-Index-delta, 0..8 ({@code indexdeltalength})
   * @param frameLength ticks of the RTP clock between consecutive access units ({@code
   *     constantDuration}; {@value #FRAME_LENGTH} when the clock rate is the sample rate)
   */
  public AacDepacketizer(
      int clockRate, int sizeLength, int indexLength, int indexDeltaLength, int frameLength) {
    if (clockRate <= 0 || frameLength <= 0) {
      throw new IllegalArgumentException(
          "clock rate and frame length must be > 0, were " + clockRate + ", " + frameLength);
    }
    if (sizeLength < 1 || sizeLength > 16) {
      throw new IllegalArgumentException("sizeLength must be 1..16, was " + sizeLength);
    }
    if (indexLength < 0 || indexLength > 8 || indexDeltaLength < 0 || indexDeltaLength > 8) {
      throw new IllegalArgumentException(
          "indexLength and indexDeltaLength must be 0..8, were "
              + indexLength
              + ", "
              + indexDeltaLength);
    }
    this.clockRate = clockRate;
    this.sizeLength = sizeLength;
    this.indexLength = indexLength;
    this.indexDeltaLength = indexDeltaLength;
    this.frameLength = frameLength;
  }

  /**
   * {@code mode=AAC-hbr}: 13-bit sizes, 3-bit indices (what cameras, FFmpeg and GStreamer send).
   */
  public static AacDepacketizer aacHbr(int clockRate) {
    return new AacDepacketizer(clockRate, 13, 3, 3, FRAME_LENGTH);
  }

  /** {@code mode=AAC-lbr}: 6-bit sizes, 2-bit indices. */
  public static AacDepacketizer aacLbr(int clockRate) {
    return new AacDepacketizer(clockRate, 6, 2, 2, FRAME_LENGTH);
  }

  public int clockRate() {
    return clockRate;
  }

  @Override
  public List<ReceivedFrame> push(RtpPacket packet) {
    RtpHeader header = packet.header();
    int missing = sequenceNumbers.missingBefore(header.sequenceNumber());
    if (missing < 0) {
      return List.of();
    }
    byte[] p = packet.payload();
    Units units = read(p); // throws before anything changed
    sequenceNumbers.accept(header.sequenceNumber());
    long timestamp = timestamps.unwrap(header.timestamp());

    List<ReceivedFrame> done = new ArrayList<>(units.sizes.length);
    boolean single = units.sizes.length == 1;
    int available = p.length - units.dataOffset;
    if (fragment != null) {
      if (single && header.timestamp() == fragmentRtpTimestamp && units.sizes[0] == fragmentSize) {
        fragmentBroken |= missing > 0;
        continueFragment(p, units.dataOffset, header.marker(), done);
        return done;
      }
      done.add(new ReceivedFrame(fragmentTimestamp, new byte[0], true)); // never finished
      fragment = null;
    }
    if (single && units.sizes[0] > available) {
      fragment = new ByteArrayOutputStream(units.sizes[0]);
      fragmentSize = units.sizes[0];
      fragmentRtpTimestamp = header.timestamp();
      fragmentTimestamp = timestamp;
      fragmentBroken = false;
      continueFragment(p, units.dataOffset, header.marker(), done);
      return done;
    }
    int pos = units.dataOffset;
    for (int i = 0; i < units.sizes.length; i++) {
      byte[] unit = Arrays.copyOfRange(p, pos, pos + units.sizes[i]);
      pos += units.sizes[i];
      done.add(new ReceivedFrame(timestamp + (long) units.serials[i] * frameLength, unit, false));
    }
    return done;
  }

  @Override
  public List<ReceivedFrame> flush() {
    if (fragment == null) {
      return List.of();
    }
    fragment = null;
    return List.of(new ReceivedFrame(fragmentTimestamp, new byte[0], true));
  }

  /**
   * Adds this packet's piece; the unit is done when its bytes are all there, and lost when the
   * marker (the last fragment) comes before that.
   */
  private void continueFragment(byte[] p, int from, boolean marker, List<ReceivedFrame> done) {
    int length = p.length - from;
    if (length > fragmentSize - fragment.size()) {
      fragmentBroken = true; // pieces of another unit
    }
    if (!fragmentBroken) {
      fragment.write(p, from, length);
      if (fragment.size() == fragmentSize) {
        done.add(new ReceivedFrame(fragmentTimestamp, fragment.toByteArray(), false));
        fragment = null;
        return;
      }
    }
    if (marker) {
      done.add(new ReceivedFrame(fragmentTimestamp, new byte[0], true));
      fragment = null;
    }
  }

  /** The AU sizes, their serial numbers after the first, and where the first unit starts. */
  private record Units(int[] sizes, int[] serials, int dataOffset) {}

  /** The AU-headers section (RFC 3640 3.2.1), checked against the payload's length. */
  private Units read(byte[] p) {
    if (p.length < 2) {
      throw new MalformedRtpException(
          "mpeg4-generic payload of " + p.length + " bytes has no AU-headers-length");
    }
    int headerBits = ((p[0] & 0xFF) << 8) | (p[1] & 0xFF);
    int headerBytes = (headerBits + 7) / 8;
    if (headerBytes > p.length - 2) {
      throw new MalformedRtpException(
          "AU-headers-length of "
              + headerBits
              + " bits overruns the "
              + p.length
              + "-byte payload");
    }
    int first = sizeLength + indexLength;
    int next = sizeLength + indexDeltaLength;
    if (headerBits < first || (headerBits - first) % next != 0) {
      throw new MalformedRtpException(
          "AU-headers-length of "
              + headerBits
              + " bits is no whole number of "
              + first
              + "/"
              + next
              + "-bit AU-headers");
    }
    int count = 1 + (headerBits - first) / next;
    int[] sizes = new int[count];
    int[] serials = new int[count];
    BitReader bits = new BitReader(p, 2, headerBytes);
    sizes[0] = bits.readBits(sizeLength);
    bits.skip(indexLength); // the first unit's index is the timestamp's
    long total = sizes[0];
    for (int i = 1; i < count; i++) {
      sizes[i] = bits.readBits(sizeLength);
      serials[i] = serials[i - 1] + 1 + bits.readBits(indexDeltaLength);
      total += sizes[i];
    }
    int dataOffset = 2 + headerBytes;
    if (count > 1 && total > p.length - dataOffset) {
      throw new MalformedRtpException(
          count
              + " access units of "
              + total
              + " bytes in all, but "
              + (p.length - dataOffset)
              + " bytes follow their headers");
    }
    return new Units(sizes, serials, dataOffset);
  }
}
