package io.camflow.keycloak.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrantsTest {

  @Test
  void sortsAndDeduplicates() {
    Grants g =
        new Grants(List.of("vera", "ada", "vera"), List.of("camera-x-live", "camflow-admins"));
    assertEquals(List.of("ada", "vera"), g.users());
    assertEquals(List.of("camera-x-live", "camflow-admins"), g.groups());
  }

  @Test
  void isImmutableAndDetachedFromItsInput() {
    List<String> users = new ArrayList<>(List.of("b", "a"));
    Grants g = new Grants(users, List.of());
    users.add("c");
    assertEquals(List.of("a", "b"), g.users());
    assertThrows(UnsupportedOperationException.class, () -> g.users().add("d"));
  }

  @Test
  void none() {
    assertTrue(Grants.none().isEmpty());
    assertEquals(Grants.none(), new Grants(List.of(), List.of()));
  }
}
