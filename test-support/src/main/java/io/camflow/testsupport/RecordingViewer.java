package io.camflow.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An MSE viewer of a recording (docs/mse.md, "Recordings") made of java.net.http's WebSocket: keeps
 * every message in order (text as JSON, binary as bytes) for a test to take one by one, and every
 * text message it got for a test that only looks at what came ({@link #texts}).
 */
public final class RecordingViewer extends MseSocket {

  static final ObjectMapper JSON = new ObjectMapper();

  private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
  private final List<JsonNode> texts = new CopyOnWriteArrayList<>();

  public static RecordingViewer open(HttpClient http, URI uri, String bearer) throws Exception {
    RecordingViewer v = new RecordingViewer();
    v.connect(http, uri, bearer).get(20, TimeUnit.SECONDS);
    return v;
  }

  public void send(String json) throws Exception {
    socket().sendText(json, true).get(5, TimeUnit.SECONDS);
  }

  @Override
  protected void text(String message) {
    try {
      JsonNode n = JSON.readTree(message);
      texts.add(n);
      messages.add(n);
    } catch (Exception e) {
      messages.add(new AssertionError("not JSON: " + message));
    }
  }

  @Override
  protected void binary(byte[] message) {
    messages.add(message);
  }

  /** The next message, text (JsonNode) or binary (byte[]); fails after {@code seconds}. */
  public Object next(long seconds) throws Exception {
    Object m = messages.poll(seconds, TimeUnit.SECONDS);
    if (m == null) {
      throw new AssertionError("no message within " + seconds + " s");
    }
    if (m instanceof AssertionError e) {
      throw e;
    }
    return m;
  }

  /** The next message, which must be text of {@code type}. */
  public JsonNode expect(String type) throws Exception {
    Object m = next(10);
    if (!(m instanceof JsonNode n) || !type.equals(n.path("type").asText())) {
      throw new AssertionError(
          "expected a "
              + type
              + " message, got "
              + (m instanceof byte[] b ? b.length + " bytes" : m));
    }
    return n;
  }

  /** The next message, which must be binary. */
  public byte[] binary() throws Exception {
    Object m = next(10);
    if (!(m instanceof byte[] b)) {
      throw new AssertionError("expected binary, got " + m);
    }
    return b;
  }

  /** Skips messages up to and including text of {@code type}; returns it. */
  public JsonNode until(String type, long seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      Object m = messages.poll(100, TimeUnit.MILLISECONDS);
      if (m instanceof JsonNode n && type.equals(n.path("type").asText())) {
        return n;
      }
    }
    throw new AssertionError("no " + type + " message within " + seconds + " s");
  }

  /** Every text message received so far, taken or not. */
  public List<JsonNode> texts() {
    return texts;
  }

  /** Messages received and not taken yet. */
  public int waiting() {
    return messages.size();
  }

  /** Takes what is there without waiting. */
  public Object poll() {
    return messages.poll();
  }
}
