package io.camflow.keycloak.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ActionTest {

  @Test
  void idsAreTheRoleSuffixes() {
    assertEquals("live", Action.LIVE.id());
    assertEquals("dvr", Action.DVR.id());
    assertEquals("publish", Action.PUBLISH.id());
  }

  @Test
  void parsesExactIdsOnly() {
    assertEquals(Optional.of(Action.LIVE), Action.parse("live"));
    assertEquals(Optional.of(Action.DVR), Action.parse("dvr"));
    assertEquals(Optional.of(Action.PUBLISH), Action.parse("publish"));
    // role names are case-sensitive in Keycloak: "LIVE" names no role
    assertEquals(Optional.empty(), Action.parse("LIVE"));
    assertEquals(Optional.empty(), Action.parse(" live"));
    assertEquals(Optional.empty(), Action.parse(""));
    assertEquals(Optional.empty(), Action.parse("admin"));
    assertEquals(Optional.empty(), Action.parse("Publish"));
    assertEquals(Optional.empty(), Action.parse("record")); // RTSP's verb is not the action's name
    assertEquals(Optional.empty(), Action.parse(null));
  }
}
