package io.camflow.media.sdp;

import java.util.List;
import java.util.Optional;

/**
 * A parsed SDP session description (RFC 8866): session-level lines and the media sections. The
 * transport attributes may sit at either level; the {@code ...Of(media)} methods resolve them the
 * way RFC 8839 and RFC 8842 say (the media level wins).
 *
 * @param connection session-level {@code c=}, null when absent
 * @param direction session-level direction, null when absent
 * @param setup session-level {@code a=setup}, null when absent
 * @param iceLite {@code a=ice-lite} at session level
 */
public record SessionDescription(
    Origin origin,
    String sessionName,
    Connection connection,
    Direction direction,
    Ice ice,
    List<Fingerprint> fingerprints,
    Setup setup,
    boolean iceLite,
    List<Group> groups,
    List<Attribute> attributes,
    List<MediaDescription> media) {

  public SessionDescription {
    fingerprints = List.copyOf(fingerprints);
    groups = List.copyOf(groups);
    attributes = List.copyOf(attributes);
    media = List.copyOf(media);
  }

  /** Parses SDP text; see {@link SdpParser}. */
  public static SessionDescription parse(String sdp) {
    return SdpParser.parse(sdp);
  }

  public Ice iceOf(MediaDescription section) {
    return section.ice().or(ice);
  }

  public List<Fingerprint> fingerprintsOf(MediaDescription section) {
    return section.fingerprints().isEmpty() ? fingerprints : section.fingerprints();
  }

  /** Null when neither level says. */
  public Setup setupOf(MediaDescription section) {
    return section.setup() != null ? section.setup() : setup;
  }

  /** The section's direction, else the session's, else sendrecv (RFC 8866 6.7). */
  public Direction directionOf(MediaDescription section) {
    return section.direction() != null
        ? section.direction()
        : direction != null ? direction : Direction.SENDRECV;
  }

  /** The BUNDLE group that lists this mid, if any. */
  public Optional<Group> bundleGroupOf(String mid) {
    return mid == null
        ? Optional.empty()
        : groups.stream().filter(g -> g.isBundle() && g.mids().contains(mid)).findFirst();
  }
}
