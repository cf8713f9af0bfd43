package io.camflow.delivery.http;

import static io.camflow.delivery.hls.SyntheticCmaf.INIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.hls.HeldRequests;
import io.camflow.delivery.hls.HlsResponder;
import io.camflow.delivery.hls.HoldQuota;
import io.camflow.delivery.hls.StreamWindow;
import io.camflow.delivery.hls.SyntheticCmaf;
import io.camflow.media.hls.BlockingRequest;
import io.camflow.media.hls.HlsNames;
import io.camflow.media.hls.HlsResource;
import io.camflow.media.hls.PlaylistWindow;
import io.camflow.media.record.CmafRecord;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrontDoorTest {

  final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  final StreamWindow window = new StreamWindow(new PlaylistWindow());
  final HeldRequests held = new HeldRequests(timer);
  final HlsResponder responder = new HlsResponder(window, held, Duration.ofMillis(300));
  final List<Object> passedOn = new ArrayList<>();
  final EmbeddedChannel channel =
      new EmbeddedChannel(
          new FrontDoor(
              (request, answer) ->
                  responder.respond(
                      HlsNames.parse(request.uri().substring(request.uri().lastIndexOf('/') + 1))
                          .orElseThrow(),
                      BlockingRequest.NONE,
                      answer),
              new NettyReplies(CorsPolicy.anyOrigin())),
          new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
              passedOn.add(msg); // what the aggregator would get
            }
          });

  @AfterEach
  void stop() {
    timer.shutdownNow();
    channel.finishAndReleaseAll();
  }

  /**
   * Feeds records the way StreamFeed does: re-checks held requests on changes, streams on chunks.
   */
  void feed(List<SyntheticCmaf.Timed> records) {
    for (SyntheticCmaf.Timed t : records) {
      if (window.accept(t.record(), t.timestampMillis())) {
        held.recheck();
      } else if (t.record() instanceof CmafRecord.Chunk) {
        held.recheckStreams();
      }
    }
    channel.runPendingTasks();
  }

  void live() {
    feed(List.of(SyntheticCmaf.init(INIT)));
    feed(SyntheticCmaf.segment(0, 6));
    feed(SyntheticCmaf.segment(1, 6));
    feed(SyntheticCmaf.part(2, 0, false, 6)); // segment 2 in progress, part 2.1 hinted
  }

  void get(String path) {
    DefaultFullHttpRequest request =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/live/cam/main/" + path);
    request.headers().set("Origin", "http://player.example");
    channel.writeInbound(request);
    channel.runPendingTasks();
  }

  static String text(ByteBuf b) {
    return b.toString(StandardCharsets.US_ASCII);
  }

  @Test
  void theHintedPartStreamsAsItGrowsAndEndsWithItsPartEnd() {
    live();
    List<SyntheticCmaf.Timed> part = SyntheticCmaf.part(2, 1, false, 6); // 3 chunks, then PartEnd
    feed(part.subList(0, 1));
    get("part-2.1.m4s");

    HttpResponse head = assertInstanceOf(HttpResponse.class, channel.readOutbound());
    assertEquals(200, head.status().code());
    assertTrue(HttpUtil.isTransferEncodingChunked(head), "chunked");
    assertEquals("video/mp4", head.headers().get("Content-Type"));
    assertEquals("max-age=31536000, immutable", head.headers().get("Cache-Control"));
    assertEquals("*", head.headers().get("Access-Control-Allow-Origin"));
    HttpContent first = channel.readOutbound();
    assertEquals("2.1.0;", text(first.content()), "the chunk already here is sent at once");
    assertFalse(first instanceof LastHttpContent);
    first.release();
    assertNull(channel.readOutbound(), "nothing more until the window grows");

    feed(part.subList(1, 2));
    HttpContent second = channel.readOutbound();
    assertEquals(
        "2.1.1;", text(second.content()), "a new chunk goes out before the part is complete");
    assertFalse(second instanceof LastHttpContent);
    second.release();
    assertNull(channel.readOutbound(), "the response has not ended: the part is not complete");

    feed(part.subList(2, 4)); // the last chunk and the PartEnd
    HttpContent third = channel.readOutbound();
    assertEquals("2.1.2;", text(third.content()));
    third.release();
    assertInstanceOf(LastHttpContent.class, channel.readOutbound(), "ended by the PartEnd");
    assertNull(channel.readOutbound());
    assertTrue(channel.isOpen(), "keep-alive");
    assertEquals(0, held.size());
    assertTrue(passedOn.isEmpty(), "nothing reached Camel");
  }

  @Test
  void theHintedPartBeforeItsFirstChunkStreamsToo() {
    live();
    get("part-2.1.m4s");
    assertEquals(200, ((HttpResponse) channel.readOutbound()).status().code());
    assertNull(channel.readOutbound());
    feed(SyntheticCmaf.part(2, 1, false, 6));
    StringBuilder body = new StringBuilder();
    Object o;
    while (!((o = channel.readOutbound()) instanceof LastHttpContent)) {
      HttpContent c = (HttpContent) o;
      body.append(text(c.content()));
      c.release();
    }
    assertEquals("2.1.0;2.1.1;2.1.2;", body.toString());
  }

  @Test
  void theStreamIsAbortedWhenTheSegmentEndsWithoutThePart() {
    live();
    get("part-2.1.m4s");
    assertEquals(200, ((HttpResponse) channel.readOutbound()).status().code());
    // segment 2 ends after its first part: part 2.1 never comes
    feed(
        List.of(
            new SyntheticCmaf.Timed(
                new CmafRecord.SegmentEnd("s", 0, INIT, 2, 320_000, 1, false),
                SyntheticCmaf.START_MILLIS + 4000)));
    assertFalse(channel.isOpen(), "closed without the last chunk");
    assertEquals(0, held.size());
  }

  @Test
  void theHintedPartWithNoPlaceToWaitIs503NotAStream() {
    HlsResponder oneWaits =
        new HlsResponder(
            window, new HeldRequests(timer, new HoldQuota(1, 0)), Duration.ofMillis(300));
    EmbeddedChannel capped =
        new EmbeddedChannel(
            new FrontDoor(
                (request, answer) ->
                    oneWaits.respond(
                        new HlsResource.Part(2, 1),
                        BlockingRequest.NONE,
                        "",
                        request.client(),
                        answer),
                new NettyReplies(CorsPolicy.anyOrigin())));
    live();
    capped.writeInbound(
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.GET, "/live/cam/main/part-2.1.m4s"));
    capped.runPendingTasks();
    HttpResponse first = capped.readOutbound();
    assertEquals(200, first.status().code(), "the one place: streamed");
    capped.writeInbound(
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.GET, "/live/cam/main/part-2.1.m4s"));
    capped.runPendingTasks();
    FullHttpResponse second = assertInstanceOf(FullHttpResponse.class, capped.readOutbound());
    assertEquals(503, second.status().code(), "no place: a whole 503, no stream started");
    assertEquals("1", second.headers().get("Retry-After"));
    second.release();
    capped.finishAndReleaseAll();
  }

  @Test
  void aCompletePartIsOneResponseOverTheSharedChunks() {
    live();
    get("part-2.0.m4s");
    FullHttpResponse r = channel.readOutbound();
    assertEquals(200, r.status().code());
    assertEquals("18", r.headers().get("Content-Length"));
    assertEquals("2.0.0;2.0.1;2.0.2;", text(r.content()));
    r.release();
    get("part-9.0.m4s");
    FullHttpResponse missing = channel.readOutbound();
    assertEquals(404, missing.status().code());
    assertEquals("no-cache", missing.headers().get("Cache-Control"));
    missing.release();
    assertTrue(channel.isOpen(), "keep-alive");
  }

  @Test
  void otherRequestsGoOnToTheAggregator() {
    channel.writeInbound(
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.OPTIONS, "/live/cam/main/index.m3u8"));
    channel.writeInbound(
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/other"));
    assertEquals(2, passedOn.size());
    assertNull(channel.readOutbound());
    passedOn.forEach(io.netty.util.ReferenceCountUtil::release);
  }
}
