package io.camflow.media;

/**
 * camflow's Kafka topics, named once (docs/record-format.md, docs/cmaf-format.md): every service
 * and, through the property placeholders the services set ({@code {{camflow.topic.status}}}, …),
 * every route reads them from here.
 */
public final class Topics {

  /** {@code camflow.media.<camera>.<stream>}: a stream's access units. */
  public static final String MEDIA_PREFIX = "camflow.media.";

  /** {@code camflow.cmaf.<camera>.<stream>}: a stream's CMAF records. */
  public static final String CMAF_PREFIX = "camflow.cmaf.";

  /**
   * {@code camflow.index.<camera>.<stream>}: one record per CMAF segment, the recording's time
   * index ({@link io.camflow.media.record.IndexEntry}).
   */
  public static final String INDEX_PREFIX = "camflow.index.";

  /**
   * {@code camflow.thumbs.<camera>.<stream>}: small JPEGs of keyframes, sampled once per interval,
   * the DVR timeline's pictures ({@link io.camflow.media.record.Thumbnail}).
   */
  public static final String THUMBS_PREFIX = "camflow.thumbs.";

  /** The camera registry (compacted, key = camera id). */
  public static final String CAMERAS = "camflow.cameras";

  /** Every stream's latest status (compacted, key = camera/stream). */
  public static final String STATUS = "camflow.status";

  /** Viewer demand heartbeats (key = camera/stream). */
  public static final String DEMAND = "camflow.demand";

  /** The ingest instances' control topic: its partitions decide who pulls which stream. */
  public static final String INGEST_OWNERSHIP = "camflow.ingest.ownership";

  private Topics() {}

  /** The media topic of {@code key}. */
  public static String media(StreamKey key) {
    return MEDIA_PREFIX + key.camera() + "." + key.stream();
  }

  /** The CMAF topic of {@code key}. */
  public static String cmaf(StreamKey key) {
    return CMAF_PREFIX + key.camera() + "." + key.stream();
  }

  /** The index topic of {@code key}: its recording's segments by time. */
  public static String index(StreamKey key) {
    return INDEX_PREFIX + key.camera() + "." + key.stream();
  }

  /** The thumbnail topic of {@code key}: its recording's pictures by time. */
  public static String thumbs(StreamKey key) {
    return THUMBS_PREFIX + key.camera() + "." + key.stream();
  }

  /** The thumbnail topic of the stream whose media topic is {@code mediaTopic}. */
  public static String thumbsOf(String mediaTopic) {
    return THUMBS_PREFIX + streamPart(mediaTopic);
  }

  /** The index topic of the stream whose media topic is {@code mediaTopic}. */
  public static String indexOf(String mediaTopic) {
    return INDEX_PREFIX + streamPart(mediaTopic);
  }

  /** The CMAF topic of the stream whose media topic is {@code mediaTopic}. */
  public static String cmafOf(String mediaTopic) {
    return CMAF_PREFIX + streamPart(mediaTopic);
  }

  private static String streamPart(String mediaTopic) {
    if (!mediaTopic.startsWith(MEDIA_PREFIX)) {
      throw new IllegalArgumentException("not a media topic: " + mediaTopic);
    }
    return mediaTopic.substring(MEDIA_PREFIX.length());
  }
}
