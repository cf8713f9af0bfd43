package io.camflow.delivery.play;

import io.camflow.delivery.auth.Access;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.auth.Caller;
import io.camflow.delivery.auth.StreamTokens;
import io.camflow.delivery.door.Credentials;
import io.camflow.delivery.door.Door;
import io.camflow.delivery.door.Refusals;
import io.camflow.delivery.door.Reply;
import io.camflow.delivery.door.Request;
import io.camflow.delivery.hls.HlsResponder;
import io.camflow.delivery.hls.HlsSessions;
import io.camflow.delivery.hub.StreamHubs;
import io.camflow.delivery.sessions.ViewerSessions;
import io.camflow.media.StreamKey;
import io.camflow.media.hls.BadPlaylistRequestException;
import io.camflow.media.hls.BlockingRequest;
import io.camflow.media.hls.HlsNames;
import io.camflow.media.hls.HlsResource;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The door of the viewer hot path (the router's GET routes answered as soon as the request's head
 * is read): health, readiness, metrics and the LL-HLS names {@code /live/<camera>/<stream>/<name>}.
 * Names are judged on the raw request path, byte for byte ({@link HlsNames#parse}, {@link
 * StreamKey}); nothing here maps a name to a file. Every request gets exactly one call of {@code
 * answer}, now or later (a held request), or, if {@code answer} is a {@code StreamingReply} and the
 * request is for the preload-hinted part, one call of its {@code stream}.
 *
 * <p>Access (docs/permissions.md): the playlist needs a user's token with live view of the camera;
 * its media URIs carry a stream token ({@link StreamTokens}), and a media request is served with a
 * valid stream token of that stream or, failing that, a user's token as for the playlist. A refused
 * request gets 401/403/429 and not one byte of media; whether the stream exists is only looked at
 * once the caller may see the camera.
 *
 * <p>A request that may see an existing stream belongs to an HLS viewer session ({@link
 * HlsSessions}): a new session over the viewer limits gets {@code 503}, a disconnected one {@code
 * 403}, and the body bytes of every answer are counted into its session.
 */
public final class LiveRequests implements Door {

  public static final String LIVE = "/live/";

  private final StreamHubs streams;
  private final Access access;
  private final java.util.function.Supplier<String> metrics;
  private final HlsSessions sessions; // null: HLS viewers are not sessions (no limits)

  /**
   * @param metrics the Prometheus text of {@code GET /metrics}
   */
  public LiveRequests(
      StreamHubs streams, Access access, java.util.function.Supplier<String> metrics) {
    this(streams, access, metrics, null);
  }

  /**
   * @param sessions HLS viewers as sessions: the shared viewer limits, bytes, disconnects
   *     (docs/delivery.md)
   */
  public LiveRequests(
      StreamHubs streams,
      Access access,
      java.util.function.Supplier<String> metrics,
      HlsSessions sessions) {
    this.streams = streams;
    this.access = access;
    this.metrics = metrics;
    this.sessions = sessions;
  }

  /** Whether a GET of this path (no query) is answered here. */
  public static boolean serves(String path) {
    return path.startsWith(LIVE)
        || path.equals("/healthz")
        || path.equals("/readyz")
        || path.equals("/metrics");
  }

