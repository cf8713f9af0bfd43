package io.camflow.media.sdp;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random mutations of the real offers: the parser throws nothing but {@link SdpParseException} and
 * never hangs, and what parses negotiates (or is refused) without any exception. Seeded.
 */
class SdpFuzzTest {

  private static final int ROUNDS = 10_000;
  private static final String TOKENS = " :=/;*\r\n0123456789abcdefv=o=m=a=c=s=";
  private static final StreamCodecs HIGH =
      StreamCodecs.h264(H264ProfileLevelId.parse("640028"), RtpAudioCodec.OPUS);
  private static final StreamCodecs HEVC =
      StreamCodecs.h265(new H265ProfileTierLevel(1, 0, 123), RtpAudioCodec.OPUS);

  @Test
  void mutatedOffersFailOnlyWithTheParseException() {
    List<String> offers = Offers.ALL.stream().map(Offers::text).toList();
    Random random = new Random(8866);
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          int parsed = 0;
          for (int i = 0; i < ROUNDS; i++) {
            String input = mutate(random, offers.get(i % offers.size()));
            SessionDescription offer;
            try {
              offer = SessionDescription.parse(input);
            } catch (SdpParseException expected) {
              continue;
            } catch (RuntimeException e) {
              fail("round " + i + ": unexpected " + e + " for:\n" + input, e);
              return;
            }
            parsed++;
            try {
              Negotiation result =
                  Negotiator.negotiate(offer, i % 2 == 0 ? HIGH : HEVC, ProfileMatching.COMPATIBLE);
              if (result instanceof Negotiation.Agreed agreed) {
                SessionDescription.parse(
                    AnswerWriter.write(
                        agreed, AnswerWriterTest.TRANSPORT, AnswerWriterTest.TRACKS, 1));
              }
            } catch (RuntimeException e) {
              fail("round " + i + ": negotiation threw " + e + " for:\n" + input, e);
            }
          }
          if (parsed < ROUNDS / 20) {
            fail(
                "only "
                    + parsed
                    + " mutated offers parsed: the mutations are too destructive to test negotiation");
          }
        });
  }

  /**
   * Line-level (drop, duplicate, swap, truncate) and character-level (replace, insert, delete)
   * edits.
   */
  private static String mutate(Random random, String offer) {
    List<String> lines = new ArrayList<>(Arrays.asList(offer.split("\r?\n")));
    for (int n = 1 + random.nextInt(3); n > 0; n--) {
      int at = random.nextInt(lines.size());
      String line = lines.get(at);
      switch (random.nextInt(8)) {
        case 0 -> lines.remove(at);
        case 1 -> lines.add(at, line);
        case 2 -> lines.set(at, line.substring(0, random.nextInt(line.length() + 1)));
        case 3 -> Collections.swap(lines, at, random.nextInt(lines.size()));
        default -> lines.set(at, mutateChars(random, line));
      }
      if (lines.isEmpty()) {
        lines.add("");
      }
    }
    return String.join(random.nextBoolean() ? "\r\n" : "\n", lines);
  }

  private static String mutateChars(Random random, String line) {
    StringBuilder s = new StringBuilder(line);
    int at = s.isEmpty() ? 0 : random.nextInt(s.length());
    char c =
        random.nextInt(4) == 0
            ? (char) random.nextInt(0x3000)
            : TOKENS.charAt(random.nextInt(TOKENS.length()));
    switch (random.nextInt(3)) {
      case 0 -> s.insert(at, c);
      case 1 -> {
        if (!s.isEmpty()) {
          s.setCharAt(at, c);
        }
      }
      default -> {
        if (!s.isEmpty()) {
          s.deleteCharAt(at);
        }
      }
    }
    return s.toString();
  }
}
