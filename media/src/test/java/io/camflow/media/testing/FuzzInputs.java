package io.camflow.media.testing;

import java.util.Arrays;
import java.util.Random;

/**
 * Inputs for the fuzz-style tests: random bytes with start codes sprinkled in, and mutations of
 * real ones.
 */
public final class FuzzInputs {

  private FuzzInputs() {}

  /**
   * Up to {@code maxLength} random bytes, with Annex-B start codes so the splitters have something
   * to find.
   */
  public static byte[] randomBytes(Random random, int maxLength) {
    byte[] bytes = new byte[random.nextInt(maxLength + 1)];
    random.nextBytes(bytes);
    for (int i = 0; i + 3 < bytes.length; i += 1 + random.nextInt(16)) {
      if (random.nextInt(3) == 0) {
        bytes[i] = 0;
        bytes[i + 1] = 0;
        bytes[i + 2] = 1;
      }
    }
    return bytes;
  }

  /** Flips bits, overwrites bytes and truncates; changes {@code input} in place (pass a copy). */
  public static byte[] mutate(Random random, byte[] input) {
    if (input.length == 0) {
      return input;
    }
    for (int n = random.nextInt(4); n >= 0; n--) {
      int at = random.nextInt(input.length);
      switch (random.nextInt(3)) {
        case 0 -> input[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> input[at] = (byte) random.nextInt(256);
        default -> input[at] = 0;
      }
    }
    return random.nextInt(3) == 0 ? Arrays.copyOf(input, random.nextInt(input.length + 1)) : input;
  }
}
