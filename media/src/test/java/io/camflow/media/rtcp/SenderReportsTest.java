package io.camflow.media.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SenderReportsTest {

  @Test
  void ntpOfTheUnixEpochAndHalfASecond() {
    assertEquals(SenderReports.NTP_UNIX_OFFSET_SECONDS << 32, SenderReports.ntp(0));
    assertEquals(
        (SenderReports.NTP_UNIX_OFFSET_SECONDS << 32) | 0x80000000L, SenderReports.ntp(500_000));
    // 2026-11-21T00:00:00Z = 1 795 219 200 s since 1970
    assertEquals(1_795_219_200L + 2_208_988_800L, SenderReports.ntp(1_795_219_200_000_000L) >>> 32);
    assertEquals(0x12345678L, SenderReports.compact(0x0000_1234_5678_0000L));
  }

  @Test
  void writesASenderReportWithCnameThatReadsBack() throws Exception {
    byte[] cname = "camflow".getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[SenderReports.size(cname.length) + 3];
    long ntp = SenderReports.ntp(1_795_219_200_250_000L);
    int n = SenderReports.write(out, 3, 0xCAFEBABE, ntp, 0xF0000001L, 1234, 567_890, cname);
    assertEquals(SenderReports.size(cname.length), n);
    assertEquals(0, n % 4);
    List<RtcpPacket> back = RtcpReader.read(out, 3, n);
    RtcpPacket.SenderReport sr = assertInstanceOf(RtcpPacket.SenderReport.class, back.get(0));
    assertEquals(
        new RtcpPacket.SenderReport(0xCAFEBABE, ntp, 0xF0000001L, 1234, 567_890, List.of()), sr);
    assertEquals(new RtcpPacket.Other(RtcpPacket.SDES, 1), back.get(1));
    // the SDES chunk: SSRC, CNAME item, text, then zeros to the word
    int sdes = 3 + 28;
    assertEquals(1, out[sdes + 8]);
    assertEquals(cname.length, out[sdes + 9]);
    assertEquals("camflow", new String(out, sdes + 10, cname.length, StandardCharsets.US_ASCII));
    for (int i = sdes + 10 + cname.length; i < 3 + n; i++) {
      assertEquals(0, out[i]);
    }
  }

  @Test
  void roundTripFromAReportBlock() {
    // LSR = 0x00010000 (1 s), DLSR = 0x00008000 (0.5 s), arrival 0x00020000 (2 s): RTT 0.5 s
    ReportBlock block = new ReportBlock(1, 0, 0, 0, 0, 0x00010000, 0x00008000);
    assertEquals(0.5, block.roundTripSeconds(0x00020000), 1e-9);
    assertEquals(-1, new ReportBlock(1, 0, 0, 0, 0, 0, 0).roundTripSeconds(5));
  }
}
