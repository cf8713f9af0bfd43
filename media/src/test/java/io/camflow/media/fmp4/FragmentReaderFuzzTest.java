package io.camflow.media.fmp4;

import static io.camflow.media.fmp4.FragmentReaderTest.box;
import static io.camflow.media.fmp4.FragmentReaderTest.bytes;
import static io.camflow.media.fmp4.FragmentReaderTest.concat;
import static io.camflow.media.fmp4.FragmentReaderTest.fragment;
import static io.camflow.media.fmp4.FragmentReaderTest.fullBox;
import static io.camflow.media.fmp4.FragmentReaderTest.moof;
import static io.camflow.media.fmp4.FragmentReaderTest.tfdt0;
import static io.camflow.media.fmp4.FragmentReaderTest.tfdt1;
import static io.camflow.media.fmp4.FragmentReaderTest.traf;
import static io.camflow.media.fmp4.FragmentReaderTest.u32;
import static io.camflow.media.fmp4.FragmentReaderTest.u64;
import static io.camflow.media.testing.FuzzInputs.mutate;
import static io.camflow.media.testing.FuzzInputs.randomBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.camflow.media.fmp4.FragmentReader.SampleRef;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mutated fragments into {@link FragmentReader}: the only exception allowed out is {@link
 * IllegalArgumentException}, and whatever is accepted points inside the input. Seeded, so a failure
 * reproduces; the timeout catches a loop that never ends.
 */
class FragmentReaderFuzzTest {

  private static final int ROUNDS = 20_000;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void mutatedFragmentsThrowOnlyIllegalArgument() {
    Random random = new Random(21);
    List<byte[]> seeds = seeds(random);
    int accepted = 0;
    for (int i = 0; i < ROUNDS; i++) {
      byte[] seed = seeds.get(random.nextInt(seeds.size()));
      byte[] input =
          switch (i % 4) {
            case 0 -> mutate(random, seed.clone());
            case 1 -> mutateOneMoof(random, seed);
            case 2 -> rewriteOneField(random, seed);
            default -> randomBytes(random, 120);
          };
      accepted += readOrIllegalArgument(input);
    }
    assertTrue(
        accepted > ROUNDS / 20 && accepted < ROUNDS * 3 / 4,
        "accepted " + accepted + ": both outcomes exercised");
  }

  /** Returns 1 if the input was read. */
  private static int readOrIllegalArgument(byte[] input) {
    List<SampleRef> refs;
    try {
      refs = FragmentReader.read(input);
    } catch (IllegalArgumentException expected) {
      return 0;
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      fail("undocumented " + e + " for " + HexFormat.of().formatHex(input), e);
      return 0;
    }
    for (SampleRef ref : refs) {
      assertTrue(
          ref.trackId() >= 1
              && ref.decodeTime() >= 0
              && ref.duration() >= 0
              && ref.size() >= 0
              && ref.dataOffset() >= 0
              && ref.dataOffset() + (long) ref.size() <= input.length,
          () -> ref + " for " + HexFormat.of().formatHex(input));
    }
    byte[] padded = concat(new byte[3], input, new byte[2]);
    List<SampleRef> shifted = FragmentReader.read(padded, 3, input.length);
    assertEquals(refs.size(), shifted.size());
    for (int i = 0; i < refs.size(); i++) {
      assertEquals(refs.get(i).dataOffset() + 3, shifted.get(i).dataOffset());
    }
    return 1;
  }

  /** The bytes of one moof mutated; the sample data around it left alone. */
  private static byte[] mutateOneMoof(Random random, byte[] seed) {
    List<Mp4Boxes.Box> moofs = Mp4Boxes.findAll(Mp4Boxes.parse(seed), "moof");
    Mp4Boxes.Box moof = moofs.get(random.nextInt(moofs.size()));
    return concat(
        Arrays.copyOfRange(seed, 0, moof.offset()),
        mutate(random, Arrays.copyOfRange(seed, moof.offset(), moof.end())),
        Arrays.copyOfRange(seed, moof.end(), seed.length));
  }

  /**
   * A random version and flags, or a random 32-bit value, in the first fields of a tfhd, tfdt or
   * trun: the flag combinations and counts no bit flip is likely to hit.
   */
  private static byte[] rewriteOneField(Random random, byte[] seed) {
    List<Mp4Boxes.Box> boxes = Mp4Boxes.parse(seed);
    List<Mp4Boxes.Box> fields = new ArrayList<>();
    for (String type : List.of("tfhd", "tfdt", "trun")) {
      fields.addAll(Mp4Boxes.findAll(boxes, "moof/traf/" + type));
    }
    Mp4Boxes.Box box = fields.get(random.nextInt(fields.size()));
    int word = random.nextInt(Math.min(4, box.payloadSize() / 4));
    int value =
        word == 0
            ? (random.nextInt(3) << 24) | (random.nextInt() & 0x030F3F)
            : random.nextBoolean() ? random.nextInt() : random.nextInt(200) - 50;
    byte[] out = seed.clone();
    ByteBuffer.wrap(out).putInt(box.payloadOffset() + 4 * word, value);
    return out;
  }

  /** Valid inputs with small samples, so most mutations hit the boxes rather than the data. */
  private static List<byte[]> seeds(Random random) {
    List<byte[]> seeds = new ArrayList<>();
    List<List<TrackRun>> fragments = new ArrayList<>();
    for (int f = 0; f < 3; f++) {
      fragments.add(
          List.of(
              new TrackRun(
                  1,
                  f * 7200L,
                  List.of(smallSample(random, 3600, 3600), smallSample(random, 3600, -3600))),
              new TrackRun(2, f * 2048L, List.of(smallSample(random, 1024, 0)))));
    }
    seeds.add(FragmentReaderTest.concatFragments(fragments));
    seeds.add(concat(box("styp", bytes('c', 'm', 'f', 's')), Fragment.write(9, fragments.get(0))));
    seeds.add(
        fragment(
            at ->
                moof(
                    traf(
                        fullBox("tfhd", 0, 0x2003A, u32(1, 1, 3000, 2, SampleFlags.NON_SYNC)),
                        tfdt0(90_000),
                        fullBox("trun", 0, 0x5, u32(2, at, SampleFlags.SYNC)),
                        fullBox("trun", 1, 0xA00, u32(2, 2, 100, 2, -100))),
                    traf(
                        fullBox("tfhd", 0, 0x8, u32(2, 1024)),
                        tfdt1(48_000),
                        fullBox("trun", 0, 0x201, u32(1, at + 8, 3)))),
            bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)));
    seeds.add(
        fragment(
            at ->
                moof(
                    traf(
                        fullBox("tfhd", 0, 0x1, u32(1), u64(at)),
                        tfdt1(0),
                        fullBox("trun", 0, 0x300, u32(2, 10, 1, 10, 2)))),
            bytes(1, 2, 3)));
    return seeds;
  }

  private static Sample smallSample(Random random, int duration, int compositionOffset) {
    byte[] data = new byte[random.nextInt(6)];
    random.nextBytes(data);
    return new Sample(data, duration, compositionOffset, compositionOffset >= 0);
  }
}
