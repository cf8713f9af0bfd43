package io.camflow.delivery.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HttpRouterTest {

  @Test
  void gzipOnlyWhenAccepted() {
    assertTrue(HttpRouter.acceptsGzip("gzip, deflate, br"));
    assertTrue(HttpRouter.acceptsGzip("br;q=1.0, GZIP;q=0.5"));
    assertFalse(HttpRouter.acceptsGzip(null));
    assertFalse(HttpRouter.acceptsGzip("deflate"));
    assertFalse(HttpRouter.acceptsGzip("gzip;q=0"));
    assertFalse(HttpRouter.acceptsGzip("x-gzip2"));
  }
}
