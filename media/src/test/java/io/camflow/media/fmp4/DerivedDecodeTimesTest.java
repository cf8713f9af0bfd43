package io.camflow.media.fmp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.au.AccessUnitAssembler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Decode times as ingest derives them for an RTP camera (presentation times only), checked against
 * the encoder's own and by FFmpeg: x264 and x265 output with B-frames (the fixtures' MP4 files),
 * fed to the access-unit assembler in decoding order with their pts alone, comes out with the very
 * decode times the encoder wrote, and the fMP4 made of them reads in FFmpeg with monotonic dts,
 * every pts at or after its dts, and every frame decoding.
 */
class DerivedDecodeTimesTest {

  private static final long BASE_SECONDS = 100_000;

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource({"h264_bframes.mp4, H264", "h265_bframes.mp4, H265"})
  void ptsAloneGiveTheEncodersDecodeTimes(String file, Codec codec) throws IOException {
    Fixtures.Track source = Fixtures.video(file, codec, 1, BASE_SECONDS);
    AccessUnitAssembler assembler = new AccessUnitAssembler(codec, 0, TrackFormat.VIDEO_TIMESCALE);
    List<AccessUnit> derived = new ArrayList<>();
    for (AccessUnit u : source.accessUnits()) {
      derived.add(assembler.assemble(u.data(), u.pts(), Long.MIN_VALUE).orElseThrow());
    }
    assertEquals(2, assembler.reorderDepth(), "the SPS says two frames of reordering");
    for (int i = 0; i < derived.size(); i++) {
      assertEquals(source.accessUnits().get(i).dts(), derived.get(i).dts(), "dts of frame " + i);
    }
    assertEquals(0, assembler.decodeTimeRepairs());

    Path out = dir.resolve("derived.mp4");
    try (OutputStream o = Files.newOutputStream(out)) {
      o.write(InitSegment.write(List.of(source.format())));
      List<Sample> samples = Fixtures.samples(derived);
      for (int i = 0; i < derived.size(); i++) {
        o.write(
            Fragment.write(
                i + 1, List.of(new TrackRun(1, derived.get(i).dts(), List.of(samples.get(i))))));
      }
    }
    List<Ffmpeg.Packet> packets = Ffmpeg.probe(out, false).packetsOf(0);
    assertEquals(derived.size(), packets.size(), "every frame is a packet");
    for (int i = 0; i < packets.size(); i++) {
      Ffmpeg.Packet p = packets.get(i);
      assertTrue(p.pts() >= p.dts(), "pts >= dts for packet " + i + ": " + p);
      if (i > 0) {
        assertTrue(p.dts() > packets.get(i - 1).dts(), "dts increases at packet " + i + ": " + p);
      }
    }
    Ffmpeg.assertDecodesWithoutError(out);
  }
}
