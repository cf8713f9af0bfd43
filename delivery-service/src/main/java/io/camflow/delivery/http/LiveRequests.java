package io.camflow.delivery.http;

import io.camflow.delivery.hls.Reply;
import io.camflow.delivery.live.LiveStream;
import io.camflow.delivery.live.LiveStreams;
import io.camflow.media.StreamKey;
import io.camflow.media.hls.BadPlaylistRequestException;
import io.camflow.media.hls.BlockingRequest;
import io.camflow.media.hls.HlsNames;
import io.camflow.media.hls.HlsResource;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The GET requests delivery answers itself, whatever carries them (the Netty handler on the hot
 * path, or the Camel route): health, readiness and {@code /live/<camera>/<stream>/<name>}. Names
 * are judged on the raw request path, byte for byte ({@link HlsNames#parse}, {@link StreamKey});
 * nothing here maps a name to a file. Every request gets exactly one call of {@code answer}, now
 * or later (a held request), or, if {@code answer} is a {@code StreamingReply} and the request is
 * for the preload-hinted part, one call of its {@code stream}.
 */
public final class LiveRequests implements Getter {

  static final String LIVE = "/live/";

  private final LiveStreams streams;

  public LiveRequests(LiveStreams streams) {
    this.streams = streams;
  }

  /** Whether a GET of this path (no query) is answered here. */
  public static boolean serves(String path) {
    return path.startsWith(LIVE) || path.equals("/healthz") || path.equals("/readyz");
  }

  /** The path of a request URI (without the query). */
  public static String path(String uri) {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  /**
   * Answers a GET.
   *
   * @param uri the raw request URI (path and query)
   * @param client the client's address (viewer counting)
   */
  @Override
  public void get(String uri, String client, Consumer<Reply> answer) {
    String path = path(uri);
    switch (path) {
      case "/healthz" -> answer.accept(Reply.text(200, "ok"));
      case "/readyz" -> answer.accept(streams.ready() ? Reply.text(200, "ready")
          : Reply.text(503, "waiting for Kafka"));
      default -> {
        if (path.startsWith(LIVE)) {
          live(uri, path.substring(LIVE.length()), client, answer);
        } else {
          answer.accept(Reply.text(404, "not found"));
        }
      }
    }
  }

  private void live(String uri, String rest, String client, Consumer<Reply> answer) {
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
    BlockingRequest directives = BlockingRequest.NONE;
    if (resource.get() instanceof HlsResource.Playlist && uri.indexOf('?') >= 0) {
      try {
        directives = BlockingRequest.parseMulti(new QueryStringDecoder(uri).parameters());
      } catch (BadPlaylistRequestException | IllegalArgumentException e) {
        answer.accept(Reply.text(400, e.getMessage()));
        return;
      }
    }
    StreamKey key = new StreamKey(parts[0], parts[1]);
    BlockingRequest request = directives;
    streams.open(key).whenComplete((live, error) -> {
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        answer.accept(Reply.text(503, "Kafka is not answering: " + cause.getClass().getSimpleName()));
      } else if (live.isEmpty()) {
        answer.accept(Reply.text(404, "unknown stream " + key));
      } else {
        LiveStream s = live.get();
        s.touch(client);
        s.hls().respond(resource.get(), request, answer);
      }
    });
  }

  /** Whether an Accept-Encoding value allows gzip. */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String coding : acceptEncoding.split(",")) {
      String[] p = coding.trim().split(";");
      if (p[0].trim().equalsIgnoreCase("gzip")) {
        return p.length < 2 || !p[1].trim().replace(" ", "").matches("q=0(\\.0*)?");
      }
    }
    return false;
  }
}
