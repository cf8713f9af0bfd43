package io.camflow.delivery.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RtspCredentialsTest {

  static final RtspUrl PLAIN = RtspUrl.parse("rtsp://h/cam/main").orElseThrow();
  static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";

  static String basic(String userPass) {
    return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
  }

  static RtspCredentials of(String authorization, String url) {
    return RtspCredentials.of(authorization, RtspUrl.parse(url).orElseThrow());
  }

  @Test
  void aTokenFromTheHeaderThePasswordOrTheUrl() {
    assertEquals(new RtspCredentials.Token("t1"), RtspCredentials.of("Bearer t1", PLAIN));
    assertEquals(new RtspCredentials.Token(JWT), RtspCredentials.of(basic("any:" + JWT), PLAIN));
    assertEquals(new RtspCredentials.Token("t3"), of(null, "rtsp://h/c/m?jwt=t3"));
    assertEquals(new RtspCredentials.Token("t4"), of(null, "rtsp://h/c/m?access_token=t4"));
    assertEquals(new RtspCredentials.Token("t5"), of("Bearer t5", "rtsp://h/c/m?jwt=t6"));
  }

  @Test
  void anyOtherPasswordIsTheSecretOfTheClientTheUserNames() {
    assertEquals(
        new RtspCredentials.ClientSecret("nvr-garage", "s3cr:et"),
        RtspCredentials.of(basic("nvr-garage:s3cr:et"), PLAIN));
    assertEquals(
        new RtspCredentials.ClientSecret("nvr", "a.b"),
        RtspCredentials.of(basic("nvr:a.b"), PLAIN));
  }

  @Test
  void nothing() {
    for (String none :
        new String[] {null, basic("user:"), basic("nocolon"), "Basic !!!", "Digest username=x"}) {
      assertInstanceOf(RtspCredentials.None.class, RtspCredentials.of(none, PLAIN), none);
    }
    assertInstanceOf(RtspCredentials.None.class, of(null, "rtsp://h/c/m?jwt="));
  }
}
