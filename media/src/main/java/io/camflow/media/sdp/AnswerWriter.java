package io.camflow.media.sdp;

import java.util.List;
import java.util.Objects;

/**
 * Writes the SDP answer of a send-only ICE-lite server (RFC 8829 5.3, RFC 8843, RFC 8842): accepted
 * sections with {@code a=sendonly}, one codec each, the transport attributes and host candidates;
 * rejected sections with port 0 and nothing but their mid. Mids and section order are the offer's.
 * CRLF line ends.
 */
public final class AnswerWriter {

  private static final String CRLF = "\r\n";

  private AnswerWriter() {}

  /**
   * @param sessionId the o= session id, a random positive number per answer
   */
  public static String write(
      Negotiation.Agreed agreed, LocalTransport transport, LocalTracks tracks, long sessionId) {
    Objects.requireNonNull(agreed, "agreed");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(tracks, "tracks");
    if (sessionId < 0) {
      throw new IllegalArgumentException("session id must be >= 0");
    }
    StringBuilder sdp = new StringBuilder(1024);
    line(sdp, "v=0");
    line(sdp, "o=camflow " + sessionId + " 1 IN IP4 0.0.0.0");
    line(sdp, "s=-");
    line(sdp, "t=0 0");
    line(sdp, "a=ice-lite");
    List<String> bundled =
        agreed.sections().stream()
            .filter(s -> s instanceof SectionAnswer.Accepted && s.offered().mid() != null)
            .map(s -> s.offered().mid())
            .toList();
    if (!bundled.isEmpty()
        && agreed.offer().bundleGroupOf(agreed.video().offered().mid()).isPresent()) {
      line(sdp, "a=group:BUNDLE " + String.join(" ", bundled));
    }
    line(sdp, "a=msid-semantic: WMS " + tracks.streamId());
    for (SectionAnswer section : agreed.sections()) {
      switch (section) {
        case SectionAnswer.Accepted accepted -> accepted(sdp, accepted, transport, tracks);
        case SectionAnswer.Rejected rejected -> rejected(sdp, rejected.offered());
      }
    }
    return sdp.toString();
  }

  private static void accepted(
      StringBuilder sdp,
      SectionAnswer.Accepted section,
      LocalTransport transport,
      LocalTracks tracks) {
    MediaDescription offered = section.offered();
    ChosenCodec codec = section.codec();
    HostCandidate first = transport.candidates().get(0);
    boolean audio = offered.media().equals("audio");
    line(
        sdp,
        "m="
            + offered.media()
            + " "
            + first.port()
            + " "
            + offered.protocol()
            + " "
            + codec.payloadType());
    line(sdp, "c=IN " + (first.isIpv6() ? "IP6 " : "IP4 ") + first.address());
    if (offered.mid() != null) {
      line(sdp, "a=mid:" + offered.mid());
    }
    line(sdp, "a=sendonly");
    line(sdp, "a=ice-ufrag:" + transport.iceUfrag());
    line(sdp, "a=ice-pwd:" + transport.icePwd());
    line(
        sdp,
        "a=fingerprint:"
            + transport.fingerprint().hashFunction()
            + " "
            + transport.fingerprint().value());
    line(sdp, "a=setup:passive"); // camflow is the DTLS server; the player connects (RFC 8842 5.3)
    line(sdp, "a=rtcp-mux");
    line(sdp, "a=rtpmap:" + codec.rtpMap().format(audio));
    for (RtcpFeedback feedback : codec.feedback()) {
      line(sdp, "a=rtcp-fb:" + codec.payloadType() + " " + feedback.value());
    }
    if (!codec.fmtp().isEmpty()) {
      line(sdp, "a=fmtp:" + codec.payloadType() + " " + codec.fmtp());
    }
    String trackId = offered.media() + "0";
    long ssrc = audio ? tracks.audioSsrc() : tracks.videoSsrc();
    line(sdp, "a=msid:" + tracks.streamId() + " " + trackId);
    line(sdp, "a=ssrc:" + ssrc + " cname:" + tracks.cname());
    line(sdp, "a=ssrc:" + ssrc + " msid:" + tracks.streamId() + " " + trackId);
    int n = 0;
    for (HostCandidate candidate : transport.candidates()) {
      line(
          sdp,
          "a=candidate:"
              + (n + 1)
              + " 1 udp "
              + hostPriority(n)
              + " "
              + candidate.address()
              + " "
              + candidate.port()
              + " typ host");
      n++;
    }
    line(sdp, "a=end-of-candidates");
  }

  /**
   * RFC 3264 6 / RFC 8843 7.3.3: port 0, the offered first format, the mid so the player can match
   * it.
   */
  private static void rejected(StringBuilder sdp, MediaDescription offered) {
    line(sdp, "m=" + offered.media() + " 0 " + offered.protocol() + " " + offered.formats().get(0));
    line(sdp, "c=IN IP4 0.0.0.0");
    if (offered.mid() != null) {
      line(sdp, "a=mid:" + offered.mid());
    }
    line(sdp, "a=inactive");
  }

  /**
   * RFC 8445 5.1.2.1: type preference 126 (host), local preference in the order given, component 1.
   */
  private static long hostPriority(int index) {
    return (126L << 24) + ((long) Math.max(0, 65535 - index) << 8) + (256 - 1);
  }

  private static void line(StringBuilder sdp, String line) {
    sdp.append(line).append(CRLF);
  }
}
