package io.camflow.media;

import static io.camflow.media.testing.FuzzInputs.mutate;
import static io.camflow.media.testing.FuzzInputs.randomBytes;
import static org.junit.jupiter.api.Assertions.fail;

import io.camflow.media.annexb.AnnexB;
import io.camflow.media.au.AccessUnitAssembler;
import io.camflow.media.h264.H264NalType;
import io.camflow.media.h264.H264Sps;
import io.camflow.media.h265.H265NalType;
import io.camflow.media.h265.H265Sps;
import io.camflow.media.testing.Bitstreams;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated input into every parser: the only exception allowed out is the documented
 * {@link IllegalArgumentException} (and none at all out of {@link AccessUnitAssembler#assemble}).
 * Seeded, so a failure reproduces.
 */
class FuzzTest {

  private static final int ROUNDS = 3000;

  @Test
  void annexBSplitNeverThrows() {
    Random random = new Random(1);
    byte[] stream = Bitstreams.resource("h264_720p25_aud.h264");
    for (int i = 0; i < ROUNDS; i++) {
      byte[] input =
          i % 2 == 0 ? randomBytes(random, 64) : mutate(random, slice(random, stream, 200));
      expectOnlyIllegalArgument(input, AnnexB::split);
      expectOnlyIllegalArgument(
          input, data -> AnnexB.splitLengthPrefixed(data, 1 + random.nextInt(4)));
    }
  }

  @Test
  void h264SpsParseThrowsOnlyIllegalArgument() {
    List<byte[]> seeds =
        List.of(
            Bitstreams.firstH264("h264_720p25_aud.h264", H264NalType.SPS),
            Bitstreams.firstH264("h264_768p10_444.h264", H264NalType.SPS),
            Bitstreams.firstH264("h264_1080i25_422.h264", H264NalType.SPS));
    Random random = new Random(2);
    for (int i = 0; i < ROUNDS; i++) {
      byte[] input = mutate(random, seeds.get(i % seeds.size()).clone());
      if (input.length > 0) {
        input[0] = 0x67; // keep it an SPS so the parser gets past the type check
      }
      expectOnlyIllegalArgument(input, H264Sps::parse);
      expectOnlyIllegalArgument(input, H264Sps::parseId);
      byte[] noise = randomBytes(random, 40);
      if (noise.length > 0) {
        noise[0] = 0x67;
      }
      expectOnlyIllegalArgument(noise, H264Sps::parse);
    }
  }

  @Test
  void h265SpsParseThrowsOnlyIllegalArgument() {
    List<byte[]> seeds =
        List.of(
            Bitstreams.firstH265("h265_720p25.h265", H265NalType.SPS),
            Bitstreams.firstH265("h265_564p30_main10.h265", H265NalType.SPS));
    Random random = new Random(3);
    for (int i = 0; i < ROUNDS; i++) {
      byte[] input = mutate(random, seeds.get(i % seeds.size()).clone());
      if (input.length > 0) {
        input[0] = 0x42;
      }
      expectOnlyIllegalArgument(input, H265Sps::parse);
      expectOnlyIllegalArgument(input, H265Sps::parseId);
      byte[] noise = randomBytes(random, 60);
      if (noise.length > 0) {
        noise[0] = 0x42;
      }
      expectOnlyIllegalArgument(noise, H265Sps::parse);
    }
  }

  @Test
  void decoderConfigurationRecordsThrowOnlyIllegalArgument() {
    Random random = new Random(4);
    byte[] avcC = Bitstreams.resource("h264_720p25.avcC");
    byte[] hvcC = Bitstreams.resource("h265_720p25.hvcC");
    for (int i = 0; i < ROUNDS; i++) {
      expectOnlyIllegalArgument(
          mutate(random, avcC.clone()), H264Sps::parseAvcDecoderConfigurationRecord);
      expectOnlyIllegalArgument(
          mutate(random, hvcC.clone()), H265Sps::parseHevcDecoderConfigurationRecord);
    }
  }

  @Test
  void assembleNeverThrows() {
    Random random = new Random(5);
    for (Codec codec : List.of(Codec.H264, Codec.H265)) {
      List<byte[]> packets =
          Bitstreams.annexBPackets(
              codec == Codec.H264 ? "h264_720p25_aud.h264" : "h265_720p25.h265", codec);
      AccessUnitAssembler assembler = new AccessUnitAssembler(codec, 0, 90_000);
      for (int i = 0; i < ROUNDS; i++) {
        byte[] packet =
            switch (i % 3) {
              case 0 -> randomBytes(random, 100);
              case 1 -> mutate(random, packets.get(random.nextInt(packets.size())).clone());
              default -> packets.get(random.nextInt(packets.size()));
            };
        try {
          assembler.assemble(packet, i, Long.MIN_VALUE);
          assembler.format();
        } catch (RuntimeException e) {
          fail(codec + " round " + i + ": assemble threw", e);
        }
      }
    }
  }

  @Test
  void outOfBandParameterSetsThrowOnlyIllegalArgument() {
    Random random = new Random(6);
    byte[] avcC = Bitstreams.resource("h264_720p25.avcC");
    for (int i = 0; i < ROUNDS; i++) {
      AccessUnitAssembler assembler = new AccessUnitAssembler(Codec.H264, 0, 90_000);
      expectOnlyIllegalArgument(mutate(random, avcC.clone()), assembler::setOutOfBandParameterSets);
    }
  }

  private static void expectOnlyIllegalArgument(byte[] input, Consumer<byte[]> parser) {
    try {
      parser.accept(input);
    } catch (IllegalArgumentException expected) {
      // documented
    } catch (RuntimeException e) {
      fail("undocumented " + e + " for input " + HexFormat.of().formatHex(input), e);
    }
  }

  private static byte[] slice(Random random, byte[] stream, int maxLength) {
    int from = random.nextInt(stream.length);
    return Arrays.copyOfRange(
        stream, from, Math.min(stream.length, from + 1 + random.nextInt(maxLength)));
  }
}
