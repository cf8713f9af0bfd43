package io.camflow.media.sdp;

import java.util.List;
import java.util.Optional;

/** The outcome of {@link Negotiator#negotiate}: an answer can be built, or the offer is refused. */
public sealed interface Negotiation {

  /**
   * @param sections one per offered media section, in offer order; exactly one video section is
   *     {@link SectionAnswer.Accepted}
   */
  record Agreed(SessionDescription offer, List<SectionAnswer> sections) implements Negotiation {

    public Agreed {
      sections = List.copyOf(sections);
    }

    public SectionAnswer.Accepted video() {
      return accepted("video").orElseThrow();
    }

    public Optional<SectionAnswer.Accepted> audio() {
      return accepted("audio");
    }

    private Optional<SectionAnswer.Accepted> accepted(String media) {
      return sections.stream()
          .filter(s -> s instanceof SectionAnswer.Accepted && s.offered().media().equals(media))
          .map(SectionAnswer.Accepted.class::cast)
          .findFirst();
    }
  }

  /**
   * No answer is possible; {@code reason} says why in words a player's user can act on (WHEP: 4xx
   * body).
   */
  record Refused(String reason) implements Negotiation {}
}
