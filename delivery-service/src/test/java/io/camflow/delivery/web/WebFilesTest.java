package io.camflow.delivery.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.door.Reply;
import java.net.URI;
import org.junit.jupiter.api.Test;

class WebFilesTest {

  final WebFiles web =
      new WebFiles(URI.create("http://localhost:8180/realms/camflow"), "camflow-web", null, 0);

  @Test
  void namesThatAreNotThereLeaveNothingBehind() {
    for (int i = 0; i < 100_000; i++) {
      assertEquals(404, web.get("/web/missing-" + i + ".js").status());
      assertEquals(404, web.get("/web/missing-" + i + ".unknown").status());
    }
    assertTrue(
        web.kept() <= WebFiles.MAX_KEPT, "kept " + web.kept() + " files for names asked once");
    assertEquals(0, web.kept(), "a miss is not remembered");
  }

  @Test
  void filesThatAreThereAreServedAndKeptUpToTheBound() {
    Reply index = web.get("/");
    assertEquals(200, index.status());
    assertEquals("text/html; charset=utf-8", index.contentType());
    assertTrue(index.headers().containsKey("Content-Security-Policy"));
    assertEquals(200, web.get("/web/player.js").status());
    assertEquals(200, web.get("/web/player.js").status(), "the second time from memory");
    assertEquals(2, web.kept());
    assertEquals(200, web.get("/web/config.json").status());
    assertEquals(404, web.get("/web/../pom.xml").status());
  }
}
