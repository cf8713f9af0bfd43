package io.camflow.media.hls;

/**
 * What a viewer may request under {@code /live/<camera>/<stream>/}: see {@link HlsNames}. Each
 * resource knows its canonical name, so {@code HlsNames.parse(r.name())} gives {@code r} back.
 */
public sealed interface HlsResource
    permits HlsResource.Playlist, HlsResource.Init, HlsResource.Segment, HlsResource.Part {

  /** The file name, e.g. {@code seg-120.m4s}. */
  String name();

  /** The HTTP Content-Type to serve it with. */
  String contentType();

  /** The media playlist, {@code index.m3u8}. */
  HlsResource PLAYLIST = new Playlist();

  /** {@code index.m3u8}. */
  record Playlist() implements HlsResource {
    @Override
    public String name() {
      return HlsNames.PLAYLIST;
    }

    @Override
    public String contentType() {
      return HlsNames.PLAYLIST_CONTENT_TYPE;
    }
  }

  /** {@code init-<number>.mp4}: the init segment (Media Initialization Section) of one session. */
  record Init(long number) implements HlsResource {
    public Init {
      HlsNames.requireNumber("init number", number);
    }

    @Override
    public String name() {
      return HlsNames.init(number);
    }

    @Override
    public String contentType() {
      return HlsNames.MEDIA_CONTENT_TYPE;
    }
  }

  /** {@code seg-<msn>.m4s}: a complete Media Segment. */
  record Segment(long msn) implements HlsResource {
    public Segment {
      HlsNames.requireNumber("media sequence number", msn);
    }

    @Override
    public String name() {
      return HlsNames.segment(msn);
    }

    @Override
    public String contentType() {
      return HlsNames.MEDIA_CONTENT_TYPE;
    }
  }

  /** {@code part-<msn>.<index>.m4s}: Partial Segment {@code index} of segment {@code msn}. */
  record Part(long msn, int index) implements HlsResource {
    public Part {
      HlsNames.requireNumber("media sequence number", msn);
      HlsNames.requirePartIndex(index);
    }

    @Override
    public String name() {
      return HlsNames.part(msn, index);
    }

    @Override
    public String contentType() {
      return HlsNames.MEDIA_CONTENT_TYPE;
    }
  }
}
