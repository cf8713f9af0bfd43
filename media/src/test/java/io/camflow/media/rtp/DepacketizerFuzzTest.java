package io.camflow.media.rtp;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.testing.Bitstreams;
import io.camflow.media.testing.FuzzInputs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated payloads, with sequence numbers and timestamps that jump, repeat and go back:
 * the depacketizers throw nothing but {@link MalformedRtpException}, stay usable after it, and
 * never build a frame above their limit. Seeded.
 */
class DepacketizerFuzzTest {

  private static final int ROUNDS = 20_000;
  private static final int MAX_FRAME_SIZE = 64 * 1024;

  @Test
  void h264() {
    List<byte[]> real = new ArrayList<>();
    H264Packetizer packetizer = new H264Packetizer(300);
    for (List<byte[]> au :
        Bitstreams.accessUnits(Bitstreams.resource("h264_240p15_baseline.h264"), Codec.H264)) {
      packetizer.packetize(au, List.of()).forEach(p -> real.add(p.data()));
    }
    fuzz(
        () -> new H264Depacketizer(MAX_FRAME_SIZE), real, new int[] {0x78, 0x7c, 0x65, 0x41}, 6184);
  }

  @Test
  void h265() {
    List<byte[]> real = new ArrayList<>();
    H265Packetizer packetizer = new H265Packetizer(300);
    for (List<byte[]> au :
        Bitstreams.accessUnits(Bitstreams.resource("h265_720p25.h265"), Codec.H265)) {
      packetizer.packetize(au, List.of()).forEach(p -> real.add(p.data()));
    }
    fuzz(
        () -> new H265Depacketizer(MAX_FRAME_SIZE), real, new int[] {0x60, 0x62, 0x26, 0x02}, 7798);
  }

  @Test
  void aac() {
    List<byte[]> real = new ArrayList<>();
    AacPacketizer packetizer = new AacPacketizer(200);
    Random random = new Random(1);
    for (int i = 0; i < 50; i++) {
      byte[] data = new byte[random.nextInt(700)];
      random.nextBytes(data);
      AccessUnit au = new AccessUnit(1, Codec.AAC, i * 1024L, i * 1024L, 48_000, true, data, null);
      packetizer.packetize(au, 48_000).payloads().forEach(p -> real.add(p.data()));
    }
    fuzz(() -> AacDepacketizer.aacHbr(48_000), real, new int[] {0}, 3640);
  }

  @Test
  void g711() {
    fuzz(AudioDepacketizer::g711, List.of(new byte[160]), new int[] {0}, 711);
  }

  /**
   * @param firstBytes first bytes to give random payloads (aggregation and fragmentation packet
   *     types), so that the readers get past the type
   */
  private static void fuzz(
      Supplier<Depacketizer> depacketizers, List<byte[]> real, int[] firstBytes, long seed) {
    Random random = new Random(seed);
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          int refused = 0;
          int frames = 0;
          for (int stream = 0; stream < ROUNDS / 100; stream++) {
            Depacketizer depacketizer = depacketizers.get();
            int sequenceNumber = random.nextInt(65_536);
            long timestamp = random.nextLong(1L << 32);
            for (int i = 0; i < 100; i++) {
              byte[] payload = payload(random, real, firstBytes);
              sequenceNumber = next(random, sequenceNumber);
              if (random.nextInt(4) == 0) {
                timestamp += random.nextInt(3) == 0 ? -3000 : 3000;
              }
              RtpPacket packet =
                  RtpPackets.packet(sequenceNumber, timestamp, random.nextInt(3) == 0, payload);
              List<ReceivedFrame> out;
              try {
                out = depacketizer.push(packet);
              } catch (MalformedRtpException expected) {
                refused++;
                continue;
              } catch (RuntimeException e) {
                fail("stream " + stream + " packet " + i + ": unexpected " + e, e);
                return;
              }
              frames += check(out);
            }
            frames += check(depacketizer.flush());
          }
          assertTrue(refused > 0 && frames > 0, refused + " refused, " + frames + " frames");
        });
  }

  private static int check(List<ReceivedFrame> frames) {
    for (ReceivedFrame frame : frames) {
      assertTrue(frame.data().length <= MAX_FRAME_SIZE, "frame of " + frame.data().length);
    }
    return frames.size();
  }

  /** Mostly the next number; sometimes a jump, a repeat or a step back. */
  private static int next(Random random, int sequenceNumber) {
    return switch (random.nextInt(20)) {
      case 0 -> random.nextInt(65_536);
      case 1 -> sequenceNumber;
      case 2 -> (sequenceNumber - 1 - random.nextInt(5)) & 0xFFFF;
      case 3 -> (sequenceNumber + 2 + random.nextInt(5)) & 0xFFFF;
      default -> (sequenceNumber + 1) & 0xFFFF;
    };
  }

  private static byte[] payload(Random random, List<byte[]> real, int[] firstBytes) {
    if (random.nextBoolean()) {
      byte[] packet = real.get(random.nextInt(real.size())).clone();
      return random.nextInt(4) == 0 ? packet : FuzzInputs.mutate(random, packet);
    }
    byte[] bytes = FuzzInputs.randomBytes(random, 1500);
    if (bytes.length > 0 && random.nextBoolean()) {
      bytes[0] = (byte) firstBytes[random.nextInt(firstBytes.length)];
    }
    return bytes;
  }
}
