package io.camflow.testsupport;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A viewer's side of delivery's MSE WebSocket (docs/mse.md) on java.net.http, for tests and
 * benchmarks. java.net.http hands a message over in parts; this glues them back and passes whole
 * ones on — text to {@link #text}, binary (the init segment, then fMP4 fragments) to {@link
 * #binary} — asks for one message at a time, and completes {@link #closed()} with how the socket
 * ended. Subclasses keep what they check.
 *
 * <pre>{@code
 * viewer.connect(http, URI.create("ws://127.0.0.1:8080/live/demo/main/mse"), token).get(10, SECONDS);
 * viewer.play("avc1.64001f");
 * }</pre>
 */
public abstract class MseSocket implements WebSocket.Listener {

  /** How the socket ended: the close frame's code and reason, or code -1 and the error's text. */
  public record Close(int code, String reason) {}

  private final StringBuilder text = new StringBuilder();
  private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
  private final CompletableFuture<Close> closed = new CompletableFuture<>();
  private volatile WebSocket socket;

  /** The {@code play} message with these codecs (what the viewer's browser can decode). */
  public static String playMessage(String... codecs) {
    StringBuilder json = new StringBuilder("{\"type\":\"play\",\"codecs\":[");
    for (int i = 0; i < codecs.length; i++) {
      json.append(i == 0 ? "\"" : ",\"").append(codecs[i]).append('"');
    }
    return json.append("]}").toString();
  }

  /**
   * Opens the socket, with the token in an {@code Authorization: Bearer} header unless it is null
   * (a token in the URL's {@code access_token} works without).
   */
  public CompletableFuture<WebSocket> connect(HttpClient http, URI uri, String bearerToken) {
    WebSocket.Builder builder = http.newWebSocketBuilder();
    if (bearerToken != null) {
      builder.header("Authorization", "Bearer " + bearerToken);
    }
    return builder
        .buildAsync(uri, this)
        .thenApply(
            ws -> {
              socket = ws;
              return ws;
            });
  }

  /**
   * Says play (after {@link #connect}); the server then sends {@code init}, the GOP burst and
   * {@code live}.
   */
  public CompletableFuture<WebSocket> play(String... codecs) {
    return socket().sendText(playMessage(codecs), true);
  }

  public WebSocket socket() {
    WebSocket s = socket;
    if (s == null) {
      throw new IllegalStateException("not connected");
    }
    return s;
  }

  /** Completes when the server closes the socket or it fails. */
  public CompletableFuture<Close> closed() {
    return closed;
  }

  /** Drops the connection at once (no close handshake); nothing if it never connected. */
  public void abort() {
    WebSocket s = socket;
    if (s != null) {
      s.abort();
    }
  }

  /** A whole text message (JSON: {@code init}, {@code live}, {@code dropped}, ...). */
  protected void text(String message) {}

  /** A whole binary message: the init segment or one fMP4 fragment. */
  protected void binary(byte[] message) {}

  /**
   * A part of a binary message. Glues the parts for {@link #binary}; a benchmark with thousands of
   * viewers overrides it to count bytes without keeping them.
   */
  protected void binaryPart(ByteBuffer part, boolean last) {
    byte[] bytes = new byte[part.remaining()];
    part.get(bytes);
    binary.writeBytes(bytes);
    if (last) {
      byte[] message = binary.toByteArray();
      binary.reset();
      binary(message);
    }
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    text.append(data);
    if (last) {
      String message = text.toString();
      text.setLength(0);
      text(message);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    binaryPart(data, last);
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(new Close(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.complete(new Close(-1, String.valueOf(error)));
  }
}
