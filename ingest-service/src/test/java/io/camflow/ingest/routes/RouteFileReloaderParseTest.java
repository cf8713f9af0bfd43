package io.camflow.ingest.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteFileReloaderParseTest {

  @Test
  void entriesAreKeyedByKindAndId() {
    Map<String, Object> entries =
        RouteFileReloader.parse(
            """
        - routeTemplate:
            id: camera-stream
            route: {from: {uri: "timer:x"}}
        - route:
            id: status
            from: {uri: "direct:a", steps: [{to: "log:x"}]}
        - route:
            from: {uri: "direct:b", steps: [{to: "log:y"}]}
        """);
    assertEquals(
        List.of("routeTemplate:camera-stream", "route:status", "route:#3"),
        List.copyOf(entries.keySet()));
  }

  @Test
  void sameTextGivesEqualEntriesAndAnEditDoesNot() {
    String a = "- route: {id: r, from: {uri: 'direct:a', steps: [{to: 'log:x'}]}}";
    String b = "- route: {id: r, from: {uri: 'direct:a', steps: [{to: 'log:y'}]}}";
    assertEquals(RouteFileReloader.parse(a), RouteFileReloader.parse(a));
    assertEquals(false, RouteFileReloader.parse(a).equals(RouteFileReloader.parse(b)));
  }

  @Test
  void rejectsWhatIsNotARoutesFile() {
    assertThrows(IllegalArgumentException.class, () -> RouteFileReloader.parse("route: {id: r}"));
    assertThrows(IllegalArgumentException.class, () -> RouteFileReloader.parse("- a: 1\n  b: 2"));
    IllegalArgumentException dup =
        assertThrows(
            IllegalArgumentException.class,
            () -> RouteFileReloader.parse("- route: {id: r}\n- route: {id: r}"));
    assertEquals("duplicate route id 'r'", dup.getMessage());
  }

  @Test
  void anEmptyFileHasNoEntries() {
    assertEquals(Map.of(), RouteFileReloader.parse(""));
  }
}
