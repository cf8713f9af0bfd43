package io.camflow.media.hls;

import static io.camflow.media.hls.BlockingRequest.Decision.READY;
import static io.camflow.media.hls.BlockingRequest.Decision.TOO_FAR_AHEAD;
import static io.camflow.media.hls.BlockingRequest.Decision.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 8216bis 6.2.5.2 Blocking Playlist Reload, from the server's side. */
class BlockingRequestTest {

  // Segments 10..14 complete (4 parts of 0.5 s each), 15 in progress with parts 0 and 1.
  private static final MediaPlaylist OPEN = Fixtures.live(10, 14, 2);
  // Segments 10..14 complete, nothing of 15 yet.
  private static final MediaPlaylist CLOSED = Fixtures.live(10, 14, 0);

  // ---- parsing ----

  @Test
  void noDirectivesIsAnOrdinaryRequest() {
    BlockingRequest r = BlockingRequest.parse(Map.of("access_token", "abc"));
    assertSame(BlockingRequest.NONE, r);
    assertFalse(r.isBlocking());
    assertEquals(READY, r.decide(OPEN));
  }

  @Test
  void parsesMsnAndPart() {
    assertEquals(BlockingRequest.of(15), BlockingRequest.parse(Map.of("_HLS_msn", "15")));
    BlockingRequest r = BlockingRequest.parse(Map.of("_HLS_msn", "15", "_HLS_part", "2"));
    assertEquals(OptionalLong.of(15), r.msn());
    assertEquals(OptionalInt.of(2), r.part());
    assertTrue(r.isBlocking());
    // 4.2: a decimal-integer is [0-9]; leading zeros are still digits
    assertEquals(
        BlockingRequest.of(7, 0),
        BlockingRequest.parse(Map.of("_HLS_msn", "007", "_HLS_part", "0")));
  }

  /**
   * 6.2.5.2: "If the Playlist URI contains an _HLS_part directive but no _HLS_msn directive, the
   * Server MUST return Bad Request, such as HTTP 400."
   */
  @Test
  void partWithoutMsnIsBadRequest() {
    var e =
        assertThrows(
            BadPlaylistRequestException.class,
            () -> BlockingRequest.parse(Map.of("_HLS_part", "1")));
    assertTrue(e.getMessage().contains("_HLS_part without _HLS_msn"), e.getMessage());
    assertThrows(
        BadPlaylistRequestException.class,
        () -> new BlockingRequest(OptionalLong.empty(), OptionalInt.of(0)));
  }

  /**
   * 4.2: "decimal-integer: an unquoted string of characters from the set [0-9] ... from 1 to 20
   * characters long." Anything else in _HLS_msn / _HLS_part is a malformed request: 400.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "-1",
        "+1",
        " 1",
        "1 ",
        "1.0",
        "1e3",
        "0x10",
        "abc",
        "١٢",
        "18446744073709551616",
        "123456789012345678901",
        "99999999999999999999",
        "1000000000001",
        "%31"
      })
  void malformedOrAbsurdMsnIsBadRequest(String value) {
    assertThrows(
        BadPlaylistRequestException.class, () -> BlockingRequest.parse(Map.of("_HLS_msn", value)));
    assertThrows(
        BadPlaylistRequestException.class,
        () -> BlockingRequest.parse(Map.of("_HLS_msn", "1", "_HLS_part", value)));
  }

  @Test
  void msnUpToTenToTheTwelveAndPartUpToTheNameLimitAreAccepted() {
    assertEquals(
        BlockingRequest.of(HlsNames.MAX_NUMBER, HlsNames.MAX_PART_INDEX),
        BlockingRequest.parse(Map.of("_HLS_msn", "1000000000000", "_HLS_part", "9999")));
    assertThrows(
        BadPlaylistRequestException.class,
        () -> BlockingRequest.parse(Map.of("_HLS_msn", "1", "_HLS_part", "10000")));
  }

  @Test
  void errorMessagesDoNotEchoControlCharacters() {
    var e =
        assertThrows(
            BadPlaylistRequestException.class,
            () -> BlockingRequest.parse(Map.of("_HLS_msn", "1\r\n<script>")));
    assertFalse(e.getMessage().contains("\n"));
    assertFalse(e.getMessage().contains("<"));
  }

  @Test
  void repeatedDirectivesAreBadRequest() {
    Map<String, List<String>> twice = Map.of("_HLS_msn", List.of("1", "2"));
    assertThrows(BadPlaylistRequestException.class, () -> BlockingRequest.parseMulti(twice));
    Map<String, List<String>> partTwice =
        Map.of("_HLS_msn", List.of("1"), "_HLS_part", List.of("0", "0"));
    assertThrows(BadPlaylistRequestException.class, () -> BlockingRequest.parseMulti(partTwice));
    Map<String, List<String>> empty = Map.of("_HLS_msn", List.of());
    assertThrows(BadPlaylistRequestException.class, () -> BlockingRequest.parseMulti(empty));
    assertEquals(
        BlockingRequest.of(3, 1),
        BlockingRequest.parseMulti(
            Map.of("_HLS_msn", List.of("3"), "_HLS_part", List.of("1"), "x", List.of("a", "b"))));
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("_HLS_msn", null);
    assertThrows(BadPlaylistRequestException.class, () -> BlockingRequest.parse(nullValue));
  }

  // ---- decisions ----

  /**
   * 6.2.5.2: "When the Playlist URI contains an _HLS_msn directive and no _HLS_part directive, the
   * Server MUST defer responding to the request until the Playlist contains a Media Segment with a
   * Media Sequence Number of M or later".
   */
  @Test
  void msnAloneWaitsForTheCompleteSegment() {
    assertEquals(READY, BlockingRequest.of(14).decide(OPEN));
    assertEquals(READY, BlockingRequest.of(12).decide(OPEN));
    // 15 has parts but no URI line yet: not a Media Segment in the playlist
    assertEquals(WAIT, BlockingRequest.of(15).decide(OPEN));
    assertEquals(WAIT, BlockingRequest.of(16).decide(OPEN));
  }

