package io.camflow.delivery.whep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.gop.Unit;
import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.StreamKey;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.h265.H265NalType;
import io.camflow.media.record.MediaRecordFormat;
import io.camflow.media.rtp.RtpPayload;
import io.camflow.media.sdp.H265ProfileTierLevel;
import io.camflow.media.sdp.StreamCodecs;
import io.camflow.testsupport.EncodedStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * H.265 through {@link RtcStream}: real libx265 access units become RTP payloads that an RFC 7798
 * receiver ({@link Rfc7798Receiver}) turns back into the same NAL units, and that FFmpeg decodes.
 */
class RtcStreamH265Test {

  private static final int GOP = 25;
  static List<AccessUnit> units;

  @BeforeAll
  static void encode() throws Exception {
    units = EncodedStream.h265(2, GOP, 1280, 720); // 2 GOPs of 1 s, no B-frames
  }

  private static RtcStream fed(List<AccessUnit> aus) {
    RtcStream stream = new RtcStream(new StreamKey("test", "h265"));
    long offset = 0;
    for (AccessUnit au : aus) {
      stream.unit(
          new Unit(
              au,
              "s1",
              offset++,
              1_700_000_000_000L + au.pts() / 90,
              MediaRecordFormat.RECEIVED_UNKNOWN));
    }
    return stream;
  }

  @Test
  void theStreamIsKnownAsH265WithItsProfileTierAndLevel() {
    RtcStream stream = fed(units);
    StreamCodecs codecs = stream.codecs().orElseThrow();
    assertEquals(Codec.H265, codecs.video());
    // x265 on 720p25: Main, Main tier, level 3.1 (ffprobe: profile=Main, level=93)
    assertEquals(new H265ProfileTierLevel(1, 0, 93), codecs.h265());
    assertFalse(stream.reorders());
  }

  @Test
  void everyIrapStartsWithTheParameterSetsInOneAggregationPacket() {
    RtcStream stream = fed(units);
    List<RtcStream.Frame> gop = stream.gop();
    assertEquals(GOP, gop.size(), "the GOP cache holds the frames since the latest IRAP");
    RtcStream.Frame first = gop.getFirst();
    assertTrue(first.video() && first.rtp().keyframe());
    assertEquals(90_000, first.clockRate());
    byte[] ap = first.rtp().payloads().getFirst().data();
    assertEquals(48, H265NalType.type(ap), "AP (RFC 7798 4.4.2)");
    List<byte[]> aggregated = Rfc7798Receiver.aggregationUnits(ap);
    assertEquals(
        List.of(H265NalType.VPS, H265NalType.SPS, H265NalType.PPS),
        aggregated.stream().map(H265NalType::type).toList());
    int firstSlice =
        first.rtp().payloads().stream()
            .skip(1)
            .mapToInt(
                p ->
                    H265NalType.type(p.data()) == 49
                        ? p.data()[2] & 0x3F
                        : H265NalType.type(p.data()))
            .filter(H265NalType::isVcl)
            .findFirst()
            .orElse(-1);
    assertTrue(
        H265NalType.isIrap(firstSlice),
        "the IRAP slice follows the parameter sets, type " + firstSlice);
    for (RtcStream.Frame f : gop.subList(1, gop.size())) {
      assertFalse(f.rtp().keyframe());
      assertTrue(
          f.rtp().payloads().stream().noneMatch(p -> H265NalType.type(p.data()) == 48),
          "parameter sets only before IRAPs");
    }
  }

  @Test
  void payloadsReassembleIntoTheEncodersNalUnitsAndFfmpegDecodesThem() throws Exception {
    RtcStream stream = fed(units);
    List<RtcStream.Frame> gop = stream.gop();
    List<AccessUnit> last = units.subList(units.size() - GOP, units.size());
    boolean fragmented = false;
    ByteArrayOutputStream elementary = new ByteArrayOutputStream();
    for (int i = 0; i < gop.size(); i++) {
      List<RtpPayload> payloads = gop.get(i).rtp().payloads();
      for (int p = 0; p < payloads.size(); p++) {
        assertTrue(payloads.get(p).data().length <= 1200, "payload within the MTU budget");
        assertEquals(
            p == payloads.size() - 1,
            payloads.get(p).marker(),
            "marker on the access unit's last packet");
        fragmented |= H265NalType.type(payloads.get(p).data()) == 49;
      }
      List<byte[]> received =
          Rfc7798Receiver.depacketize(payloads.stream().map(RtpPayload::data).toList());
      List<byte[]> sent = expectedNalUnits(last.get(i));
      assertEquals(sent.size(), received.size(), "NAL units of access unit " + i);
      for (int n = 0; n < sent.size(); n++) {
        assertArrayEquals(sent.get(n), received.get(n), "NAL unit " + n + " of access unit " + i);
      }
      received.forEach(nal -> elementary.writeBytes(AnnexB.join(List.of(nal))));
      assertEquals(last.get(i).pts(), gop.get(i).rtp().timestamp(), "90 kHz timestamps");
    }
    assertTrue(fragmented, "a 720p IRAP needs fragmentation units");

    assertEquals(
        GOP, FfmpegH265.decodedPictures(elementary.toByteArray()), "every picture decodes");
  }

  @Test
  void reorderedPicturesMarkTheStreamAsHavingBFrames() {
    List<AccessUnit> swapped = new ArrayList<>(units.subList(0, 5));
    AccessUnit b = swapped.get(2);
    AccessUnit p = swapped.get(3);
    swapped.set(2, new AccessUnit(0, Codec.H265, p.pts(), b.dts(), 90_000, false, b.data(), null));
    swapped.set(3, new AccessUnit(0, Codec.H265, b.pts(), p.dts(), 90_000, false, p.data(), null));
    assertTrue(fed(swapped).reorders());
  }

  /**
   * The NAL units a receiver must get: the access unit's without delimiters (an IRAP's data starts
   * with its parameter sets, as ingest writes it).
   */
  private static List<byte[]> expectedNalUnits(AccessUnit au) {
    List<byte[]> nals = new ArrayList<>();
    for (byte[] nal : AnnexB.split(au.data())) {
      if (H265NalType.type(nal) != H265NalType.AUD) {
        nals.add(nal);
      }
    }
    return nals;
  }
}
