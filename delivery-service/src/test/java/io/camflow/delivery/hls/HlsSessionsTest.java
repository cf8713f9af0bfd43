package io.camflow.delivery.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.door.PartStream;
import io.camflow.delivery.door.Reply;
import io.camflow.delivery.door.StreamingReply;
import io.camflow.delivery.sessions.Protocol;
import io.camflow.delivery.sessions.ViewerLimits;
import io.camflow.delivery.sessions.ViewerSession;
import io.camflow.delivery.sessions.ViewerSessions;
import io.camflow.media.StreamKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** HLS sessions on a hand-moved clock. */
class HlsSessionsTest {

  static final StreamKey A = new StreamKey("cam", "main");
  static final StreamKey B = new StreamKey("cam", "sub");
  static final long SECOND = 1_000_000_000L;

  final AtomicLong now = new AtomicLong(1_000 * SECOND);
  final ViewerSessions registry =
      new ViewerSessions(new ViewerLimits(3, 2), Clock.systemUTC(), now::get);
  final HlsSessions hls =
      new HlsSessions(registry, null, Duration.ofSeconds(15), Duration.ofSeconds(30), now::get);

  ViewerSession viewing(HlsSessions.Entry e) {
    return assertInstanceOf(HlsSessions.Viewing.class, e).session();
  }

  Reply refused(HlsSessions.Entry e) {
    return assertInstanceOf(HlsSessions.Refused.class, e).reply();
  }

  static String text(Reply r) {
    return new String(r.bytes(), StandardCharsets.UTF_8);
  }

  @Test
  void oneSessionPerUserStreamAndAddressEndingWhenIdle() {
    ViewerSession s = viewing(hls.enter("alice", A, "10.0.0.1"));
    assertEquals(Protocol.HLS, s.protocol());
    assertEquals("alice", s.user());
    now.addAndGet(10 * SECOND);
    assertSame(
        s,
        viewing(hls.enter("alice", A, "10.0.0.1")),
        "a request within the idle time is the same session");
    assertSame(
        s,
        viewing(hls.enter(null, A, "10.0.0.1")),
        "a stream-token media request belongs to it too");
    viewing(hls.enter("alice", A, "10.0.0.2"));
    viewing(hls.enter("bob", B, "10.0.0.1"));
    assertEquals(3, registry.count(Protocol.HLS));
    now.addAndGet(14 * SECOND);
    hls.sweep();
    assertEquals(3, registry.count(), "14 s idle: still there");
    now.addAndGet(2 * SECOND);
    hls.sweep();
    assertEquals(0, registry.count(), "16 s idle: over");
    assertTrue(s.ended());
  }

  @Test
  void bytesSentKeepASessionAlive() {
    ViewerSession s = viewing(hls.enter("alice", A, "10.0.0.1"));
    now.addAndGet(14 * SECOND);
    s.sent(10); // a streamed part still being written
    now.addAndGet(14 * SECOND);
    hls.sweep();
    assertEquals(1, registry.count());
  }

  @Test
  void aNewSessionOverALimitGets503WithRetryAfterAnExistingOneNever() {
    ViewerSession a1 = viewing(hls.enter("alice", A, "10.0.0.1"));
    viewing(hls.enter("bob", A, "10.0.0.2"));
    Reply r = refused(hls.enter("carol", A, "10.0.0.3"));
    assertEquals(503, r.status());
    assertEquals("15", r.headers().get("Retry-After"));
    assertTrue(text(r).contains("viewer limit of the stream reached"), text(r));
    for (int i = 0; i < 5; i++) {
      assertSame(
          a1, viewing(hls.enter("alice", A, "10.0.0.1")), "the existing viewer keeps playing");
    }
    viewing(hls.enter("carol", B, "10.0.0.3"));
    assertEquals(503, refused(hls.enter("dave", B, "10.0.0.4")).status(), "3 in total");
  }

  @Test
  void aPlaceHeldByAnIdleSessionIsFreedForANewViewerAtOnce() {
    viewing(hls.enter("alice", A, "10.0.0.1"));
    viewing(hls.enter("bob", A, "10.0.0.2"));
    now.addAndGet(16 * SECOND); // idle, not yet swept
    viewing(hls.enter("carol", A, "10.0.0.3"));
    assertEquals(1, registry.count());
  }

  @Test
  void aDisconnectedViewerIsRefusedDuringTheQuarantineThenAdmittedAgain() {
    ViewerSession s = viewing(hls.enter("alice", A, "10.0.0.1"));
    ViewerSession bob = viewing(hls.enter("bob", A, "10.0.0.2"));
    assertTrue(registry.disconnect(s.id()));
    assertTrue(s.ended());
    assertEquals(List.of(bob), registry.list());
    Reply r = refused(hls.enter("alice", A, "10.0.0.1"));
    assertEquals(403, r.status());
    assertTrue(text(r).contains("disconnected by an administrator"), text(r));
    assertEquals("30", r.headers().get("Retry-After"));
    assertEquals(
        403, refused(hls.enter(null, A, "10.0.0.1")).status(), "its stream-token media too");
    viewing(hls.enter("alice", B, "10.0.0.1")); // another stream: not affected
    viewing(hls.enter("alice", A, "10.0.0.9")); // nor another address
    now.addAndGet(29 * SECOND);
    assertEquals(403, refused(hls.enter("alice", A, "10.0.0.1")).status());
    now.addAndGet(2 * SECOND);
    hls.sweep();
    ViewerSession again = viewing(hls.enter("alice", A, "10.0.0.1"));
    assertTrue(!again.id().equals(s.id()), "a new session");
  }

  @Test
  void aStreamTokenRequestWithoutASessionStartsOne() {
    ViewerSession s = viewing(hls.enter(null, A, "10.0.0.1"));
    assertEquals(HlsSessions.STREAM_TOKEN_USER, s.user());
  }

  @Test
  void countedRepliesAddTheirBodiesAndStreamedParts() {
    ViewerSession s = viewing(hls.enter("alice", A, "10.0.0.1"));
    HlsSessions.Viewing v = new HlsSessions.Viewing(s);
    List<Reply> sent = new ArrayList<>();
    v.counted(sent::add).accept(Reply.media("video/mp4", List.of(new byte[100], new byte[23])));
    assertEquals(123, s.bytes());
    List<Integer> written = new ArrayList<>();
    StreamingReply streaming =
        new StreamingReply() {
          @Override
          public void accept(Reply reply) {
            sent.add(reply);
          }

          @Override
          public PartStream stream(String contentType, String cacheControl) {
            return new PartStream() {
              @Override
              public void write(List<byte[]> chunks) {
                chunks.forEach(c -> written.add(c.length));
              }

              @Override
              public void end() {}

              @Override
              public void abort() {}
            };
          }
        };
    java.util.function.Consumer<Reply> counted = v.counted(streaming);
    assertInstanceOf(StreamingReply.class, counted, "the hinted part is still streamed");
    PartStream part = ((StreamingReply) counted).stream("video/mp4", Reply.IMMUTABLE);
    part.write(List.of(new byte[7], new byte[3]));
    assertEquals(133, s.bytes());
    assertEquals(List.of(7, 3), written);
    assertEquals(1, sent.size());
  }
}
