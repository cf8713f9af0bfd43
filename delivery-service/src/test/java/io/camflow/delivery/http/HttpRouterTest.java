package io.camflow.delivery.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HttpRouterTest {

  @Test
  void gzipOnlyWhenAccepted() {
    assertTrue(LiveRequests.acceptsGzip("gzip, deflate, br"));
    assertTrue(LiveRequests.acceptsGzip("br;q=1.0, GZIP;q=0.5"));
    assertFalse(LiveRequests.acceptsGzip(null));
    assertFalse(LiveRequests.acceptsGzip("deflate"));
    assertFalse(LiveRequests.acceptsGzip("gzip;q=0"));
    assertFalse(LiveRequests.acceptsGzip("x-gzip2"));
  }
}
