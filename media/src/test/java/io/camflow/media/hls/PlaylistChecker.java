package io.camflow.media.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads playlist text the way a client would, independently of {@link MediaPlaylist}, and checks
 * the RFC 8216bis rules every playlist we serve must meet. Each check quotes its rule.
 */
final class PlaylistChecker {

  static final Pattern PDT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
  private static final Pattern DECIMAL_FLOAT = Pattern.compile("[0-9]+(\\.[0-9]+)?");

  record Part(String uri, BigDecimal duration, boolean independent) {}

  record Segment(
      long msn,
      long discontinuitySequenceNumber,
      boolean discontinuity,
      String map,
      String pdt,
      List<Part> parts,
      BigDecimal extinf,
      String uri) {}

  record Parsed(
      int version,
      int targetDuration,
      BigDecimal partTarget,
      BigDecimal partHoldBack,
      BigDecimal holdBack,
      long mediaSequence,
      long discontinuitySequence,
      List<Segment> segments,
      String preloadHint,
      boolean endList,
      List<String> lines) {

    Segment last() {
      return segments.get(segments.size() - 1);
    }

    List<Segment> complete() {
      return segments.stream().filter(s -> s.uri() != null).toList();
    }
  }

  private PlaylistChecker() {}

  static Parsed check(String text) {
    // 4.1: "Playlist files MUST NOT contain any Byte Order Mark (BOM)"; lines end in LF or CRLF;
    // "Whitespace MUST NOT be present, except for elements in which it is explicitly specified."
    assertFalse(text.startsWith("\uFEFF"), "BOM");
    assertTrue(text.endsWith("\n"), "last line ends with LF");
    for (char c : text.toCharArray()) {
      assertTrue(c == '\n' || c >= 0x21 && c < 0x7f, "only printable ASCII, no whitespace: " + c);
    }
    List<String> lines = List.of(text.split("\n"));
    // 4.4.1.1: EXTM3U "MUST be the first line of every Media Playlist"
    assertEquals("#EXTM3U", lines.get(0));

    Map<String, Integer> onceTags = new HashMap<>();
    int version = -1;
    int targetDuration = -1;
    BigDecimal partTarget = null;
    BigDecimal partHoldBack = null;
    BigDecimal holdBack = null;
    Long mediaSequence = null;
    Long discontinuitySequence = null;
    boolean canBlockReload = false;
    String preloadHint = null;
    int preloadHintLine = -1;
    boolean endList = false;
    boolean sawSegmentTag = false;
    boolean sawDiscontinuityTag = false;

    List<Segment> segments = new ArrayList<>();
    // state of the segment being read
    boolean discontinuity = false;
    String map = null;
    String pdt = null;
    List<Part> parts = new ArrayList<>();
    BigDecimal extinf = null;
    boolean segmentHasContent = false;
    long dsn = 0;

    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      assertFalse(line.isEmpty(), "no blank lines expected (line " + i + ")");
      if (!line.startsWith("#")) {
        assertNotNull(extinf, "4.4.4.1: EXTINF is REQUIRED for each Media Segment: " + line);
        if (discontinuity) {
          dsn++;
        }
        long msn = (mediaSequence == null ? 0 : mediaSequence) + segments.size();
        segments.add(
            new Segment(msn, dsn, discontinuity, map, pdt, List.copyOf(parts), extinf, line));
        discontinuity = false;
        pdt = null;
        parts.clear();
        extinf = null;
        segmentHasContent = false;
        continue;
      }
      assertEquals(-1, preloadHintLine, "EXT-X-PRELOAD-HINT is the last tag, but found " + line);
      String tag = line.contains(":") ? line.substring(0, line.indexOf(':')) : line;
      String value = line.contains(":") ? line.substring(line.indexOf(':') + 1) : "";
      switch (tag) {
        case "#EXT-X-VERSION",
            "#EXT-X-INDEPENDENT-SEGMENTS",
            "#EXT-X-TARGETDURATION",
            "#EXT-X-MEDIA-SEQUENCE",
            "#EXT-X-DISCONTINUITY-SEQUENCE",
            "#EXT-X-SERVER-CONTROL",
            "#EXT-X-PART-INF",
            "#EXT-X-ENDLIST" -> {
          // 4.4.1.2: "A Playlist file MUST NOT contain more than one EXT-X-VERSION tag";
          // 4.4.2 and 4.4.3: media playlist tags "MUST NOT appear more than once"
          onceTags.merge(tag, 1, Integer::sum);
          assertEquals(1, onceTags.get(tag), tag + " appears more than once");
          switch (tag) {
            case "#EXT-X-VERSION" -> version = Integer.parseInt(value);
            case "#EXT-X-TARGETDURATION" -> targetDuration = Integer.parseInt(value);
            case "#EXT-X-MEDIA-SEQUENCE" -> {
              // 4.4.3.2: "MUST appear before the first Media Segment in the Playlist"
              assertFalse(sawSegmentTag, "MEDIA-SEQUENCE after a segment");
              mediaSequence = Long.parseLong(value);
            }
            case "#EXT-X-DISCONTINUITY-SEQUENCE" -> {
              // 4.4.3.3: "MUST appear before the first Media Segment" and "before any
              // EXT-X-DISCONTINUITY tag"
              assertFalse(sawSegmentTag, "DISCONTINUITY-SEQUENCE after a segment");
              assertFalse(sawDiscontinuityTag, "DISCONTINUITY-SEQUENCE after a DISCONTINUITY");
              discontinuitySequence = Long.parseLong(value);
              dsn = discontinuitySequence;
            }
            case "#EXT-X-SERVER-CONTROL" -> {
              Map<String, String> a = attributes(value);
              canBlockReload = "YES".equals(a.get("CAN-BLOCK-RELOAD"));
              if (a.containsKey("PART-HOLD-BACK")) {
                partHoldBack = decimal(a.get("PART-HOLD-BACK"));
              }
              if (a.containsKey("HOLD-BACK")) {
                holdBack = decimal(a.get("HOLD-BACK"));
              }
            }
            case "#EXT-X-PART-INF" -> partTarget = decimal(attributes(value).get("PART-TARGET"));
            case "#EXT-X-ENDLIST" -> endList = true;
            default -> {}
          }
        }
        case "#EXT-X-DISCONTINUITY" -> {
          sawSegmentTag = true;
          sawDiscontinuityTag = true;
          // 4.4.4.9: DISCONTINUITY, MAP, PROGRAM-DATE-TIME "MUST appear before the first
          // EXT-X-PART tag of that Parent Segment"
          assertTrue(parts.isEmpty(), "DISCONTINUITY after a part of its segment");
          discontinuity = true;
        }
        case "#EXT-X-MAP" -> {
          sawSegmentTag = true;
          assertTrue(parts.isEmpty(), "MAP after a part of its segment");
          map = attributes(value).get("URI");
          assertNotNull(map, "4.4.4.5: URI is REQUIRED");
        }
        case "#EXT-X-PROGRAM-DATE-TIME" -> {
          sawSegmentTag = true;
          assertTrue(parts.isEmpty(), "PROGRAM-DATE-TIME after a part of its segment");
          // 4.4.4.6: "SHOULD indicate a time zone and fractional parts of seconds, to at least
          // millisecond accuracy"
          assertTrue(PDT.matcher(value).matches(), "PDT format: " + value);
          pdt = value;
        }
        case "#EXT-X-PART" -> {
          sawSegmentTag = true;
          Map<String, String> a = attributes(value);
          // 4.4.4.9: URI and DURATION are REQUIRED
          assertNotNull(a.get("URI"), "part URI");
          assertNotNull(a.get("DURATION"), "part DURATION");
          parts.add(
              new Part(
                  a.get("URI"), decimal(a.get("DURATION")), "YES".equals(a.get("INDEPENDENT"))));
          segmentHasContent = true;
        }
        case "#EXTINF" -> {
          sawSegmentTag = true;
          assertTrue(value.endsWith(","), "EXTINF without title ends with ','");
          extinf = decimal(value.substring(0, value.length() - 1));
        }
        case "#EXT-X-PRELOAD-HINT" -> {
          Map<String, String> a = attributes(value);
          assertEquals("PART", a.get("TYPE"));
          preloadHint = a.get("URI");
          preloadHintLine = i;
        }
        default -> fail("unexpected tag " + line);
      }
    }
    assertNull(extinf, "an EXTINF without its URI line");
    if (segmentHasContent) {
      // the segment in progress: parts only
      if (discontinuity) {
        dsn++;
      }
      long msn = (mediaSequence == null ? 0 : mediaSequence) + segments.size();
      segments.add(new Segment(msn, dsn, discontinuity, map, pdt, List.copyOf(parts), null, null));
    }

