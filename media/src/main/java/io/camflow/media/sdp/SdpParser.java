package io.camflow.media.sdp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * RFC 8866 syntax, read as browsers, OBS and WHEP players write it: CRLF or LF line ends, one
 * {@code <type>=<value>} per line, {@code v=0} first, session lines before the first {@code m=}.
 * Attributes WebRTC needs are parsed and checked on the spot, so a malformed one fails here with
 * its line number instead of later in negotiation; attributes it does not know are kept as text.
 * Line types other than v, o, s, c, m and a are skipped, as RFC 8866 lets a receiver do.
 */
final class SdpParser {

  /** Far above any real offer (Chromium's with every codec: ~7 KB), far below a memory problem. */
  static final int MAX_LENGTH = 64 * 1024;

  static final int MAX_MEDIA_SECTIONS = 64;

  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.0-9A-Z^_`a-z{|}~]+");
  private static final Pattern NUMBER = Pattern.compile("\\d{1,10}");
  private static final Pattern NON_BLANK = Pattern.compile("\\S{1,256}");

  private SdpParser() {}

  static SessionDescription parse(String sdp) {
    Objects.requireNonNull(sdp, "sdp");
    if (sdp.length() > MAX_LENGTH) {
      throw new SdpParseException(
          "description of " + sdp.length() + " characters exceeds the limit of " + MAX_LENGTH);
    }
    String[] lines = sdp.split("\n", -1);
    Section session = new Section(true);
    List<Section> media = new ArrayList<>();
    Section current = session;
    boolean versionSeen = false;
    for (int i = 0; i < lines.length; i++) {
      String line =
          lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      if (line.isEmpty()) {
        continue; // the last line's CRLF leaves one; tolerate stray blank lines too
      }
      int lineNumber = i + 1;
      if (line.length() < 2
          || line.charAt(1) != '='
          || line.charAt(0) < 'a'
          || line.charAt(0) > 'z') {
        throw new SdpParseException(lineNumber, line, "expected '<letter>=<value>'");
      }
      char type = line.charAt(0);
      String value = line.substring(2);
      if (!versionSeen) {
        if (type != 'v' || !value.equals("0")) {
          throw new SdpParseException(
              lineNumber, line, "a session description must begin with v=0");
        }
        versionSeen = true;
        continue;
      }
      try {
        switch (type) {
          case 'v' -> throw new IllegalArgumentException("second v= line");
          case 'o' -> session.origin(current, value);
          case 's' -> session.sessionName(current, value);
          case 'c' -> current.connection = connection(value);
          case 'm' -> {
            if (media.size() == MAX_MEDIA_SECTIONS) {
              throw new IllegalArgumentException(
                  "more than " + MAX_MEDIA_SECTIONS + " media sections");
            }
            current = new Section(false);
            current.mediaLine(value);
            media.add(current);
          }
          case 'a' -> current.attribute(value);
          default -> {
            // t=, b=, i=, u=, e=, p=, r=, z=, k= and unknown letters carry nothing WebRTC needs
          }
        }
      } catch (SdpParseException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw new SdpParseException(lineNumber, line, e.getMessage());
      }
    }
    if (!versionSeen) {
      throw new SdpParseException("empty description (no v=0 line)");
    }
    if (session.origin == null) {
      throw new SdpParseException("no o= line");
    }
    if (session.sessionName == null) {
      throw new SdpParseException("no s= line");
    }
    Set<String> mids = new HashSet<>();
    for (Section section : media) {
      if (section.mid != null && !mids.add(section.mid)) {
        throw new SdpParseException("mid '" + section.mid + "' names two media sections");
      }
    }
    return new SessionDescription(
        session.origin,
        session.sessionName,
        session.connection,
        session.direction,
        session.ice(),
        session.fingerprints,
        session.setup,
        session.iceLite,
        session.groups,
        session.attributes,
        media.stream().map(Section::toMedia).toList());
  }

  private static Connection connection(String value) {
    String[] parts = value.split(" ");
    if (parts.length != 3
        || !parts[0].equals("IN")
        || !(parts[1].equals("IP4") || parts[1].equals("IP6"))
        || parts[2].isEmpty()) {
      throw new IllegalArgumentException("connection must be 'IN IP4|IP6 <address>'");
    }
    return new Connection(parts[0], parts[1], parts[2]);
  }

  static long number(String text, long max, String what) {
    if (!NUMBER.matcher(text).matches()) {
      throw new IllegalArgumentException(what + " must be a number, was '" + shorten(text) + "'");
    }
    long value = Long.parseLong(text);
    if (value > max) {
      throw new IllegalArgumentException(what + " must be at most " + max + ", was " + value);
    }
    return value;
  }

  private static String shorten(String text) {
    return text.length() > 20 ? text.substring(0, 20) + "…" : text;
  }

  private static String token(String text, String what) {
    if (!TOKEN.matcher(text).matches()) {
      throw new IllegalArgumentException(what + " must be a token, was '" + shorten(text) + "'");
    }
    return text;
  }

  /** What one level (session or a media section) has collected so far. */
  private static final class Section {

    final boolean sessionLevel;
    Origin origin;
    String sessionName;
    Connection connection;
    String media;
    int port;
    int portCount = 1;
    String protocol;
    List<String> formats = List.of();
    String mid;
    Direction direction;
    final Map<Integer, RtpMap> rtpMaps = new LinkedHashMap<>();
    final Map<String, Fmtp> fmtps = new LinkedHashMap<>();
    final List<RtcpFeedback> rtcpFeedback = new ArrayList<>();
    boolean rtcpMux;
    boolean bundleOnly;
    boolean iceLite;
    String iceUfrag;
    String icePwd;
    List<String> iceOptions = List.of();
    final List<Fingerprint> fingerprints = new ArrayList<>();
    Setup setup;
    final List<Group> groups = new ArrayList<>();
    final List<ExtMap> extMaps = new ArrayList<>();
    final List<Msid> msids = new ArrayList<>();
    final List<SsrcAttribute> ssrcs = new ArrayList<>();
    final List<Candidate> candidates = new ArrayList<>();
    final List<Attribute> attributes = new ArrayList<>();

    Section(boolean sessionLevel) {
      this.sessionLevel = sessionLevel;
    }

    void origin(Section current, String value) {
      requireSessionLevel(current, "o=");
      String[] parts = value.split(" ");
      if (parts.length != 6 || List.of(parts).contains("")) {
        throw new IllegalArgumentException(
            "origin must be '<username> <sess-id> <sess-version> IN IP4|IP6 <address>'");
      }
      origin = new Origin(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]);
    }

    void sessionName(Section current, String value) {
      requireSessionLevel(current, "s=");
      sessionName = value;
    }

    private void requireSessionLevel(Section current, String what) {
      if (current != this) {
        throw new IllegalArgumentException(what + " belongs before the first m= line");
      }
    }

    void mediaLine(String value) {
      String[] parts = value.split(" ");
      if (parts.length < 4 || List.of(parts).contains("")) {
        throw new IllegalArgumentException("media must be '<media> <port> <proto> <fmt> ...'");
      }
      media = token(parts[0], "media type").toLowerCase(Locale.ROOT);
      String[] port = parts[1].split("/", -1);
      if (port.length > 2) {
        throw new IllegalArgumentException("port must be '<port>' or '<port>/<count>'");
      }
      this.port = (int) number(port[0], 65535, "port");
      portCount = port.length == 2 ? (int) number(port[1], 65535, "port count") : 1;
      protocol = parts[2];
      formats = List.of(parts).subList(3, parts.length);
      for (String format : formats) {
        token(format, "format");
      }
    }

    void attribute(String text) {
      int colon = text.indexOf(':');
      String name = colon < 0 ? text : text.substring(0, colon);
      String value = colon < 0 ? null : text.substring(colon + 1);
      token(name, "attribute name");
      attributes.add(new Attribute(name, value));
      Direction d = Direction.fromAttribute(name);
      if (d != null) {
        if (direction != null) {
          throw new IllegalArgumentException(
              "second direction attribute (already " + direction.attribute() + ")");
        }
        direction = d;
        return;
      }
      switch (name) {
        case "rtcp-mux" -> rtcpMux = true;
        case "bundle-only" -> bundleOnly = true;
        case "ice-lite" -> iceLite = true;
        case "mid" -> mid(required(name, value));
        case "rtpmap" -> rtpMap(required(name, value));
        case "fmtp" -> fmtp(required(name, value));
        case "rtcp-fb" -> rtcpFeedback.add(rtcpFeedback(required(name, value)));
        case "fingerprint" -> fingerprints.add(Fingerprint.parse(required(name, value)));
        case "setup" -> setup = Setup.parse(required(name, value).trim());
        case "group" -> groups.add(group(required(name, value)));
        case "ice-ufrag" -> iceUfrag = iceCredential(name, value);
        case "ice-pwd" -> icePwd = iceCredential(name, value);
        case "ice-options" -> iceOptions = List.of(required(name, value).trim().split(" +"));
        case "extmap" -> extMaps.add(extMap(required(name, value)));
        case "msid" -> msids.add(msid(required(name, value)));
        case "ssrc" -> ssrcs.add(ssrc(required(name, value)));
        case "candidate" -> candidates.add(candidate(required(name, value)));
        default -> {
          // kept in attributes as text
        }
      }
    }

    private static String required(String name, String value) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("a=" + name + " needs a value");
      }
      return value;
    }

    private static String iceCredential(String name, String value) {
      if (value == null || !NON_BLANK.matcher(value.trim()).matches()) {
        throw new IllegalArgumentException(name + " must be 1..256 characters without spaces");
      }
      return value.trim();
    }

    private void mid(String value) {
      if (sessionLevel) {
        throw new IllegalArgumentException("a=mid belongs in a media section");
      }
      if (mid != null) {
        throw new IllegalArgumentException("second a=mid in one media section");
      }
      if (value.length() > 256 || value.contains(" ")) {
        throw new IllegalArgumentException("mid must be at most 256 characters without spaces");
      }
      mid = value;
    }

    private void rtpMap(String value) {
      int space = value.indexOf(' ');
      if (space < 0) {
        throw new IllegalArgumentException(
            "rtpmap must be '<payload type> <encoding>/<clock rate>[/<channels>]'");
      }
      int pt = (int) number(value.substring(0, space), 127, "payload type");
      String[] encoding = value.substring(space + 1).trim().split("/", -1);
      if (encoding.length < 2 || encoding.length > 3 || encoding[0].isEmpty()) {
        throw new IllegalArgumentException(
            "rtpmap must be '<payload type> <encoding>/<clock rate>[/<channels>]'");
      }
      int clockRate = (int) number(encoding[1], Integer.MAX_VALUE, "clock rate");
      int channels =
          encoding.length == 3
              ? (int) number(encoding[2], 255, "channels")
              : "audio".equals(media) ? 1 : 0;
      if (rtpMaps.putIfAbsent(
              pt, new RtpMap(pt, token(encoding[0], "encoding name"), clockRate, channels))
          != null) {
        throw new IllegalArgumentException("second rtpmap for payload type " + pt);
      }
    }

    private void fmtp(String value) {
      int space = value.indexOf(' ');
      String format = space < 0 ? value : value.substring(0, space);
      token(format, "fmtp format");
      String raw = space < 0 ? "" : value.substring(space + 1).trim();
      Map<String, String> parameters = new LinkedHashMap<>();
      for (String part : raw.split(";")) {
        String p = part.trim();
        if (p.isEmpty()) {
          continue;
        }
        int eq = p.indexOf('=');
        String key = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
        parameters.put(key, eq < 0 ? "" : p.substring(eq + 1).trim());
      }
      if (fmtps.putIfAbsent(format, new Fmtp(format, parameters, raw)) != null) {
        throw new IllegalArgumentException("second fmtp for format " + format);
      }
    }

    private static RtcpFeedback rtcpFeedback(String value) {
      String[] parts = value.trim().split(" +", 3);
      if (parts.length < 2) {
        throw new IllegalArgumentException(
            "rtcp-fb must be '<payload type|*> <type> [<parameter>]'");
      }
      if (!parts[0].equals("*")) {
        number(parts[0], 127, "rtcp-fb payload type");
      }
      return new RtcpFeedback(
          parts[0], token(parts[1], "rtcp-fb type"), parts.length == 3 ? parts[2] : "");
    }

    private Group group(String value) {
      if (!sessionLevel) {
        throw new IllegalArgumentException("a=group belongs at session level");
      }
      String[] parts = value.trim().split(" +");
      return new Group(token(parts[0], "group semantics"), List.of(parts).subList(1, parts.length));
    }

    private static ExtMap extMap(String value) {
      String[] parts = value.trim().split(" +", 3);
      if (parts.length < 2) {
        throw new IllegalArgumentException(
            "extmap must be '<id>[/<direction>] <uri> [<attributes>]'");
      }
      String[] id = parts[0].split("/", -1);
      Direction direction = null;
      if (id.length == 2) {
        direction = Direction.fromAttribute(id[1]);
        if (direction == null) {
          throw new IllegalArgumentException(
              "extmap direction must be sendrecv, sendonly, recvonly or inactive");
        }
      } else if (id.length != 1) {
        throw new IllegalArgumentException(
            "extmap must be '<id>[/<direction>] <uri> [<attributes>]'");
      }
      int n = (int) number(id[0], 4351, "extmap id");
      if (n == 0 || (n > 255 && n < 4096)) {
        throw new IllegalArgumentException("extmap id must be 1..255 (or 4096..4351), was " + n);
      }
      return new ExtMap(n, direction, parts[1], parts.length == 3 ? parts[2] : "");
    }

    private static Msid msid(String value) {
      String[] parts = value.trim().split(" +");
      if (parts.length > 2) {
        throw new IllegalArgumentException("msid must be '<stream id> [<track id>]'");
      }
      return new Msid(parts[0], parts.length == 2 ? parts[1] : "");
    }

    private static SsrcAttribute ssrc(String value) {
      int space = value.indexOf(' ');
      if (space < 0) {
        throw new IllegalArgumentException("ssrc must be '<ssrc> <attribute>[:<value>]'");
      }
      long ssrc = number(value.substring(0, space), 0xFFFF_FFFFL, "ssrc");
      String rest = value.substring(space + 1);
      int colon = rest.indexOf(':');
      String attribute = colon < 0 ? rest : rest.substring(0, colon);
      return new SsrcAttribute(
          ssrc, token(attribute, "ssrc attribute"), colon < 0 ? "" : rest.substring(colon + 1));
    }

    private static Candidate candidate(String value) {
      String[] parts = value.trim().split(" +");
      if (parts.length < 8 || !parts[6].equalsIgnoreCase("typ") || (parts.length - 8) % 2 != 0) {
        throw new IllegalArgumentException(
            "candidate must be '<foundation> <component> <transport> <priority>"
                + " <address> <port> typ <type> [<name> <value>]...'");
      }
      Map<String, String> extensions = new LinkedHashMap<>();
      for (int i = 8; i < parts.length; i += 2) {
        extensions.put(parts[i], parts[i + 1]);
      }
      int component = (int) number(parts[1], 256, "candidate component");
      if (component == 0) {
        throw new IllegalArgumentException("candidate component must be 1..256");
      }
      return new Candidate(
          token(parts[0], "candidate foundation"),
          component,
          parts[2],
          number(parts[3], 0xFFFF_FFFFL, "candidate priority"),
          parts[4],
          (int) number(parts[5], 65535, "candidate port"),
          token(parts[7], "candidate type"),
          extensions);
    }

    Ice ice() {
      return new Ice(iceUfrag, icePwd, iceOptions);
    }

    MediaDescription toMedia() {
      return new MediaDescription(
          media,
          port,
          portCount,
          protocol,
          formats,
          connection,
          mid,
          direction,
          rtpMaps,
          fmtps,
          rtcpFeedback,
          rtcpMux,
          bundleOnly,
          ice(),
          fingerprints,
          setup,
          extMaps,
          msids,
          ssrcs,
          candidates,
          attributes);
    }
  }
}
