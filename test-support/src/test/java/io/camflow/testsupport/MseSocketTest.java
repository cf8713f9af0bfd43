package io.camflow.testsupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The listener side, fed as java.net.http feeds it: messages in parts, one request at a time. */
class MseSocketTest {

  /** Counts requests; sends nothing. */
  static final class Requests implements WebSocket {
    long requested;

    @Override
    public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public void request(long n) {
      requested += n;
    }

    @Override
    public String getSubprotocol() {
      return "";
    }

    @Override
    public boolean isOutputClosed() {
      return false;
    }

    @Override
    public boolean isInputClosed() {
      return false;
    }

    @Override
    public void abort() {}
  }

  static final class Recorder extends MseSocket {
    final List<String> texts = new ArrayList<>();
    final List<byte[]> binaries = new ArrayList<>();

    @Override
    protected void text(String message) {
      texts.add(message);
    }

    @Override
    protected void binary(byte[] message) {
      binaries.add(message);
    }
  }

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void partsArriveAsWholeMessagesOneRequestAtATime() {
    Requests ws = new Requests();
    Recorder r = new Recorder();
    r.onOpen(ws);
    r.onText(ws, "{\"type\":", false);
    r.onText(ws, "\"init\"}", true);
    r.onBinary(ws, bytes("ftyp"), false);
    r.onBinary(ws, bytes("moov"), true);
    r.onBinary(ws, bytes("moofmdat"), true);
    r.onText(ws, "{\"type\":\"live\"}", true);
    assertEquals(List.of("{\"type\":\"init\"}", "{\"type\":\"live\"}"), r.texts);
    assertEquals(2, r.binaries.size());
    assertArrayEquals("ftypmoov".getBytes(StandardCharsets.US_ASCII), r.binaries.get(0));
    assertArrayEquals("moofmdat".getBytes(StandardCharsets.US_ASCII), r.binaries.get(1));
    assertEquals(7, ws.requested, "one more after the open and after every part");
  }

  @Test
  void theCloseOrTheErrorSaysHowItEnded() throws Exception {
    Recorder closedByServer = new Recorder();
    closedByServer.onClose(new Requests(), 1013, "viewer limit");
    assertEquals(new MseSocket.Close(1013, "viewer limit"), closedByServer.closed().get());
    Recorder failed = new Recorder();
    failed.onError(new Requests(), new java.io.IOException("reset"));
    assertEquals(-1, failed.closed().get().code());
    assertEquals("java.io.IOException: reset", failed.closed().get().reason());
  }

  @Test
  void thePlayMessageNamesTheCodecs() {
    assertEquals(
        "{\"type\":\"play\",\"codecs\":[\"avc1.64001f\",\"mp4a.40.2\"]}",
        MseSocket.playMessage("avc1.64001f", "mp4a.40.2"));
    assertEquals("{\"type\":\"play\",\"codecs\":[]}", MseSocket.playMessage());
    assertThrows(
        IllegalStateException.class, () -> new Recorder().play("avc1.64001f"), "before connect");
  }
}