  /**
   * 6.2.5.2: "...until the Playlist contains the Partial Segment with Part Index N and with a Media
   * Sequence Number of M or later".
   */
  @Test
  void partOfTheSegmentInProgress() {
    assertEquals(READY, BlockingRequest.of(15, 0).decide(OPEN));
    assertEquals(READY, BlockingRequest.of(15, 1).decide(OPEN));
    assertEquals(WAIT, BlockingRequest.of(15, 2).decide(OPEN), "the hinted part: the usual ask");
    assertEquals(WAIT, BlockingRequest.of(15, 3).decide(OPEN));
  }

  @Test
  void msnOnePastTheLastWithPartZeroWaits() {
    assertEquals(14, CLOSED.lastMsn());
    assertEquals(WAIT, BlockingRequest.of(CLOSED.lastMsn() + 1, 0).decide(CLOSED));
    assertEquals(WAIT, BlockingRequest.of(CLOSED.lastMsn() + 1).decide(CLOSED));
  }

  /**
   * 6.2.5.2: "If the _HLS_msn is greater than the Media Sequence Number of the last Media Segment
   * in the current Playlist plus two ... the server SHOULD immediately return Bad Request".
   */
  @Test
  void msnTwoAheadWaitsAndThreeAheadIsTooFar() {
    for (MediaPlaylist p : List.of(OPEN, CLOSED)) {
      long last = p.lastMsn();
      assertEquals(WAIT, BlockingRequest.of(last + 2).decide(p));
      assertEquals(WAIT, BlockingRequest.of(last + 2, 0).decide(p));
      assertEquals(TOO_FAR_AHEAD, BlockingRequest.of(last + 3).decide(p));
      assertEquals(TOO_FAR_AHEAD, BlockingRequest.of(last + 3, 0).decide(p));
      assertEquals(TOO_FAR_AHEAD, BlockingRequest.of(HlsNames.MAX_NUMBER).decide(p));
    }
  }

  /**
   * 6.2.5.2: "...or if the _HLS_part exceeds the last Partial Segment in the current Playlist by
   * the Advance Part Limit": three divided by the Part Target Duration (0.5 s here: 6 parts).
   */
  @Test
  void partBeyondTheAdvancePartLimitIsTooFar() {
    assertEquals(6, OPEN.advancePartLimit());
    // last listed part is 15.1: 15.7 is 6 parts ahead, 15.8 is 7
    assertEquals(WAIT, BlockingRequest.of(15, 7).decide(OPEN));
    assertEquals(TOO_FAR_AHEAD, BlockingRequest.of(15, 8).decide(OPEN));
    // in a later segment, part N is at least N + 1 parts ahead
    assertEquals(WAIT, BlockingRequest.of(16, 5).decide(OPEN));
    assertEquals(TOO_FAR_AHEAD, BlockingRequest.of(16, 6).decide(OPEN));
    // no segment in progress: the last listed part is 14.3
    assertEquals(WAIT, BlockingRequest.of(15, 5).decide(CLOSED));
    assertEquals(TOO_FAR_AHEAD, BlockingRequest.of(15, 6).decide(CLOSED));
  }

