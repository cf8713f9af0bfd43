package io.camflow.e2e.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.rtcp.ReportBlock;
import io.camflow.media.rtcp.RtcpPacket;
import io.camflow.media.rtcp.RtcpReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The load client's receive statistics and its RTCP, read back with the server's own RTCP reader.
 */
class RtpReceptionTest {

  private static final int PT = 102;
  private static final int SSRC = 0x11223344;

  /** An RTP packet with a one-byte H.264 payload: NAL type {@code nal}, or an FU-A start of it. */
  private static byte[] rtp(int seq, long timestamp, boolean marker, int nal, boolean fuStart) {
    byte[] b = new byte[fuStart ? 15 : 14];
    b[0] = (byte) 0x80;
    b[1] = (byte) ((marker ? 0x80 : 0) | PT);
    b[2] = (byte) (seq >> 8);
    b[3] = (byte) seq;
    b[4] = (byte) (timestamp >> 24);
    b[5] = (byte) (timestamp >> 16);
    b[6] = (byte) (timestamp >> 8);
    b[7] = (byte) timestamp;
    b[8] = 0x11;
    b[9] = 0x22;
    b[10] = 0x33;
    b[11] = 0x44;
    if (fuStart) {
      b[12] = 0x7C; // FU indicator, type 28
      b[13] = (byte) (0x80 | nal);
    } else {
      b[12] = (byte) (0x60 | nal);
    }
    return b;
  }

  private static void feed(RtpReception r, byte[] p) {
    assertTrue(r.received(p, 0, p.length, true));
  }

  @Test
  void countsFramesKeyframesAndAGapThatARetransmissionFills() {
    RtpReception r = new RtpReception(PT);
    feed(r, rtp(65534, 1000, false, 5, true)); // IDR in FU-A, wraps the sequence numbers
    feed(r, rtp(65535, 1000, true, 5, false));
    feed(r, rtp(0, 4600, true, 1, false));
    feed(r, rtp(3, 8200, true, 1, false)); // 1 and 2 are missing
    assertEquals(List.of(1, 2), r.drainNacks());
    assertEquals(List.of(), r.drainNacks(), "each gap is NACKed once");
    RtpReception.Counts c = r.counts();
    assertEquals(4, c.packets());
    assertEquals(2, c.lost());
    assertEquals(3, c.frames());
    assertEquals(1, c.keyframes());
    assertTrue(r.startedAtKeyframe());

    feed(r, rtp(2, 8200, false, 1, false)); // a retransmission
    feed(r, rtp(2, 8200, false, 1, false)); // and a duplicate of it
    c = r.counts();
    assertEquals(1, c.lost());
    assertEquals(1, c.recovered());
    assertEquals(1, c.duplicates());
    assertEquals(2, c.nacked());
    assertFalse(r.takeNewLoss(), "not given up yet");
    assertFalse(
        r.received(new byte[] {(byte) 0x80, 96, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0}, 0, 12, true),
        "another payload type is not the video");
  }

  @Test
  void aPacketMissingLongEnoughIsGivenUpAndTheReportSaysSo() {
    RtpReception r = new RtpReception(PT);
    feed(r, rtp(10, 0, true, 1, false));
    feed(r, rtp(12, 0, true, 1, false));
    ReportBlock first = r.reportBlock(0, 0);
    assertEquals(SSRC, first.ssrc());
    assertEquals(1, first.cumulativeLost());
    assertEquals(85, first.fractionLost(), "1 of 3 expected, in 1/256");
    feed(r, rtp(12 + RtpReception.GIVE_UP + 1, 0, true, 1, false));
    assertTrue(r.takeNewLoss());
    assertEquals(
        RtpReception.GIVE_UP + 1, r.counts().lost(), "seq 11 for good, the new gap still open");
    assertEquals(12 + RtpReception.GIVE_UP + 1, r.reportBlock(0, 0).highestSequence());
  }

  @Test
  void theServersReaderUnderstandsOurFeedback() throws Exception {
    byte[] out = new byte[1200];
    int n = ReceiverRtcp.nack(out, 7, SSRC, List.of(100, 101, 116, 117, 200));
    List<RtcpPacket> read = RtcpReader.read(java.util.Arrays.copyOf(out, n));
    assertEquals(List.of(new RtcpPacket.Nack(7, SSRC, List.of(100, 101, 116, 117, 200))), read);

    n = ReceiverRtcp.pli(out, 7, SSRC);
    assertEquals(
        List.of(new RtcpPacket.Pli(7, SSRC)), RtcpReader.read(java.util.Arrays.copyOf(out, n)));

    ReportBlock block = new ReportBlock(SSRC, 12, 345, 70_000, 0, 0x12345678L, 6554);
    n = ReceiverRtcp.receiverReport(out, 7, block);
    assertEquals(
        List.of(new RtcpPacket.ReceiverReport(7, List.of(block))),
        RtcpReader.read(java.util.Arrays.copyOf(out, n)));
  }
}
