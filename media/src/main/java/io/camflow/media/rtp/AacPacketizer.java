package io.camflow.media.rtp;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * AAC over RTP as RFC 3640's {@code AAC-hbr} mode ({@code MPEG4-GENERIC}, what RTSP cameras, FFmpeg
 * and GStreamer use): one access unit per packet behind a 2-byte AU-headers-length (16 bits) and
 * one AU-header of a 13-bit size and a 3-bit index (0). An access unit longer than a packet is
 * fragmented (RFC 3640 3.2.3.1): each fragment carries the AU-header with the whole unit's size,
 * and the marker bit is set on the last one only. Timestamps count samples (the clock rate is the
 * sample rate).
 */
public final class AacPacketizer {

  /** The AU-headers-length field and one 16-bit AU-header. */
  static final int HEADERS = 4;

  /** The largest access unit a 13-bit AU-size can give. */
  static final int MAX_UNIT = (1 << 13) - 1;

  /** The SDP format parameters of this mode, before {@code config=}. */
  public static final String FORMAT =
      "streamtype=5;profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3";

  private final int maxPayload;

  public AacPacketizer(int maxPayload) {
    if (maxPayload <= HEADERS) {
      throw new IllegalArgumentException(
          "max payload must be > " + HEADERS + ", was " + maxPayload);
    }
    this.maxPayload = maxPayload;
  }

  /** One AAC frame as RTP payloads, its timestamp at {@code clockRate} (the sample rate). */
  public RtpFrame packetize(AccessUnit frame, int clockRate) {
    Objects.requireNonNull(frame, "frame");
    if (frame.codec() != Codec.AAC) {
      throw new IllegalArgumentException("not AAC: " + frame.codec());
    }
    byte[] data = frame.data();
    if (data.length > MAX_UNIT) {
      throw new IllegalArgumentException(
          "AAC frame of " + data.length + " bytes exceeds the 13-bit AU-size");
    }
    List<RtpPayload> payloads = new ArrayList<>();
    int room = maxPayload - HEADERS;
    for (int pos = 0; pos < data.length || pos == 0; pos += room) {
      int n = Math.min(room, data.length - pos);
      byte[] p = new byte[HEADERS + n];
      p[0] = 0;
      p[1] = 16; // AU-headers-length in bits: one 16-bit AU-header
      p[2] = (byte) (data.length >>> 5);
      p[3] = (byte) ((data.length & 0x1F) << 3); // index 0
      System.arraycopy(data, pos, p, HEADERS, n);
      payloads.add(new RtpPayload(p, pos + n >= data.length));
      if (data.length == 0) {
        break;
      }
    }
    return new RtpFrame(
        RtpClock.toClockRate(frame.pts(), frame.timebase(), clockRate), true, payloads);
  }
}
