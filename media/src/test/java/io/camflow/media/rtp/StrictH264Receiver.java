package io.camflow.media.rtp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A strict RFC 6184 receiver written from the RFC, independently of {@link H264Packetizer}: it
 * rebuilds access units (as NAL unit lists) from RTP packets and fails loudly on anything a
 * tolerant receiver would have to guess about.
 */
final class StrictH264Receiver {

  /** A rebuilt access unit. */
  record Unit(long timestamp, List<byte[]> nalUnits) {}

  private final List<Unit> units = new ArrayList<>();
  private List<byte[]> current = new ArrayList<>();
  private long currentTimestamp = -1;
  private ByteArrayOutputStream fragment;
  private int expectedSequence = -1;

  void accept(RtpPacket packet) {
    RtpHeader header = packet.header();
    if (expectedSequence >= 0 && header.sequenceNumber() != expectedSequence) {
      throw new AssertionError(
          "sequence gap: expected " + expectedSequence + ", got " + header.sequenceNumber());
    }
    expectedSequence = (header.sequenceNumber() + 1) & 0xFFFF;
    if (currentTimestamp >= 0 && header.timestamp() != currentTimestamp) {
      throw new AssertionError("timestamp changed within an access unit without a marker bit");
    }
    currentTimestamp = header.timestamp();
    byte[] p = packet.payload();
    int type = p[0] & 0x1F;
    if ((p[0] & 0x80) != 0) {
      throw new AssertionError("forbidden_zero_bit set");
    }
    if (type == 28) {
      fuA(p);
    } else {
      if (fragment != null) {
        throw new AssertionError("FU-A not ended before a packet of type " + type);
      }
      if (type == 24) {
        stapA(p);
      } else if (type >= 1 && type <= 23) {
        current.add(p.clone());
      } else {
        throw new AssertionError("packet type " + type + " is not allowed in packetization-mode 1");
      }
    }
    if (header.marker()) {
      if (fragment != null) {
        throw new AssertionError("marker bit inside an FU-A");
      }
      units.add(new Unit(currentTimestamp, current));
      current = new ArrayList<>();
      currentTimestamp = -1;
    }
  }

  List<Unit> units() {
    if (!current.isEmpty()) {
      throw new AssertionError("last access unit has no marker bit");
    }
    return units;
  }

  private void stapA(byte[] p) {
    int pos = 1;
    if (p.length == 1) {
      throw new AssertionError("empty STAP-A");
    }
    while (pos < p.length) {
      if (p.length - pos < 2) {
        throw new AssertionError("STAP-A: dangling size byte");
      }
      int size = ((p[pos] & 0xFF) << 8) | (p[pos + 1] & 0xFF);
      pos += 2;
      if (size == 0 || size > p.length - pos) {
        throw new AssertionError(
            "STAP-A: NAL size " + size + " with " + (p.length - pos) + " bytes left");
      }
      current.add(Arrays.copyOfRange(p, pos, pos + size));
      pos += size;
    }
  }

  private void fuA(byte[] p) {
    if (p.length < 3) {
      throw new AssertionError("FU-A without payload");
    }
    boolean start = (p[1] & 0x80) != 0;
    boolean end = (p[1] & 0x40) != 0;
    if ((p[1] & 0x20) != 0) {
      throw new AssertionError("FU-A reserved bit set");
    }
    if (start && end) {
      throw new AssertionError("FU-A with both start and end bits (RFC 6184 5.8 forbids it)");
    }
    if (start) {
      if (fragment != null) {
        throw new AssertionError("FU-A start inside another FU-A");
      }
      fragment = new ByteArrayOutputStream();
      fragment.write((p[0] & 0xE0) | (p[1] & 0x1F));
    } else if (fragment == null) {
      throw new AssertionError("FU-A continuation without a start");
    }
    fragment.write(p, 2, p.length - 2);
    if (end) {
      current.add(fragment.toByteArray());
      fragment = null;
    }
  }
}
