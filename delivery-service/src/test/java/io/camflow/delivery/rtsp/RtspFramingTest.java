package io.camflow.delivery.rtsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtspFramingTest {

  static final String DESCRIBE =
      "DESCRIBE rtsp://h/cam/main RTSP/1.0\r\nCSeq: 2\r\nAccept: application/sdp\r\n\r\n";

  static List<Object> read(byte[]... chunks) {
    EmbeddedChannel ch = new EmbeddedChannel(new RtspFraming());
    for (byte[] c : chunks) {
      ch.writeInbound(Unpooled.wrappedBuffer(c));
    }
    List<Object> out = new ArrayList<>();
    for (Object o; (o = ch.readInbound()) != null; ) {
      out.add(o);
    }
    ch.finishAndReleaseAll();
    return out;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aRequestWithHeadersAndABody() {
    List<Object> out =
        read(
            bytes(
                "SET_PARAMETER rtsp://h/cam/main RTSP/1.0\r\nCSeq: 7\r\nContent-Length: 5\r\n"
                    + "Session: abc\r\n\r\nhello"));
    RtspRequest r = assertInstanceOf(RtspRequest.class, out.get(0));
    assertEquals("SET_PARAMETER", r.method());
    assertEquals("rtsp://h/cam/main", r.uri());
    assertEquals(7, r.cseq());
    assertEquals("abc", r.header("SESSION"));
    assertArrayEquals(bytes("hello"), r.body());
    assertEquals(1, out.size());
  }

  @Test
  void requestsAndInterleavedPacketsSplitAnywhere() {
    byte[] packet = {'$', 1, 0, 4, 9, 8, 7, 6};
    byte[] all = new byte[0];
    for (byte[] part : List.of(bytes(DESCRIBE), packet, bytes("\r\n"), bytes(DESCRIBE))) {
      byte[] next = new byte[all.length + part.length];
      System.arraycopy(all, 0, next, 0, all.length);
      System.arraycopy(part, 0, next, all.length, part.length);
      all = next;
    }
    for (int cut = 1; cut < all.length; cut++) {
      byte[] a = java.util.Arrays.copyOfRange(all, 0, cut);
      byte[] b = java.util.Arrays.copyOfRange(all, cut, all.length);
      List<Object> out = read(a, b);
      assertEquals(3, out.size(), "cut at " + cut);
      assertInstanceOf(RtspRequest.class, out.get(0));
      Interleaved p = assertInstanceOf(Interleaved.class, out.get(1));
      assertEquals(1, p.channel());
      assertEquals(4, p.content().readableBytes());
      assertInstanceOf(RtspRequest.class, out.get(2));
    }
  }

  @Test
  void whatIsNoRequestIsOneMalformedRequestAndNothingAfter() {
    assertStatus("HELLO\r\n\r\n", 400);
    assertStatus("OPTIONS * RTSP/1.0\r\n\r\n", 400); // CSeq is required
    assertStatus("OPTIONS * RTSP/1.0\r\nCSeq: -1\r\n\r\n", 400);
    assertStatus("OPTIONS * RTSP/1.0\r\nCSeq: 99999999999\r\n\r\n", 400);
    assertStatus("OPTIONS * RTSP/2.0\r\nCSeq: 1\r\n\r\n", 505);
    assertStatus("OPTIONS * HTTP/1.1\r\nCSeq: 1\r\n\r\n", 400);
    assertStatus("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nno colon\r\n\r\n", 400);
    assertStatus("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n folded: x\r\n\r\n", 400);
    assertStatus("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: x\r\n\r\n", 400);
    assertStatus("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 65537\r\n\r\n", 413);
    assertStatus("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n" + "A: b\r\n".repeat(70) + "\r\n", 400);
    assertStatus("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nX: " + "y".repeat(9000) + "\r\n\r\n", 400);
    List<Object> out = read(bytes("BAD\r\n\r\n" + DESCRIBE));
    assertEquals(1, out.size(), "nothing is read after a malformed request");
  }

  @Test
  void aHeadWithoutItsEndWaitsUntilTheLimit() {
    assertEquals(List.of(), read(bytes("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n")));
    MalformedRequest m =
        assertInstanceOf(MalformedRequest.class, read(bytes("A".repeat(8192))).get(0));
    assertEquals(400, m.status());
  }

  @Test
  void theCseqOfAMalformedRequestIsKeptWhenItCanBeRead() {
    MalformedRequest m =
        assertInstanceOf(
            MalformedRequest.class, read(bytes("OPTIONS * RTSP/2.0\r\nCSeq: 12\r\n\r\n")).get(0));
    assertEquals(12, m.cseq());
  }

  /**
   * Random and mutated input: never an exception, at most one malformed request and nothing after
   * it, every interleaved packet's bytes within what was sent.
   */
  @Test
  void fuzz() {
    Random random = new Random(20261207);
    byte[] seed = bytes(DESCRIBE + "$\u0000\u0000\u0002ab" + DESCRIBE);
    for (int round = 0; round < 20_000; round++) {
      byte[] input;
      if (round % 2 == 0) {
        input = seed.clone();
        for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
          input[random.nextInt(input.length)] = (byte) random.nextInt(256);
        }
      } else {
        input = new byte[random.nextInt(300)];
        random.nextBytes(input);
      }
      int cut = input.length == 0 ? 0 : random.nextInt(input.length);
      List<Object> out =
          read(
              java.util.Arrays.copyOfRange(input, 0, cut),
              java.util.Arrays.copyOfRange(input, cut, input.length));
      long total = 0;
      for (int i = 0; i < out.size(); i++) {
        Object o = out.get(i);
        if (o instanceof MalformedRequest) {
          assertEquals(out.size() - 1, i, "a malformed request is the last thing read");
        } else if (o instanceof Interleaved p) {
          total += p.content().readableBytes();
        } else {
          RtspRequest r = assertInstanceOf(RtspRequest.class, o);
          total += r.body().length;
          assertTrue(r.cseq() >= 0);
        }
      }
      assertTrue(total <= input.length);
    }
  }

  static void assertStatus(String input, int status) {
    List<Object> out = read(bytes(input));
    assertEquals(1, out.size(), input);
    MalformedRequest m = assertInstanceOf(MalformedRequest.class, out.get(0), input);
    assertEquals(status, m.status(), m.reason());
  }

  @Test
  void nextNeedsMoreBytesForAPartialPacket() {
    ByteBuf b = Unpooled.wrappedBuffer(new byte[] {'$', 0, 0, 9, 1});
    assertNull(RtspFraming.next(b));
  }
}
