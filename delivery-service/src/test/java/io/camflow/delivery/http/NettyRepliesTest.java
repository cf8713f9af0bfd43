package io.camflow.delivery.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NettyRepliesTest {

  @Test
  void gzipOnlyWhenAccepted() {
    assertTrue(NettyReplies.acceptsGzip("gzip, deflate, br"));
    assertTrue(NettyReplies.acceptsGzip("br;q=1.0, GZIP;q=0.5"));
    assertFalse(NettyReplies.acceptsGzip(null));
    assertFalse(NettyReplies.acceptsGzip("deflate"));
    assertFalse(NettyReplies.acceptsGzip("gzip;q=0"));
    assertFalse(NettyReplies.acceptsGzip("x-gzip2"));
  }
}