  @Override
  public void handle(Request request, Consumer<Reply> answer) {
    String path = request.path();
    switch (path) {
      case "/healthz" -> health(request, answer, () -> Reply.text(200, "ok"));
      case "/readyz" ->
          health(
              request,
              answer,
              () ->
                  streams.ready()
                      ? Reply.text(200, "ready")
                      : Reply.text(503, "waiting for Kafka"));
      case "/metrics" ->
          health(
              request,
              answer,
              () ->
                  new Reply(
                      200,
                      "text/plain; version=0.0.4; charset=utf-8",
                      Reply.NO_CACHE,
                      List.of(metrics.get().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
      default -> {
        if (path.startsWith(LIVE)) {
          live(request, path.substring(LIVE.length()), answer);
        } else {
          answer.accept(Reply.text(404, "not found"));
        }
      }
    }
  }

  private void health(
      Request request, Consumer<Reply> answer, java.util.function.Supplier<Reply> reply) {
    AuthSettings.HealthAccess rule =
        access.enabled() ? access.settings().healthAccess() : AuthSettings.HealthAccess.OPEN;
    if (rule == AuthSettings.HealthAccess.OPEN
        || (rule == AuthSettings.HealthAccess.LOOPBACK && request.loopback())) {
      answer.accept(reply.get());
      return;
    }
    Map<String, List<String>> query = query(request.uri(), answer);
    if (query == null) {
      return;
    }
    Access.Refused inUrl = Credentials.refusedInUrl(access, request.client(), query);
    if (inUrl != null) { // probes and Prometheus set headers
      answer.accept(Refusals.reply(inUrl));
      return;
    }
    access
        .check(request.client(), Credentials.bearer(request.authorization()), Caller::isAdmin)
        .thenAccept(
            v -> answer.accept(v instanceof Access.Refused r ? Refusals.reply(r) : reply.get()));
  }

  private void live(Request request, String rest, Consumer<Reply> answer) {
    String[] parts = rest.split("/", -1);
    if (parts.length != 3 || !StreamKey.isValidPart(parts[0]) || !StreamKey.isValidPart(parts[1])) {
      answer.accept(Reply.text(404, "not found"));
      return;
    }
    Optional<HlsResource> resource = HlsNames.parse(parts[2]);
    if (resource.isEmpty()) {
      answer.accept(Reply.text(404, "not found"));
      return;
    }
    Map<String, List<String>> query = query(request.uri(), answer);
    if (query == null) {
      return;
    }
    StreamKey key = new StreamKey(parts[0], parts[1]);
    if (!access.enabled()) {
      serve(key, resource.get(), query, request.client(), ViewerSessions.ANONYMOUS, answer);
      return;
    }
    boolean media = !(resource.get() instanceof HlsResource.Playlist);
    List<String> st = query.get(StreamTokens.PARAM);
    if (media && st != null && st.size() == 1 && access.streamTokens().valid(st.get(0), key)) {
      serve(
          key,
          resource.get(),
          query,
          request.client(),
          null,
          answer); // a stream token names no user
      return;
    }
    String token = Credentials.token(request.authorization(), query);
    if (token == null && st != null) {
      answer.accept(
          Refusals.reply(
              access.refuse(request.client(), 401, "the stream token is not valid for this URL")));
      return;
    }
    access
        .check(request.client(), token, c -> c.mayWatchLive(key.camera()))
        .thenAccept(
            v -> {
              if (v instanceof Access.Refused r) {
                answer.accept(Refusals.reply(r));
              } else {
                serve(
                    key,
                    resource.get(),
                    query,
                    request.client(),
                    ViewerSessions.userOf(((Access.Granted) v).caller()),
                    answer);
              }
            });
  }

  /** The decoded query, or null after answering 400 (a query that does not decode). */
  private static Map<String, List<String>> query(String uri, Consumer<Reply> answer) {
    if (uri.indexOf('?') < 0) {
      return Map.of();
    }
    try {
      return new QueryStringDecoder(uri).parameters();
    } catch (IllegalArgumentException e) {
      answer.accept(Reply.text(400, "the query is not valid URL encoding"));
      return null;
    }
  }

  /**
   * @param user the session's user; null for a request that carries only a stream token
   */
  private void serve(
      StreamKey key,
      HlsResource resource,
      Map<String, List<String>> query,
      String client,
      String user,
      Consumer<Reply> answer) {
    BlockingRequest directives = BlockingRequest.NONE;
    if (resource instanceof HlsResource.Playlist && !query.isEmpty()) {
      try {
        directives = BlockingRequest.parseMulti(query);
      } catch (BadPlaylistRequestException | IllegalArgumentException e) {
        answer.accept(Reply.text(400, e.getMessage()));
        return;
      }
    }
    BlockingRequest request = directives;
    streams.openFor(
        key,
        answer,
        s -> {
          Consumer<Reply> reply = answer;
          if (sessions != null) {
            HlsSessions.Entry entry = sessions.enter(user, key, client);
            if (entry instanceof HlsSessions.Refused refused) {
              answer.accept(
                  refused.reply()); // over a limit, or disconnected: not one byte of media
              return;
            }
            reply = ((HlsSessions.Viewing) entry).counted(answer);
          }
          HlsResponder hls =
              s.hls(); // the stream's CMAF feed starts with its first HLS or MSE viewer
          if (hls == null) {
            reply.accept(
                Reply.text(503, "the stream stopped just now; try again")
                    .withHeader("Retry-After", "1"));
            return;
          }
          String uriQuery = access.enabled() ? access.streamTokens().query(key) : "";
          hls.respond(resource, request, uriQuery, client, reply);
        });
  }
}
