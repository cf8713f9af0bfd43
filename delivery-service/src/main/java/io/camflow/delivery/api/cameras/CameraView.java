package io.camflow.delivery.api.cameras;

import com.fasterxml.jackson.databind.JsonNode;
import io.camflow.registry.CameraEntry;
import io.camflow.registry.StreamEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A camera as the API shows it. An administrator sees its registry record without any password
 * (only whether one is set), each stream with its live state from {@code camflow.status}, its last
 * error, viewers and playback URLs. Anyone else sees what watching needs: each stream's name,
 * state, picture (codec, size, rate) and playback URLs — not where the camera is, who logs in to
 * it, how it is pulled, or the raw error text, which may name hosts and paths. Settings left unset
 * are {@code null}: ingest applies the {@code defaults:} of config/camflow.yaml. A stream's {@code
 * source} is always shown to an administrator ({@code pull} or {@code publish}); a published stream
 * has none of a pulled stream's fields (url, credentials, settings, TLS).
 */
final class CameraView {

  private CameraView() {}

  /**
   * @param viewers a stream's viewers on this instance by protocol
   * @param admin whether the caller may see the camera's settings (camflow:admin)
   * @param rtspBase {@code rtsp://<host>:<port>} of this delivery's RTSP server as the caller
   *     reaches it, null when there is none: the streams' {@code rtsp} URL
   */
  static Map<String, Object> of(
      CameraEntry c,
      StreamStatuses statuses,
      java.util.function.Function<io.camflow.media.StreamKey, Map<String, Integer>> viewers,
      boolean admin,
      String rtspBase) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", c.id());
    if (admin) {
      out.put("source", c.source());
      out.put("dvrRetention", c.dvrRetention());
      out.put("dvrMaxSize", c.dvrMaxSize());
    }
    List<Map<String, Object>> streams = new ArrayList<>();
    for (StreamEntry s : c.streams()) {
      String key = c.id() + "/" + s.name();
      JsonNode st = statuses.of(key).orElse(null);
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("name", s.name());
      if (admin) {
        j.put("source", s.source().yamlName());
      }
      if (admin && !s.published()) {
        j.put("url", s.url());
        j.put("username", s.username());
        j.put("passwordSet", s.hasPassword());
        j.putAll(s.settings().texts());
        j.put("tlsVerify", s.tlsVerify());
        j.put("tlsFingerprint", s.tlsFingerprint());
      }
      j.put("state", st == null ? "unknown" : text(st, "state"));
      if (admin) {
        j.put("lastError", st == null ? null : text(st, "lastError"));
      }
      j.put(
          "since",
          st == null || !st.path("since").isNumber() || st.path("since").asLong() <= 0
              ? null
              : Instant.ofEpochMilli(st.path("since").asLong()).toString());
      j.put("codec", st == null ? null : text(st, "codec"));
      j.put("codecString", st == null ? null : text(st, "codecString"));
      j.put("width", st == null ? null : number(st, "width"));
      j.put("height", st == null ? null : number(st, "height"));
      j.put("fps", st == null ? null : number(st, "fps"));
      j.put("bitrateKbps", st == null ? null : number(st, "bitrateKbps"));
      if (admin) {
        j.put("viewers", viewers.apply(new io.camflow.media.StreamKey(c.id(), s.name())));
      }
      String base = "/live/" + c.id() + "/" + s.name();
      Map<String, String> urls = new LinkedHashMap<>();
      urls.put("hls", base + "/index.m3u8");
      urls.put("mse", base + "/mse");
      urls.put("webrtc", base + "/whep");
      urls.put("snapshot", base + "/snapshot.jpg");
      urls.put("mjpeg", base + "/mjpeg");
      if (rtspBase != null) {
        urls.put("rtsp", rtspBase + "/" + c.id() + "/" + s.name());
      }
      j.put("urls", urls);
      streams.add(j);
    }
    out.put("streams", streams);
    return out;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Number number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isNumber() || v.asDouble() <= 0) {
      return null; // 0 means "not measured yet" in the status record
    }
    return v.isIntegralNumber()
        ? (Number) v.asLong()
        : (Number) (Math.round(v.asDouble() * 10) / 10.0);
  }
}
