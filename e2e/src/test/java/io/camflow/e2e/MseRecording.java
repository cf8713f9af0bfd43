package io.camflow.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.testsupport.MseSocket;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What an MSE viewer receives (docs/mse.md), recorded as one fMP4 file: it opens the WebSocket,
 * sends {@code play} with the given codecs, and keeps the first init segment and every fragment
 * that follows for a while — the GOP burst, then live. FFmpeg reads the result like any fragmented
 * MP4. The text messages are kept too (a {@code dropped} would mean a hole in the file).
 */
final class MseRecording extends MseSocket {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ByteArrayOutputStream file = new ByteArrayOutputStream();
  private final List<JsonNode> events = new ArrayList<>();
  private final CompletableFuture<Void> live = new CompletableFuture<>();
  private int inits;
  private boolean expectInit;

  private MseRecording() {}

  /**
   * Records {@code url} for {@code duration} after the server said {@code live}.
   *
   * @throws IllegalStateException when the stream never goes live within 30 s
   */
  static MseRecording record(String url, List<String> codecs, Duration duration) throws Exception {
    MseRecording r = new MseRecording();
    WebSocket ws =
        r.connect(HttpClient.newHttpClient(), URI.create(url), null).get(10, TimeUnit.SECONDS);
    try {
      r.play(codecs.toArray(String[]::new)).get(5, TimeUnit.SECONDS);
      try {
        r.live.get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException(
            "the MSE stream did not go live within 30 s; messages: " + r.events());
      }
      Thread.sleep(duration.toMillis());
    } finally {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    }
    return r;
  }

  /** The init segment followed by the fragments, as one file. */
  synchronized byte[] file() {
    return file.toByteArray();
  }

  /** The text messages received, in order. */
  synchronized List<JsonNode> events() {
    return List.copyOf(events);
  }

  /**
   * The codecs the init of {@link #file()} announced ({@code "avc1.42e01e,mp4a.40.2"}), or ""
   * before one came.
   */
  synchronized String codecs() {
    return events.stream()
        .filter(e -> "init".equals(e.path("type").asText()))
        .findFirst()
        .map(e -> e.path("codecs").asText())
        .orElse("");
  }

  /** The {@code dropped} messages (a slow viewer's skipped frames). */
  synchronized List<JsonNode> dropped() {
    return events.stream().filter(e -> "dropped".equals(e.path("type").asText())).toList();
  }

  @Override
  protected synchronized void text(String message) {
    try {
      JsonNode event = JSON.readTree(message);
      events.add(event);
      switch (event.path("type").asText()) {
        case "init" -> expectInit = true;
        case "live" -> live.complete(null);
        default -> {}
      }
    } catch (Exception e) {
      live.completeExceptionally(e);
    }
  }

  @Override
  protected synchronized void binary(byte[] message) {
    boolean init = expectInit;
    expectInit = false;
    if (init) {
      inits++;
    }
    // one file holds one init segment: a second one (a new camera session) ends the recording
    if (inits == 1) {
      file.writeBytes(message);
    }
  }
}
