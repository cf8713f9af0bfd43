package io.camflow.delivery.door;

import io.camflow.delivery.auth.Access;

/**
 * The HTTP answer to a refused request: the status, a short text, and the headers RFC 6750 and RFC
 * 6585 ask for.
 */
public final class Refusals {

  private Refusals() {}

  public static Reply reply(Access.Refused refused) {
    Reply r = Reply.text(refused.status(), refused.message());
    if (refused.status() == 401) {
      r = r.withHeader("WWW-Authenticate", "Bearer realm=\"camflow\"");
    } else if (refused.status() == 403) {
      r =
          r.withHeader(
              "WWW-Authenticate", "Bearer realm=\"camflow\", error=\"insufficient_scope\"");
    }
    if (refused.retryAfterSeconds() > 0) {
      r = r.withHeader("Retry-After", Long.toString(refused.retryAfterSeconds()));
    }
    return r;
  }
}
