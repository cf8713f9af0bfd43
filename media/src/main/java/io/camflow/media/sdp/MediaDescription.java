package io.camflow.media.sdp;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One media section ({@code m=} and the lines up to the next one), with the attributes WebRTC needs
 * already parsed. Transport attributes (ICE, fingerprint, setup) hold this section's own values
 * only; {@link SessionDescription} resolves them against the session level.
 *
 * @param media {@code video}, {@code audio}, {@code application}, ...
 * @param port 0 when the offerer rejects the section or, with {@code bundleOnly}, bundles it
 * @param formats the payload types (RTP) or format tokens in the {@code m=} line's order
 * @param connection null when the section has no {@code c=} line
 * @param mid null without {@code a=mid}
 * @param direction null when the section states none (the session's, else sendrecv, applies)
 * @param rtpMaps by payload type
 * @param fmtps by format
 * @param setup null when the section has no {@code a=setup}
 * @param attributes every {@code a=} line of the section in order, parsed or not
 */
public record MediaDescription(
    String media,
    int port,
    int portCount,
    String protocol,
    List<String> formats,
    Connection connection,
    String mid,
    Direction direction,
    Map<Integer, RtpMap> rtpMaps,
    Map<String, Fmtp> fmtps,
    List<RtcpFeedback> rtcpFeedback,
    boolean rtcpMux,
    boolean bundleOnly,
    Ice ice,
    List<Fingerprint> fingerprints,
    Setup setup,
    List<ExtMap> extMaps,
    List<Msid> msids,
    List<SsrcAttribute> ssrcs,
    List<Candidate> candidates,
    List<Attribute> attributes) {

  public MediaDescription {
    formats = List.copyOf(formats);
    rtpMaps = Map.copyOf(rtpMaps);
    fmtps = Map.copyOf(fmtps);
    rtcpFeedback = List.copyOf(rtcpFeedback);
    fingerprints = List.copyOf(fingerprints);
    extMaps = List.copyOf(extMaps);
    msids = List.copyOf(msids);
    ssrcs = List.copyOf(ssrcs);
    candidates = List.copyOf(candidates);
    attributes = List.copyOf(attributes);
  }

  /**
   * The rtpmap of a payload type listed in the {@code m=} line; the static audio types 0 (PCMU) and
   * 8 (PCMA) of RFC 3551 may be listed without one.
   */
  public Optional<RtpMap> rtpMap(int payloadType) {
    RtpMap map = rtpMaps.get(payloadType);
    if (map != null) {
      return Optional.of(map);
    }
    return switch (payloadType) {
      case 0 -> Optional.of(new RtpMap(0, "PCMU", 8000, 1));
      case 8 -> Optional.of(new RtpMap(8, "PCMA", 8000, 1));
      default -> Optional.empty();
    };
  }

  /** The fmtp of a payload type, or one without parameters. */
  public Fmtp fmtp(int payloadType) {
    Fmtp fmtp = fmtps.get(Integer.toString(payloadType));
    return fmtp != null ? fmtp : new Fmtp(Integer.toString(payloadType), Map.of(), "");
  }

  /** RTCP feedback offered for a payload type, wildcard lines included. */
  public List<RtcpFeedback> rtcpFeedback(int payloadType) {
    return rtcpFeedback.stream().filter(f -> f.appliesTo(payloadType)).toList();
  }

  /** The payload types of the {@code m=} line that are numbers 0..127, in order. */
  public List<Integer> payloadTypes() {
    return formats.stream()
        .filter(f -> f.matches("\\d{1,3}"))
        .map(Integer::parseInt)
        .filter(pt -> pt <= 127)
        .toList();
  }

  /** Whether the offerer uses this section: a non-zero port, or port 0 with bundle-only. */
  public boolean isActive() {
    return port != 0 || bundleOnly;
  }

  /** Whether the transport is the WebRTC media transport, RTP over DTLS-SRTP (RFC 8834 5). */
  public boolean isDtlsSrtp() {
    return protocol.equalsIgnoreCase("UDP/TLS/RTP/SAVPF")
        || protocol.equalsIgnoreCase("UDP/TLS/RTP/SAVP");
  }
}
