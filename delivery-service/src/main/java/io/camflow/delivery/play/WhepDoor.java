package io.camflow.delivery.play;

import io.camflow.delivery.auth.Access;
import io.camflow.delivery.auth.Caller;
import io.camflow.delivery.door.Credentials;
import io.camflow.delivery.door.Door;
import io.camflow.delivery.door.Refusals;
import io.camflow.delivery.door.Reply;
import io.camflow.delivery.door.Request;
import io.camflow.delivery.hub.StreamHubs;
import io.camflow.delivery.sessions.Ending;
import io.camflow.delivery.whep.WhepService;
import io.camflow.media.StreamKey;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The WHEP resources on the delivery port: {@code POST /live/<camera>/<stream>/whep} with an SDP
 * offer → {@code 201 Created}, the answer and a {@code Location} naming the session; {@code DELETE}
 * of that location ends it; {@code POST} to that location with a fresh bearer token and no body
 * renews the session's token ({@code 204}; camflow's extension, docs/webrtc.md "Tokens": the
 * session otherwise ends at its token's expiry plus the grace, and an invalid token, another
 * user's, or one without the camera ends it at once); {@code PATCH} (trickle ICE, ICE restart) is
 * not supported: the server is ICE-lite with every candidate in its answer, so a client has nothing
 * to trickle to it ({@code 405}). Every request is checked like every media URL (bearer token, live
 * permission for the camera).
 */
public final class WhepDoor implements Door {

  static final String SDP = "application/sdp";

  /** Browser offers are 3–8 KB; anything this large is not an offer. */
  static final int MAX_OFFER_BYTES = 64 * 1024;

  private static final Pattern PATH =
      Pattern.compile("/live/([^/]+)/([^/]+)/whep(?:/([A-Za-z0-9_-]{1,64}))?");
  private final WhepService whep;
  private final StreamHubs streams;
  private final Access access;

  public WhepDoor(WhepService whep, StreamHubs streams, Access access) {
    this.whep = whep;
    this.streams = streams;
    this.access = access;
  }

  /** Whether {@code path} is a WHEP resource. */
  public static boolean serves(String path) {
    return PATH.matcher(path).matches();
  }

  @Override
  public void handle(Request request, Consumer<Reply> answer) {
    handle(
        request.method(), request.path(), request, request.contentType(), request.body(), answer);
  }

  /**
   * Answers one request whose path {@link #serves} says is WHEP.
   *
   * @param contentType the request's Content-Type, or null
   */
  public void handle(
      String method,
      String path,
      Request request,
      String contentType,
      byte[] body,
      Consumer<Reply> answer) {
    Matcher m = PATH.matcher(path);
    if (!m.matches() || !StreamKey.isValidPart(m.group(1)) || !StreamKey.isValidPart(m.group(2))) {
      answer.accept(Reply.text(404, "no such WHEP resource"));
      return;
    }
    StreamKey key = new StreamKey(m.group(1), m.group(2));
    String session = m.group(3);
    switch (method) {
      case "OPTIONS" ->
          answer.accept(
              new Reply(204, Reply.TEXT, Reply.NO_CACHE, List.of())
                  .withHeader("Accept-Post", SDP)
                  .withHeader("Allow", allow(session)));
      case "POST" -> {
        if (session != null) {
          renew(key, session, request, body, answer);
        } else if (contentType == null || !contentType.toLowerCase().startsWith(SDP)) {
          answer.accept(
              Reply.text(415, "the offer must be sent as " + SDP).withHeader("Accept-Post", SDP));
        } else if (body == null || body.length == 0) {
          answer.accept(Reply.text(400, "the request has no SDP offer"));
        } else if (body.length > MAX_OFFER_BYTES) {
          answer.accept(Reply.text(413, "an SDP offer is not " + body.length + " bytes"));
        } else {
          checked(
              key, request, answer, caller -> offer(key, caller, request.client(), body, answer));
        }
      }
      case "DELETE" -> {
        if (session == null) {
          answer.accept(
              Reply.text(405, "DELETE the session's Location, not the endpoint")
                  .withHeader("Allow", "OPTIONS, POST"));
        } else {
          checked(
              key,
              request,
              answer,
              caller ->
                  answer.accept(
                      whep.end(key, session)
                          ? Reply.text(200, "session ended")
                          : Reply.text(404, "no such session")));
        }
      }
      case "PATCH" ->
          answer.accept(
              Reply.text(
                      405,
                      "trickle ICE and ICE restarts are not supported: the answer "
                          + "carries every candidate of this ICE-lite server; make a new offer")
                  .withHeader("Allow", allow(session)));
      default ->
          answer.accept(
              Reply.text(405, "WHEP takes POST, DELETE and OPTIONS")
                  .withHeader("Allow", allow(session)));
    }
  }

