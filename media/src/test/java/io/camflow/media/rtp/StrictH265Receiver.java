package io.camflow.media.rtp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A strict RFC 7798 receiver (no DONL), written from the RFC independently of {@link
 * H265Packetizer}.
 */
final class StrictH265Receiver {

  private final List<List<byte[]>> units = new ArrayList<>();
  private List<byte[]> current = new ArrayList<>();
  private ByteArrayOutputStream fragment;

  void accept(RtpPacket packet) {
    byte[] p = packet.payload();
    if (p.length < 3) {
      throw new AssertionError("H.265 payload of " + p.length + " bytes");
    }
    int type = (p[0] >> 1) & 0x3F;
    if (type == 49) {
      fu(p);
    } else {
      if (fragment != null) {
        throw new AssertionError("FU not ended before a packet of type " + type);
      }
      if (type == 48) {
        ap(p);
      } else if (type < 48) {
        current.add(p.clone());
      } else {
        throw new AssertionError("packet type " + type);
      }
    }
    if (packet.header().marker()) {
      if (fragment != null) {
        throw new AssertionError("marker bit inside an FU");
      }
      units.add(current);
      current = new ArrayList<>();
    }
  }

  List<List<byte[]>> units() {
    if (!current.isEmpty()) {
      throw new AssertionError("last access unit has no marker bit");
    }
    return units;
  }

  private void ap(byte[] p) {
    int pos = 2;
    int count = 0;
    while (pos < p.length) {
      if (p.length - pos < 2) {
        throw new AssertionError("AP: dangling size byte");
      }
      int size = ((p[pos] & 0xFF) << 8) | (p[pos + 1] & 0xFF);
      pos += 2;
      if (size < 2 || size > p.length - pos) {
        throw new AssertionError(
            "AP: NAL size " + size + " with " + (p.length - pos) + " bytes left");
      }
      current.add(Arrays.copyOfRange(p, pos, pos + size));
      pos += size;
      count++;
    }
    if (count < 2) {
      throw new AssertionError("an AP must carry at least two NAL units (RFC 7798 4.4.2)");
    }
  }

  private void fu(byte[] p) {
    boolean start = (p[2] & 0x80) != 0;
    boolean end = (p[2] & 0x40) != 0;
    if (start && end) {
      throw new AssertionError("FU with both start and end bits");
    }
    if (p.length < 4) {
      throw new AssertionError("FU without payload");
    }
    if (start) {
      if (fragment != null) {
        throw new AssertionError("FU start inside another FU");
      }
      fragment = new ByteArrayOutputStream();
      int fuType = p[2] & 0x3F;
      fragment.write((p[0] & 0x81) | (fuType << 1));
      fragment.write(p[1]);
    } else if (fragment == null) {
      throw new AssertionError("FU continuation without a start");
    }
    fragment.write(p, 3, p.length - 3);
    if (end) {
      current.add(fragment.toByteArray());
      fragment = null;
    }
  }
}
