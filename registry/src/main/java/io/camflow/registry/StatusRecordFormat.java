package io.camflow.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON value of a {@code camflow.status} record (docs/record-format.md), as ingest and delivery
 * write it: every field of {@link StreamStatus} in its order, unknown ones {@code null} (texts) or
 * {@code 0} (numbers). Written by hand, as {@link CameraRecordFormat} is, so the field names are
 * the documented ones whatever the record's components are called.
 */
public final class StatusRecordFormat {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StatusRecordFormat() {}

  /** UTF-8 JSON, one line. */
  public static byte[] encode(StreamStatus s) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("stream", s.stream());
    o.put("state", s.state());
    o.put("since", s.since());
    o.put("session", s.session());
    o.put("codec", s.codec());
    o.put("codecString", s.codecString());
    o.put("width", s.width());
    o.put("height", s.height());
    o.put("fps", s.fps());
    o.put("bitrateKbps", s.bitrateKbps());
    o.put("lastError", s.lastError());
    o.put("nextRetryAt", s.nextRetryAt());
    StreamStatus.Counters n = s.counters();
    if (n == null) {
      o.putNull("counters");
    } else {
      ObjectNode c = o.putObject("counters");
      c.put("connects", n.connects());
      c.put("failures", n.failures());
      c.put("authFailures", n.authFailures());
      c.put("accessUnits", n.accessUnits());
      c.put("keyframes", n.keyframes());
      c.put("bytes", n.bytes());
    }
    o.put("instance", s.instance());
    o.put("updatedAt", s.updatedAt());
    try {
      return MAPPER.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