    // 4.4.3.1: "The EXT-X-TARGETDURATION tag is REQUIRED"; "Its value MUST be at least 1"
    assertTrue(targetDuration >= 1, "TARGETDURATION");
    // Section 8: EXT-X-MAP in a playlist without EXT-X-I-FRAMES-ONLY needs version 6 or higher
    assertTrue(version >= 6, "EXT-X-VERSION >= 6 for EXT-X-MAP");
    // 6.2.1: "The value of the EXT-X-VERSION tag SHOULD NOT be greater than what is required"
    assertEquals(6, version, "no tag we write needs more than version 6");
    assertTrue(canBlockReload, "CAN-BLOCK-RELOAD=YES");
    assertNotNull(mediaSequence, "6.2.2: a live playlist that removes segments has MEDIA-SEQUENCE");
    assertNotNull(partTarget, "4.4.3.7: EXT-X-PART-INF is REQUIRED if the Playlist has parts");
    // 4.4.3.8: "PART-HOLD-BACK is REQUIRED if the Playlist contains the EXT-X-PART-INF tag";
    // "Its value MUST be at least twice the Part Target Duration"
    assertNotNull(partHoldBack, "PART-HOLD-BACK");
    assertTrue(
        partHoldBack.compareTo(partTarget.multiply(BigDecimal.TWO)) >= 0,
        "PART-HOLD-BACK >= 2 x PART-TARGET");
    // 4.4.3.8 HOLD-BACK: "Its value MUST be at least three times the Target Duration"
    if (holdBack != null) {
      assertTrue(
          holdBack.compareTo(BigDecimal.valueOf(3L * targetDuration)) >= 0,
          "HOLD-BACK >= 3 x TARGETDURATION");
    }
    assertFalse(segments.isEmpty(), "at least one segment or part");
    for (Segment s : segments) {
      if (s.extinf() != null) {
        // 4.4.3.1: "The EXTINF duration of each Media Segment in a Playlist file, when rounded to
        // the nearest integer, MUST be less than or equal to the Target Duration."
        long rounded = s.extinf().setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
        assertTrue(
            rounded <= targetDuration,
            "EXTINF " + s.extinf() + " rounds above TARGETDURATION " + targetDuration);
      }
      assertNotNull(s.map(), "4.4.4.5: every fMP4 segment is preceded by an EXT-X-MAP");
      // Appendix B: "All Media Playlists have EXT-X-PROGRAM-DATE-TIME tags"
      assertNotNull(s.pdt(), "segment " + s.msn() + " has PROGRAM-DATE-TIME");
      for (int p = 0; p < s.parts().size(); p++) {
        Part part = s.parts().get(p);
        // 4.4.4.9: "The duration of a Partial Segment MUST be less than or equal to the Part
        // Target Duration."
        assertTrue(
            part.duration().compareTo(partTarget) <= 0,
            "part " + part.uri() + " " + part.duration() + " > PART-TARGET " + partTarget);
        // 3.2: a Partial Segment's Part Index is its position in its Parent Segment
        assertEquals(HlsNames.part(s.msn(), p), part.uri(), "part name matches its position");
      }
      if (s.uri() != null) {
        assertEquals(HlsNames.segment(s.msn()), s.uri(), "segment name matches its msn");
      }
    }
    // 4.4.3.8 / Appendix B: a playlist with parts and no ENDLIST has a preload hint;
    // 4.4.5.3: "A Playlist containing an EXT-X-ENDLIST tag MUST NOT contain an
    // EXT-X-PRELOAD-HINT tag."
    if (endList) {
      assertEquals(null, preloadHint, "no PRELOAD-HINT with ENDLIST");
      assertEquals("#EXT-X-ENDLIST", lines.get(lines.size() - 1));
    } else {
      assertNotNull(preloadHint, "live playlist has a PRELOAD-HINT");
      assertEquals(lines.size() - 1, preloadHintLine, "PRELOAD-HINT is the last line");
      // the hint points at the next part: the next index of the segment in progress, or part 0
      // of the segment after the last complete one
      Segment last = segments.get(segments.size() - 1);
      String expected =
          last.uri() == null
              ? HlsNames.part(last.msn(), last.parts().size())
              : HlsNames.part(last.msn() + 1, 0);
      assertEquals(expected, preloadHint, "PRELOAD-HINT names the next part");
    }
    // 6.2.2: "EXT-X-PART tags SHOULD be removed from the Playlist after they are greater than
    // three Target Durations from the end of the Playlist."
    BigDecimal fromEnd = BigDecimal.ZERO;
    BigDecimal window = BigDecimal.valueOf(3L * targetDuration);
    for (int i = segments.size() - 1; i >= 0; i--) {
      Segment s = segments.get(i);
      BigDecimal duration =
          s.extinf() != null
              ? s.extinf()
              : s.parts().stream().map(Part::duration).reduce(BigDecimal.ZERO, BigDecimal::add);
      fromEnd = fromEnd.add(duration);
      if (fromEnd.compareTo(window.add(new BigDecimal("0.001"))) > 0 && i < segments.size() - 1) {
        assertTrue(
            s.parts().isEmpty(),
            "segment " + s.msn() + " starts " + fromEnd + " s from the end but lists parts");
      }
    }
    return new Parsed(
        version,
        targetDuration,
        partTarget,
        partHoldBack,
        holdBack,
        mediaSequence,
        discontinuitySequence == null ? 0 : discontinuitySequence,
        List.copyOf(segments),
        preloadHint,
        endList,
        lines);
  }

  private static void assertNull(Object o, String message) {
    assertEquals(null, o, message);
  }

  /** 4.2 attribute-list: comma-separated NAME=VALUE, quoted-strings may contain commas. */
  static Map<String, String> attributes(String list) {
    Map<String, String> out = new LinkedHashMap<>();
    int i = 0;
    while (i < list.length()) {
      int eq = list.indexOf('=', i);
      assertTrue(eq > i, "attribute name in " + list);
      String name = list.substring(i, eq);
      assertTrue(name.matches("[A-Z0-9-]+"), "4.2: AttributeName [A-Z0-9-]: " + name);
      String value;
      int next;
      if (list.charAt(eq + 1) == '"') {
        int close = list.indexOf('"', eq + 2);
        assertTrue(close > eq + 1, "unterminated quoted-string in " + list);
        value = list.substring(eq + 2, close);
        assertFalse(value.isEmpty(), "4.2: quoted-string MUST be non-empty");
        next = close + 1;
      } else {
        int comma = list.indexOf(',', eq);
        next = comma < 0 ? list.length() : comma;
        value = list.substring(eq + 1, next);
      }
      // 4.2: "A given AttributeName MUST NOT appear more than once in a given attribute-list."
      assertFalse(out.containsKey(name), "duplicate attribute " + name);
      out.put(name, value);
      if (next < list.length()) {
        assertEquals(',', list.charAt(next), "comma between attributes in " + list);
        next++;
      }
      i = next;
    }
    return out;
  }

  static BigDecimal decimal(String s) {
    assertNotNull(s);
    assertTrue(DECIMAL_FLOAT.matcher(s).matches(), "4.2 decimal-floating-point: " + s);
    return new BigDecimal(s);
  }
}