  /**
   * 6.2.5.2: "The Server MUST deliver the entire Playlist, even if the requested Media Segment is
   * not the last one in the Playlist, and even if it is no longer in the Playlist."
   */
  @Test
  void msnOlderThanThePlaylistIsReady() {
    assertEquals(READY, BlockingRequest.of(3).decide(OPEN));
    assertEquals(READY, BlockingRequest.of(9, 3).decide(OPEN));
    assertEquals(READY, BlockingRequest.of(0, 9999).decide(OPEN));
  }

  /**
   * 6.2.5.2: "If the Client requests a Part Index greater than that of the final Partial Segment of
   * the Parent Segment, the Server MUST treat the request as one for Part Index 0 of the following
   * Parent Segment."
   */
  @Test
  void partOfACompletedSegmentIsReadyAndBeyondItsLastPartRollsOver() {
    assertEquals(READY, BlockingRequest.of(12, 3).decide(OPEN));
    assertEquals(READY, BlockingRequest.of(14, 3).decide(CLOSED));
    // 14 has parts 0..3: part 4 of 14 is part 0 of 15, which OPEN has and CLOSED does not
    assertEquals(READY, BlockingRequest.of(14, 4).decide(OPEN));
    assertEquals(WAIT, BlockingRequest.of(14, 4).decide(CLOSED));
    // and far past the last part of an old segment rolls over to the live edge, never too far
    assertEquals(READY, BlockingRequest.of(13, 9999).decide(OPEN));
    assertEquals(WAIT, BlockingRequest.of(14, 9999).decide(CLOSED));
  }

  /**
   * 6.2.5.2: "A Server MUST ignore _HLS_msn and _HLS_part if the Playlist contains an EXT-X-ENDLIST
   * tag."
   */
  @Test
  void endedPlaylistAnswersEverythingAtOnce() {
    MediaPlaylist ended =
        MediaPlaylist.builder()
            .partTargetSeconds(0.5)
            .addSegment(Fixtures.complete(0, 4, 0.5))
            .ended(true)
            .build();
    assertEquals(READY, BlockingRequest.of(100, 5).decide(ended));
    assertEquals(READY, BlockingRequest.of(1).decide(ended));
  }

  @Test
  void startupPlaylistWithOnlyParts() {
    MediaPlaylist startup =
        MediaPlaylist.builder()
            .partTargetSeconds(0.5)
            .addSegment(Fixtures.inProgress(0, 1, 0.5))
            .preloadHint(new PreloadHint("part-0.1.m4s"))
            .build();
    assertEquals(READY, BlockingRequest.of(0, 0).decide(startup));
    assertEquals(WAIT, BlockingRequest.of(0, 1).decide(startup));
    assertEquals(WAIT, BlockingRequest.of(0).decide(startup));
    assertEquals(WAIT, BlockingRequest.of(1).decide(startup)); // lastMsn -1, +2 = 1
    assertEquals(TOO_FAR_AHEAD, BlockingRequest.of(2).decide(startup));
  }

  /**
   * 6.2.5.2: "A Server that cannot provide the requested Playlist after blocking for more than
   * three Target Durations SHOULD return Service Unavailable".
   */
  @Test
  void maxWaitIsThreeTargetDurations() {
    assertEquals(Duration.ofSeconds(6), BlockingRequest.maxWait(OPEN));
  }

  /**
   * The decision moves from WAIT to READY as the playlist grows, the way delivery re-checks held
   * requests on every update.
   */
  @Test
  void heldRequestBecomesReadyAsThePlaylistGrows() {
    BlockingRequest next = BlockingRequest.of(15, 2);
    assertEquals(WAIT, next.decide(Fixtures.live(10, 14, 2)));
    assertEquals(READY, next.decide(Fixtures.live(10, 14, 3)));
    BlockingRequest segment = BlockingRequest.of(15);
    assertEquals(WAIT, segment.decide(Fixtures.live(10, 14, 4)));
    assertEquals(READY, segment.decide(Fixtures.live(11, 15, 0)));
  }
}
