package io.camflow.delivery.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The guard on Netty's EmbeddedChannel: pipelined requests are taken one at a time, answered in
 * order.
 */
class ConnectionGuardTest {

  final List<String> seen = new ArrayList<>();

  /** Reads asked of the socket (what re-arms it once auto-read was off). */
  int socketReads;

  ChannelHandlerContext server;
  final ConnectionGuard guard =
      new ConnectionGuard(
          HttpSettings.defaults(), new Connections(), new NettyReplies(CorsPolicy.none()));

  /** Answers {@code /now} at once, keeps {@code /held} for the test to answer. */
  final EmbeddedChannel channel =
      new EmbeddedChannel(
          new ChannelOutboundHandlerAdapter() {
            @Override
            public void read(ChannelHandlerContext ctx) {
              socketReads++;
              ctx.read();
            }
          },
          guard.intake(),
          new HttpRequestDecoder(),
          new FlowControlHandler(),
          guard,
          new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
              server = ctx;
              if (msg instanceof HttpRequest r) {
                seen.add(r.uri());
                if (r.uri().equals("/now")) {
                  ctx.writeAndFlush(answer("now"));
                }
              }
              ReferenceCountUtil.release(msg);
            }
          });

  @AfterEach
  void stop() {
    channel.finishAndReleaseAll();
  }

  static FullHttpResponse answer(String body) {
    return new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1,
        HttpResponseStatus.OK,
        Unpooled.copiedBuffer(body, StandardCharsets.US_ASCII));
  }

  void send(String raw) {
    channel.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.US_ASCII));
    channel.runPendingTasks();
  }

  static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
  }

  String body(Object response) {
    FullHttpResponse r = assertInstanceOf(FullHttpResponse.class, response);
    String text = r.content().toString(StandardCharsets.US_ASCII);
    r.release();
    return text;
  }

  @Test
  void aPipelinedRequestWaitsUntilTheOneBeforeIsAnsweredSoAnswersKeepTheirOrder() {
    send(get("/held") + get("/now") + get("/now"));
    assertEquals(List.of("/held"), seen, "the requests behind a held one are not read yet");
    assertNull(channel.readOutbound());
    assertFalse(channel.config().isAutoRead(), "the socket is not read meanwhile");

    server.writeAndFlush(answer("held"));
    channel.runPendingTasks();
    assertEquals(List.of("/held", "/now", "/now"), seen);
    assertEquals("held", body(channel.readOutbound()), "the held answer first");
    assertEquals("now", body(channel.readOutbound()));
    assertEquals("now", body(channel.readOutbound()));
    assertTrue(channel.config().isAutoRead(), "reading again");
  }

  @Test
  void onceTheWaitingRequestsAreAnsweredTheSocketIsReadAgain() {
    send(get("/held") + get("/now"));
    int before = socketReads;
    server.writeAndFlush(answer("held"));
    channel.runPendingTasks();
    assertEquals(List.of("/held", "/now"), seen, "the waiting request, answered at once");
    assertTrue(socketReads > before, "and then the socket is asked for more");
    channel.outboundMessages().forEach(ReferenceCountUtil::release);
    channel.outboundMessages().clear();
  }

  @Test
  void anInformationalResponseIsNotTheAnswer() {
    send(get("/held") + get("/now"));
    server.writeAndFlush(
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    channel.runPendingTasks();
    assertEquals(List.of("/held"), seen, "100 Continue answers nothing");
    server.writeAndFlush(answer("held"));
    channel.runPendingTasks();
    assertEquals(List.of("/held", "/now"), seen);
  }

  @Test
  void aRequestTheDecoderCannotReadIsAnsweredAndClosed() {
    send("GET /" + "a".repeat(5000) + " HTTP/1.1\r\n\r\n");
    FullHttpResponse r = assertInstanceOf(FullHttpResponse.class, channel.readOutbound());
    assertEquals(414, r.status().code());
    assertEquals("close", r.headers().get("Connection"));
    r.release();
    assertTrue(seen.isEmpty(), "not passed on");
    assertFalse(channel.isOpen());
    assertNull(channel.readOutbound());
  }

  @Test
  void aStreamedAnswerEndsWithItsLastContent() {
    send(get("/held") + get("/now"));
    server.writeAndFlush(
        new io.netty.handler.codec.http.DefaultHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
    server.writeAndFlush(
        new io.netty.handler.codec.http.DefaultHttpContent(
            Unpooled.copiedBuffer("part", StandardCharsets.US_ASCII)));
    channel.runPendingTasks();
    assertEquals(List.of("/held"), seen, "still being answered");
    server.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    channel.runPendingTasks();
    assertEquals(List.of("/held", "/now"), seen);
    channel.outboundMessages().forEach(ReferenceCountUtil::release);
    channel.outboundMessages().clear();
  }
}
