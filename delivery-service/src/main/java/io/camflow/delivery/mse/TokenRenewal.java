package io.camflow.delivery.mse;

import io.camflow.delivery.auth.Access;
import io.camflow.delivery.sessions.Ending;
import io.camflow.delivery.sessions.ViewerSession;
import java.util.function.Consumer;

/**
 * What a socket's session does with the verdict on a fresh token its client sent (docs/mse.md,
 * "Tokens"), for the MSE and frames sockets alike: go on until the new deadline and say so ({@code
 * renewed}); end because access was revoked (403) or the token refused (401); or, when it could not
 * be checked now, go on until the old deadline and say when to try again ({@code token-unchecked}).
 */
public final class TokenRenewal {

  private TokenRenewal() {}

  /**
   * @param send sends a text message to the client
   */
  public static void apply(ViewerSession s, Access.Verdict verdict, Consumer<String> send) {
    switch (verdict) {
      case Access.Granted g -> {
        if (s.renew(g.caller())) {
          send.accept(MseMessages.renewed(s.lease().deadline().getEpochSecond()));
        } // another user's token: renew ended the session
      }
      case Access.Refused r when r.status() == 403 -> s.endFor(Ending.ACCESS_REVOKED);
      case Access.Refused r when r.status() == 401 -> s.endFor(Ending.TOKEN_REFUSED);
      case Access.Refused r -> send.accept(MseMessages.tokenUnchecked(r.retryAfterSeconds()));
    }
  }
}
