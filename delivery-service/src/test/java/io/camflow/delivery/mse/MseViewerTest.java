package io.camflow.delivery.mse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.auth.Access;
import io.camflow.delivery.auth.Caller;
import io.camflow.delivery.sessions.Ending;
import io.camflow.delivery.sessions.Protocol;
import io.camflow.delivery.sessions.ViewerLimits;
import io.camflow.delivery.sessions.ViewerSession;
import io.camflow.delivery.sessions.ViewerSessions;
import io.camflow.media.StreamKey;
import io.camflow.media.record.CmafRecord;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The viewer handler on Netty's EmbeddedChannel, fed by a real {@link MseStream} (no Kafka). */
class MseViewerTest {

  static final String PLAY = "{\"type\":\"play\",\"codecs\":[\"avc1.64001f\",\"mp4a.40.2\"]}";
  static final MseSettings SETTINGS = MseSettings.defaults().withQueue(64 * 1024, 100);

  MseStream stream = new MseStream(new StreamKey("cam", "main"), SETTINGS, null);
  final MseViewers viewers = new MseViewers(SETTINGS);
  long offset;

  void init(long id, String codecs) {
    stream.accepted(new CmafRecord.Init("s", id, id, codecs, 320, 240, new byte[] {1, 2, 3}), 0);
  }

  /** A chunk whose first byte is its number, so the test can see which one went out. */
  void chunk(long init, boolean key, int size) {
    byte[] data = new byte[size];
    data[0] = (byte) offset;
    stream.accepted(
        new CmafRecord.Chunk("s", offset, init, 1, offset * 3600, 90000, key, 0, 0, data),
        System.currentTimeMillis());
    offset++;
  }

  EmbeddedChannel viewer() {
    EmbeddedChannel ch = new EmbeddedChannel();
    MseViewer v = new MseViewer(ch, stream, viewers, SETTINGS, "u");
    ch.pipeline().addLast(MseViewer.NAME, v);
    v.opened();
    return ch;
  }

  /**
   * What the channel wrote: text frames as their JSON, binary frames as "bin:<first byte>:<size>".
   */
  static List<String> out(EmbeddedChannel ch) {
    ch.runPendingTasks();
    List<String> out = new ArrayList<>();
    for (Object o; (o = ch.readOutbound()) != null; ) {
      switch (o) {
        case TextWebSocketFrame t -> out.add(t.text());
        case BinaryWebSocketFrame b -> {
          ByteBuf c = b.content();
          out.add("bin:" + c.getByte(c.readerIndex()) + ":" + c.readableBytes());
        }
        case CloseWebSocketFrame c -> out.add("close:" + c.statusCode());
        default -> out.add(o.toString());
      }
    }
    return out;
  }

  @Test
  void startsWithInitThenTheGopFromItsKeyframeThenLive() {
    init(7, "avc1.64001f");
    chunk(7, true, 10); // 0: an older GOP
    chunk(7, false, 10); // 1
    chunk(7, true, 20); // 2: the latest keyframe
    chunk(7, false, 10); // 3
    EmbeddedChannel ch = viewer();
    ch.writeInbound(new TextWebSocketFrame(PLAY));
    assertEquals(
        List.of(
            MseMessages.init("avc1.64001f"), "bin:1:3", "bin:2:20", "bin:3:10", MseMessages.live()),
        out(ch));
    chunk(7, false, 10);
    chunk(7, true, 10);
    assertEquals(List.of("bin:4:10", "bin:5:10"), out(ch));
  }

  @Test
  void unsupportedCodecIsRefusedWith1003() {
    init(1, "hvc1.1.6.L93.B0");
    chunk(1, true, 10);
    EmbeddedChannel ch = viewer();
    ch.writeInbound(new TextWebSocketFrame(PLAY));
    assertEquals(List.of(MseMessages.unsupported("hvc1.1.6.L93.B0"), "close:1003"), out(ch));
  }

