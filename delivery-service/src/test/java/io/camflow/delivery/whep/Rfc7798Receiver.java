package io.camflow.delivery.whep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A strict H.265 RTP receiver written from RFC 7798 (as Chrome's depacketizer reads it: no DONL, no
 * PACI), independent of camflow's packetizer: the RTP payloads of one access unit back to its NAL
 * units. Assertion failures say what is malformed.
 */
public final class Rfc7798Receiver {

  private Rfc7798Receiver() {}

  /** RFC 7798 4.4: single NAL unit packets, APs (4.4.2) and FUs (4.4.3), no DONL. */
  public static List<byte[]> depacketize(List<byte[]> payloads) {
    List<byte[]> nals = new ArrayList<>();
    ByteArrayOutputStream fu = null;
    for (byte[] p : payloads) {
      int type = (p[0] >> 1) & 0x3F;
      if (type == 48) {
        nals.addAll(aggregationUnits(p));
      } else if (type == 49) {
        boolean start = (p[2] & 0x80) != 0;
        boolean end = (p[2] & 0x40) != 0;
        if (start) {
          assertEquals(null, fu, "an FU starts inside another");
          fu = new ByteArrayOutputStream();
          fu.write(
              (p[0] & 0x81)
                  | ((p[2] & 0x3F) << 1)); // F and LayerId's high bit from the payload header
          fu.write(p[1]);
        }
        assertTrue(fu != null, "FU continuation without start");
        fu.write(p, 3, p.length - 3);
        if (end) {
          nals.add(fu.toByteArray());
          fu = null;
        }
      } else {
        assertTrue(type < 48, "packet type " + type);
        nals.add(p.clone());
      }
    }
    assertEquals(null, fu, "the access unit ends inside an FU");
    return nals;
  }

  /** The NAL units of an aggregation packet (RFC 7798 4.4.2, no DONL). */
  public static List<byte[]> aggregationUnits(byte[] ap) {
    List<byte[]> nals = new ArrayList<>();
    int pos = 2;
    while (pos < ap.length) {
      int size = ((ap[pos] & 0xFF) << 8) | (ap[pos + 1] & 0xFF);
      pos += 2;
      assertTrue(size >= 2 && pos + size <= ap.length, "aggregation unit size " + size);
      byte[] nal = new byte[size];
      System.arraycopy(ap, pos, nal, 0, size);
      nals.add(nal);
      pos += size;
    }
    return nals;
  }
}