  private static String allow(String session) {
    return session == null ? "OPTIONS, POST" : "OPTIONS, POST, DELETE";
  }

  /**
   * {@code POST} to a session's location: its fresh token. 204 when the session goes on with it;
   * the token's refusal (401, 403) otherwise, which ends the session (so does another user's token:
   * 403). A token that cannot be checked now (503) leaves the session as it was.
   */
  private void renew(
      StreamKey key, String session, Request request, byte[] body, Consumer<Reply> answer) {
    if (body != null && body.length > 0) {
      answer.accept(
          Reply.text(
              400,
              "POST to a session's location carries no body: its fresh token goes in Authorization"));
      return;
    }
    token(
        request,
        answer,
        token ->
            access
                .check(request.client(), token, c -> c.mayWatchLive(key.camera()))
                .thenAccept(
                    v -> {
                      switch (v) {
                        case Access.Refused r -> {
                          if (r.status() == 401 || r.status() == 403) {
                            whep.end(
                                key,
                                session,
                                r.status() == 403 ? Ending.ACCESS_REVOKED : Ending.TOKEN_REFUSED);
                          }
                          answer.accept(Refusals.reply(r));
                        }
                        case Access.Granted g ->
                            answer.accept(
                                switch (whep.renew(key, session, g.caller())) {
                                  case RENEWED ->
                                      new Reply(204, Reply.TEXT, Reply.NO_CACHE, List.of());
                                  case NO_SESSION -> Reply.text(404, "no such session");
                                  case OTHER_USER ->
                                      Reply.text(
                                          403, "the token is another user's: the session ended");
                                });
                      }
                    }));
  }

  /** Runs {@code then} with the caller once its token may watch the camera live. */
  private void checked(
      StreamKey key, Request request, Consumer<Reply> answer, Consumer<Caller> then) {
    token(
        request,
        answer,
        token ->
            access
                .check(request.client(), token, c -> c.mayWatchLive(key.camera()))
                .thenAccept(
                    v -> {
                      if (v instanceof Access.Refused r) {
                        answer.accept(Refusals.reply(r));
                      } else {
                        then.accept(((Access.Granted) v).caller());
                      }
                    }));
  }

  /**
   * Runs {@code then} with the request's bearer token (null: none), or answers why the request has
   * none usable.
   */
  private void token(Request request, Consumer<Reply> answer, Consumer<String> then) {
    Map<String, List<String>> query;
    try {
      query = new QueryStringDecoder(request.uri()).parameters();
    } catch (IllegalArgumentException e) {
      answer.accept(Reply.text(400, "the query is not valid URL encoding"));
      return;
    }
    Access.Refused inUrl = Credentials.refusedInUrl(access, request.client(), query);
    if (inUrl != null) { // WHEP clients send headers: a token in the URL would only end up in logs
      answer.accept(Refusals.reply(inUrl));
      return;
    }
    then.accept(Credentials.bearer(request.authorization()));
  }

  private void offer(
      StreamKey key, Caller caller, String client, byte[] body, Consumer<Reply> answer) {
    // opening the stream's hub counts as demand at once (an on-demand camera starts); the session,
    // once
    // admitted, is counted by the viewer sessions like every protocol's
    streams.openFor(
        key,
        answer,
        hub -> {
          // with auth on, the session runs on the caller's token (renewed by POST to its location)
          whep.offer(
                  key,
                  access.enabled() ? caller : null,
                  client,
                  new String(body, StandardCharsets.UTF_8))
              .thenAccept(
                  outcome -> {
                    switch (outcome) {
                      case WhepService.Outcome.Created c -> {
                        answer.accept(
                            new Reply(
                                    201,
                                    SDP,
                                    Reply.NO_CACHE,
                                    List.of(c.answer().getBytes(StandardCharsets.UTF_8)))
                                .withHeader("Location", "/live/" + key + "/whep/" + c.id()));
                      }
                      case WhepService.Outcome.Refused r -> {
                        Reply reply = Reply.text(r.status(), r.reason());
                        answer.accept(
                            r.retryAfterSeconds() > 0
                                ? reply.withHeader(
                                    "Retry-After", Integer.toString(r.retryAfterSeconds()))
                                : reply);
                      }
                    }
                  });
        });
  }
}
