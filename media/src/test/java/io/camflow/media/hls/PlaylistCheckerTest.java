package io.camflow.media.hls;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The checker used by the conformance tests must itself reject broken playlists. */
class PlaylistCheckerTest {

  private static final String GOOD = Fixtures.live(0, 3, 2).render();

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "EXTINF above target|#EXTINF:2.00000,|#EXTINF:2.50000,",
        "part above PART-TARGET|DURATION=0.50000,URI=\"part-4.1.m4s\"|DURATION=0.50001,URI=\"part-4.1.m4s\"",
        "PART-HOLD-BACK below 2x|PART-HOLD-BACK=1.50000|PART-HOLD-BACK=0.90000",
        "HOLD-BACK below 3x|HOLD-BACK=6.00000|HOLD-BACK=5.00000",
        "PDT without ms|T10:15:30.040Z|T10:15:30Z",
        "hint not the next part|URI=\"part-4.2.m4s\"\\n|URI=\"part-4.3.m4s\"\\n",
        "version too low|#EXT-X-VERSION:6|#EXT-X-VERSION:5",
        "no blocking reload|CAN-BLOCK-RELOAD=YES|CAN-BLOCK-RELOAD=NO",
        "part named out of position|URI=\"part-4.1.m4s\"|URI=\"part-4.7.m4s\"",
        "whitespace|#EXTINF:2.00000,|#EXTINF: 2.00000,",
        "duplicate header tag|#EXT-X-INDEPENDENT-SEGMENTS|#EXT-X-INDEPENDENT-SEGMENTS\\n#EXT-X-INDEPENDENT-SEGMENTS",
      })
  void rejects(String what, String from, String to) {
    String broken =
        GOOD.replaceFirst(
            java.util.regex.Pattern.quote(from.replace("\\n", "\n")),
            java.util.regex.Matcher.quoteReplacement(to.replace("\\n", "\n")));
    assertThrows(AssertionError.class, () -> PlaylistChecker.check(broken), what);
  }

  @org.junit.jupiter.api.Test
  void rejectsAHintThatIsNotLastAndPartsAfterTheMap() {
    String hintFirst =
        GOOD.replace("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"part-4.2.m4s\"\n", "")
            .replace(
                "#EXT-X-MEDIA-SEQUENCE:0\n",
                "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"part-4.2.m4s\"\n");
    assertThrows(AssertionError.class, () -> PlaylistChecker.check(hintFirst));
    String mapAfterPart =
        GOOD.replace(
            "#EXT-X-PART:DURATION=0.50000,URI=\"part-4.0.m4s\",INDEPENDENT=YES\n",
            "#EXT-X-PART:DURATION=0.50000,URI=\"part-4.0.m4s\",INDEPENDENT=YES\n"
                + "#EXT-X-MAP:URI=\"init-0.mp4\"\n");
    assertThrows(AssertionError.class, () -> PlaylistChecker.check(mapAfterPart));
  }
}