  @Test
  void aViewerThatDoesNotReadIsBoundedAndResumesAtAKeyframe() {
    init(1, "avc1.64001f");
    chunk(1, true, 1000);
    EmbeddedChannel ch = viewer();
    ch.writeInbound(new TextWebSocketFrame(PLAY));
    out(ch);
    ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false); // the socket takes nothing
    for (int i = 0; i < 300; i++) {
      chunk(1, i % 50 == 49, 1000);
      ch.runPendingTasks();
      MseViewer v = (MseViewer) ch.pipeline().get(MseViewer.NAME);
      assertTrue(v.heldBytes() <= SETTINGS.queueBytes(), "held " + v.heldBytes());
    }
    MseViewer v = (MseViewer) ch.pipeline().get(MseViewer.NAME);
    assertTrue(v.droppedFragments() > 0);
    chunk(1, false, 1000); // while skipping: not sent
    ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
    List<String> resumed = out(ch);
    assertTrue(
        resumed.get(0).startsWith("{\"type\":\"dropped\",\"reason\":\"slow-viewer\""),
        resumed.toString());
    int i =
        resumed.indexOf(
            resumed.stream().filter(m -> m.startsWith("bin:")).findFirst().orElseThrow());
    assertTrue(resumed.get(i - 1).startsWith("{\"type\":\"dropped\""), resumed.toString());
    List<String> keyframes =
        List.of(
            "bin:50:1000",
            "bin:100:1000",
            "bin:-106:1000",
            "bin:-56:1000",
            "bin:-6:1000",
            "bin:44:1000");
    assertTrue(keyframes.contains(resumed.get(i)), "resumes at a keyframe: " + resumed);
  }

  @Test
  void offlineThenOnlineWithTheNewInit() throws Exception {
    MseSettings quick =
        new MseSettings(new ViewerLimits(10, 10), 1 << 20, 100, Duration.ofMillis(100), 0);
    MseStream s = new MseStream(new StreamKey("cam", "main"), quick, null);
    s.accepted(new CmafRecord.Init("a", 1, 1, "avc1.64001f", 320, 240, new byte[] {1}), 0);
    s.accepted(new CmafRecord.Chunk("a", 1, 1, 1, 0, 90000, true, 0, 0, new byte[] {9}), 0);
    EmbeddedChannel ch = new EmbeddedChannel();
    MseViewer v = new MseViewer(ch, s, viewers, quick, "u");
    ch.pipeline().addLast(v);
    v.opened();
    ch.writeInbound(new TextWebSocketFrame(PLAY));
    assertEquals(4, out(ch).size());
    Thread.sleep(150);
    s.checkStall();
    assertEquals(List.of(MseMessages.offline()), out(ch));
    assertFalse(s.online());
    s.accepted(new CmafRecord.Init("b", 50, 50, "avc1.42e01e", 320, 240, new byte[] {2}), 0);
    s.accepted(new CmafRecord.Chunk("b", 50, 50, 1, 0, 90000, true, 0, 0, new byte[] {8}), 0);
    assertEquals(
        List.of(MseMessages.online(), MseMessages.init("avc1.42e01e"), "bin:2:1", "bin:8:1"),
        out(ch));
  }

  @Test
  void aViewerJoiningAnOfflineStreamIsToldAndStartsWhenItReturns() throws Exception {
    // a second to start: long enough that a busy machine does not pass it between the next lines
    MseSettings quick =
        new MseSettings(new ViewerLimits(10, 10), 1 << 20, 100, Duration.ofSeconds(1), 0);
    EmbeddedChannel early = new EmbeddedChannel();
    MseStream starting = new MseStream(new StreamKey("cam", "main"), quick, null);
    MseViewer e = new MseViewer(early, starting, viewers, quick, "u");
    early.pipeline().addLast(e);
    e.opened();
    early.writeInbound(new TextWebSocketFrame(PLAY));
    assertEquals(List.of(), out(early), "a stream just starting is not called offline at once");
    Thread.sleep(1100);
    starting.checkStall();
    assertEquals(
        List.of(MseMessages.offline()), out(early), "...but once it had offlineAfter to start");
    stream = starting;
    EmbeddedChannel ch = viewer();
    ch.writeInbound(new TextWebSocketFrame(PLAY));
    assertEquals(
        List.of(MseMessages.offline()),
        out(ch),
        "told at once when the stream has been quiet long enough");
    init(3, "avc1.64001f");
    chunk(3, false, 5); // no keyframe yet: nothing to start with
    assertEquals(List.of(), out(ch));
    chunk(3, true, 5);
    List<String> started =
        List.of(
            MseMessages.online(),
            MseMessages.init("avc1.64001f"),
            "bin:1:3",
            "bin:1:5",
            MseMessages.live());
    assertEquals(started, out(ch));
    assertEquals(started, out(early));
  }

  @Test
  void overTheLimitGetsLimitAnd1013() {
    MseViewers one = new MseViewers(MseSettings.defaults().withLimits(1, 1));
    EmbeddedChannel first = new EmbeddedChannel();
    MseViewer a = new MseViewer(first, stream, one, SETTINGS, "u");
    first.pipeline().addLast(a);
    a.opened();
    EmbeddedChannel second = new EmbeddedChannel();
    MseViewer b = new MseViewer(second, stream, one, SETTINGS, "u");
    second.pipeline().addLast(b);
    b.opened();
    assertEquals(List.of(), out(first));
    assertEquals(List.of(MseMessages.limit(), "close:1013"), out(second));
    first.close();
    assertEquals(0, one.count());
    assertEquals(0, stream.viewers());
  }

  @Test
  void aPlaceTakenByAnotherProtocolCountsForTheLimit() {
    ViewerSessions shared = new ViewerSessions(new ViewerLimits(10, 1));
    shared.admit(Protocol.HLS, stream.key(), "hls-user", "10.0.0.1", () -> {});
    MseViewers mse = new MseViewers(SETTINGS, shared);
    EmbeddedChannel ch = new EmbeddedChannel();
    MseViewer v = new MseViewer(ch, stream, mse, SETTINGS, "u");
    ch.pipeline().addLast(v);
    v.opened();
    assertEquals(List.of(MseMessages.limit(), "close:1013"), out(ch));
    assertEquals(1, shared.count());
    assertEquals(0, stream.viewers());
  }

  @Test
  void anAdministratorsDisconnectSaysSoClosesWith1008AndEndsTheSession() {
    init(1, "avc1.64001f");
    chunk(1, true, 10);
    EmbeddedChannel ch = viewer();
    ch.writeInbound(new TextWebSocketFrame(PLAY));
    out(ch);
    ViewerSession session = ch.pipeline().get(MseViewer.class).session();
    assertEquals(Protocol.MSE, session.protocol());
    assertEquals("u", session.user());
    assertEquals(3 + 10, session.bytes(), "init and fragment bytes");
    chunk(1, false, 20);
    out(ch);
    assertEquals(3 + 10 + 20, session.bytes());
    assertTrue(viewers.sessions().disconnect(session.id()));
    ch.runPendingTasks();
    TextWebSocketFrame event = ch.readOutbound();
    assertEquals(MseMessages.disconnected(), event.text());
    assertTrue(event.text().contains("disconnected by an administrator"));
    CloseWebSocketFrame close = ch.readOutbound();
    assertEquals(1008, close.statusCode());
    assertEquals("disconnected by an administrator", close.reasonText());
    assertTrue(viewers.sessions().find(session.id()).isEmpty(), "gone from the list at once");
    assertEquals(0, viewers.count());
  }

  @Test
  void shutdownSaysSoAndCloses1001() {
    init(1, "avc1.64001f");
    chunk(1, true, 10);
    EmbeddedChannel ch = viewer();
    ch.writeInbound(new TextWebSocketFrame(PLAY));
    out(ch);
    viewers.shutdown(Duration.ZERO);
    assertEquals(List.of(MseMessages.shutdown(), "close:1001"), out(ch));
  }

  @Test
  void aBadPlayMessageIsRefused() {
    EmbeddedChannel ch = viewer();
    ch.writeInbound(new TextWebSocketFrame("{\"type\":\"stop\"}"));
    List<String> out = out(ch);
    assertTrue(out.get(0).contains("bad-request"));
    assertEquals("close:1008", out.get(1));
  }

  // --- the session's token (docs/mse.md, "Tokens") ---------------------------------------------

  static final Instant EXP = Instant.now().plusSeconds(300);
  static final Caller ALICE = new Caller("sub-alice", "alice", Set.of("camera:cam:live"), EXP);

  /** What the door's check answers for the next token the client sends. */
  Access.Verdict nextVerdict;

  final List<String> checkedTokens = new ArrayList<>();

  EmbeddedChannel viewerOnToken() {
    init(1, "avc1.64001f");
    chunk(1, true, 10);
    EmbeddedChannel ch = new EmbeddedChannel();
    MseViewer v =
        new MseViewer(
            ch,
            stream,
            viewers,
            SETTINGS,
            "alice",
            "10.0.0.1",
            ALICE,
            token -> {
              checkedTokens.add(token);
              return CompletableFuture.completedFuture(nextVerdict);
            });
    ch.pipeline().addLast(MseViewer.NAME, v);
    v.opened();
    ch.writeInbound(new TextWebSocketFrame(PLAY));
    out(ch);
    return ch;
  }

  static void endedWith(EmbeddedChannel ch, Ending why) {
    ch.runPendingTasks();
    List<String> texts = new ArrayList<>();
    CloseWebSocketFrame close = null;
    for (Object o; (o = ch.readOutbound()) != null; ) {
      if (o instanceof TextWebSocketFrame t) {
        texts.add(t.text());
      } else if (o instanceof CloseWebSocketFrame c) {
        close = c;
      }
    }
    assertEquals(List.of(MseMessages.ended(why)), texts);
    assertTrue(close != null, "closed");
    assertEquals(1008, close.statusCode());
    assertEquals(why.reason(), close.reasonText());
  }

  @Test
  void theSessionEndsAtItsTokensExpiryPlusTheGraceWith1008() {
    EmbeddedChannel ch = viewerOnToken();
    ViewerSession session = ch.pipeline().get(MseViewer.class).session();
    assertEquals(EXP.plusSeconds(30), session.lease().deadline(), "exp plus the default grace");
    assertEquals(0, viewers.sessions().endExpired(EXP.plusSeconds(29)));
    chunk(1, false, 10);
    assertEquals(List.of("bin:1:10"), out(ch), "still playing within the grace");
    assertEquals(1, viewers.sessions().endExpired(EXP.plusSeconds(30)));
    endedWith(ch, Ending.TOKEN_EXPIRED);
    assertTrue(MseMessages.ended(Ending.TOKEN_EXPIRED).contains("\"reason\":\"token-expired\""));
    assertEquals(0, viewers.count(), "its place is given back at once");
  }

  @Test
  void aFreshTokenOverTheSocketKeepsTheSessionGoing() {
    EmbeddedChannel ch = viewerOnToken();
    ViewerSession session = ch.pipeline().get(MseViewer.class).session();
    Instant later = EXP.plusSeconds(300);
    nextVerdict =
        new Access.Granted(new Caller("sub-alice", "alice", Set.of("camera:cam:live"), later));
    ch.writeInbound(new TextWebSocketFrame("{\"type\":\"token\",\"token\":\"fresh-jwt\"}"));
    assertEquals(List.of(MseMessages.renewed(later.plusSeconds(30).getEpochSecond())), out(ch));
    assertEquals(List.of("fresh-jwt"), checkedTokens);
    assertEquals(
        0, viewers.sessions().endExpired(EXP.plusSeconds(31)), "past the first token's deadline");
    chunk(1, false, 10);
    assertEquals(List.of("bin:1:10"), out(ch));
    assertEquals(1, viewers.sessions().endExpired(later.plusSeconds(30)));
    endedWith(ch, Ending.TOKEN_EXPIRED);
    assertTrue(session.ended());
  }

  @Test
  void aTokenBeforePlayWorksToo() {
    init(1, "avc1.64001f");
    chunk(1, true, 10);
    EmbeddedChannel ch = new EmbeddedChannel();
    MseViewer v =
        new MseViewer(
            ch,
            stream,
            viewers,
            SETTINGS,
            "alice",
            "10.0.0.1",
            ALICE,
            token -> CompletableFuture.completedFuture(new Access.Granted(ALICE)));
    ch.pipeline().addLast(MseViewer.NAME, v);
    v.opened();
    ch.writeInbound(new TextWebSocketFrame("{\"type\":\"token\",\"token\":\"t\"}"));
    ch.writeInbound(new TextWebSocketFrame(PLAY));
    List<String> out = out(ch);
    assertEquals(MseMessages.renewed(EXP.plusSeconds(30).getEpochSecond()), out.get(0));
    assertEquals(MseMessages.init("avc1.64001f"), out.get(1));
  }

  @Test
  void anotherUsersTokenEndsTheSession() {
    EmbeddedChannel ch = viewerOnToken();
    nextVerdict =
        new Access.Granted(
            new Caller("sub-mallory", "mallory", Set.of("camera:cam:live"), EXP.plusSeconds(900)));
    ch.writeInbound(new TextWebSocketFrame("{\"type\":\"token\",\"token\":\"mallorys\"}"));
    endedWith(ch, Ending.TOKEN_REFUSED);
    assertEquals(0, viewers.count());
  }

  @Test
  void anInvalidTokenEndsTheSession() {
    EmbeddedChannel ch = viewerOnToken();
    nextVerdict = new Access.Refused(401, "invalid token", 0);
    ch.writeInbound(new TextWebSocketFrame("{\"type\":\"token\",\"token\":\"garbage\"}"));
    endedWith(ch, Ending.TOKEN_REFUSED);
  }

  @Test
  void aFreshTokenWithoutTheCameraEndsTheSessionAsRevoked() {
    EmbeddedChannel ch = viewerOnToken();
    nextVerdict = new Access.Refused(403, "forbidden", 0);
    ch.writeInbound(new TextWebSocketFrame("{\"type\":\"token\",\"token\":\"no-camera\"}"));
    endedWith(ch, Ending.ACCESS_REVOKED);
  }

  @Test
  void aTokenThatCannotBeCheckedNowLeavesTheSessionAsItWas() {
    EmbeddedChannel ch = viewerOnToken();
    ViewerSession session = ch.pipeline().get(MseViewer.class).session();
    nextVerdict = new Access.Refused(503, "tokens cannot be checked right now", 7);
    ch.writeInbound(new TextWebSocketFrame("{\"type\":\"token\",\"token\":\"t\"}"));
    assertEquals(List.of(MseMessages.tokenUnchecked(7)), out(ch));
    assertFalse(session.ended());
    assertEquals(EXP.plusSeconds(30), session.lease().deadline());
  }

  @Test
  void aRevocationEndsTheSession() {
    EmbeddedChannel ch = viewerOnToken();
    assertEquals(0, viewers.sessions().recheck("cam", c -> true));
    assertEquals(1, viewers.sessions().recheck("cam", c -> false));
    endedWith(ch, Ending.ACCESS_REVOKED);
  }

  @Test
  void withAuthOffNothingRunsOnAToken() {
    init(1, "avc1.64001f");
    chunk(1, true, 10);
    EmbeddedChannel ch = viewer();
    ch.writeInbound(new TextWebSocketFrame(PLAY));
    out(ch);
    ch.writeInbound(new TextWebSocketFrame("{\"type\":\"token\",\"token\":\"t\"}"));
    assertEquals(List.of(), out(ch), "ignored");
    assertEquals(0, viewers.sessions().endExpired(Instant.MAX));
    assertFalse(ch.pipeline().get(MseViewer.class).session().ended());
  }
}
