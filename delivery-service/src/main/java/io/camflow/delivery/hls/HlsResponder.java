package io.camflow.delivery.hls;

import io.camflow.delivery.door.PartStream;
import io.camflow.delivery.door.Reply;
import io.camflow.delivery.door.StreamingReply;
import io.camflow.media.hls.BlockingRequest;
import io.camflow.media.hls.HlsResource;
import io.camflow.media.hls.MediaPlaylist;
import io.camflow.media.hls.SegmentRef;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Answers the LL-HLS requests of one stream from its {@link StreamWindow}: at once when it can,
 * otherwise by holding the request in the stream's {@link HeldRequests} (blocking playlist reload,
 * the preload-hinted part, a stream whose first init has not arrived yet). Every answer goes to
 * {@code reply} exactly once, on whichever thread makes it possible. No HTTP, no Camel.
 */
public final class HlsResponder {

  private final StreamWindow window;
  private final HeldRequests held;
  private final Duration startWait;
  private volatile Rendered rendered;

  private record Rendered(MediaPlaylist playlist, String uriQuery, byte[] bytes) {}

  /**
   * @param startWait how long a playlist request waits for a stream that has no playlist yet (an
   *     on-demand camera starting), before 503
   */
  public HlsResponder(StreamWindow window, HeldRequests held, Duration startWait) {
    this.window = window;
    this.held = held;
    this.startWait = startWait;
  }

  /** Answers a request for {@code resource}; {@code request} matters only for the playlist. */
  public void respond(HlsResource resource, BlockingRequest request, Consumer<Reply> reply) {
    respond(resource, request, "", reply);
  }

  /**
   * Answers a request for {@code resource}; {@code request} and {@code uriQuery} (appended to every
   * URI of the playlist: the stream token) matter only for the playlist.
   */
  public void respond(
      HlsResource resource, BlockingRequest request, String uriQuery, Consumer<Reply> reply) {
    respond(resource, request, uriQuery, null, reply);
  }

  /**
   * Answers a request for {@code resource} from {@code client} (its address: the share of held
   * requests it may take; null: the total only). A request that would be held when there is no
   * place for it in the {@link HoldQuota} is answered {@code 503} with {@code Retry-After} at once.
   */
  public void respond(
      HlsResource resource,
      BlockingRequest request,
      String uriQuery,
      String client,
      Consumer<Reply> reply) {
    switch (resource) {
      case HlsResource.Playlist p -> playlist(request, uriQuery, client, reply);
      case HlsResource.Init init -> {
        byte[] data = window.init(init.number());
        reply.accept(data == null ? notHere(init) : Reply.media(init.contentType(), List.of(data)));
      }
      case HlsResource.Segment segment -> {
        List<byte[]> chunks = window.segment(segment.msn());
        reply.accept(
            chunks == null ? notHere(segment) : Reply.media(segment.contentType(), chunks));
      }
      case HlsResource.Part part -> part(part, client, reply);
    }
  }

  /**
   * A playlist a player can start on has a complete segment: players without LL-HLS support play
   * segments only, and an LL-HLS player needs one to find the live edge.
   */
  private static boolean playable(MediaPlaylist playlist) {
    return playlist != null && playlist.segments().stream().anyMatch(SegmentRef::isComplete);
  }

  private void playlist(
      BlockingRequest request, String uriQuery, String client, Consumer<Reply> reply) {
    MediaPlaylist playlist = window.playlist();
    if (!playable(playlist)) {
      // the stream is starting (an on-demand camera, or its first segment not complete yet)
      boolean waiting =
          held.hold(
              client,
              () -> {
                MediaPlaylist now = window.playlist();
                if (!playable(now)) {
                  return false;
                }
                decided(now, request, uriQuery, client, reply);
                return true;
              },
              startWait,
              () -> reply.accept(Reply.text(503, "the stream has not started yet")));
      if (!waiting) {
        reply.accept(busy());
      }
      return;
    }
    switch (request.decide(playlist)) {
      case READY -> reply.accept(render(playlist, uriQuery));
      case TOO_FAR_AHEAD -> reply.accept(tooFar(request));
      case WAIT -> {
        boolean waiting =
            held.hold(
                client,
                () -> {
                  MediaPlaylist now = window.playlist();
                  if (now == null || request.decide(now) == BlockingRequest.Decision.WAIT) {
                    return false;
                  }
                  decided(now, request, uriQuery, client, reply);
                  return true;
                },
                BlockingRequest.maxWait(playlist),
                () ->
                    reply.accept(
                        Reply.text(503, "the requested segment or part did not appear in time")));
        if (!waiting) {
          reply.accept(busy());
        }
      }
    }
  }

  /** Answers a playlist request whose decision is no longer WAIT (or that had no playlist). */
  private void decided(
      MediaPlaylist playlist,
      BlockingRequest request,
      String uriQuery,
      String client,
      Consumer<Reply> reply) {
    BlockingRequest.Decision d = request.decide(playlist);
    if (d == BlockingRequest.Decision.TOO_FAR_AHEAD) {
      reply.accept(tooFar(request));
    } else if (d == BlockingRequest.Decision.READY) {
      reply.accept(render(playlist, uriQuery));
    } else {
      // came from the start wait and must now block as well
      playlist(request, uriQuery, client, reply);
    }
  }

  private void part(HlsResource.Part part, String client, Consumer<Reply> reply) {
    List<byte[]> chunks = window.part(part.msn(), part.index());
    if (chunks != null) {
      reply.accept(Reply.media(part.contentType(), chunks));
      return;
    }
    if (!window.isHinted(part.msn(), part.index())) {
      reply.accept(notHere(part));
      return;
    }
    MediaPlaylist playlist = window.playlist();
    if (reply instanceof StreamingReply streaming) {
      streamPart(part, playlist, client, streaming);
      return;
    }
    // 6.2.6: without a streaming sink, the preload-hinted part is held until complete, sent whole
    boolean waiting =
        held.hold(
            client,
            () -> {
              List<byte[]> now = window.part(part.msn(), part.index());
              if (now != null) {
                reply.accept(Reply.media(part.contentType(), now));
                return true;
              }
              if (!window.isHinted(part.msn(), part.index())) {
                reply.accept(notHere(part)); // the segment ended before this part
                return true;
              }
              return false;
            },
            BlockingRequest.maxWait(playlist),
            () -> reply.accept(Reply.text(503, "the part did not appear in time")));
    if (!waiting) {
      reply.accept(busy());
    }
  }

  /**
   * The preload-hinted part, answered at once (200, chunked) and written as it grows: the chunks
   * already here, then each new one as the stream's consumer receives it (re-checked on every
   * chunk), ended by the part's end; aborted if the segment ends without it or it takes too long.
   * The response starts with the hold's first check, so a hold refused for want of a place can
   * still be answered 503.
   */
  private void streamPart(
      HlsResource.Part part, MediaPlaylist playlist, String client, StreamingReply reply) {
    PartStream[] started = {null};
    Supplier<PartStream> stream =
        () -> {
          if (started[0] == null) {
            started[0] = reply.stream(part.contentType(), Reply.IMMUTABLE);
          }
          return started[0];
        };
    int[] sent = {0};
    boolean waiting =
        held.holdStream(
            client,
            () -> {
              PartStream out = stream.get();
              StreamWindow.PartSoFar now = window.partSoFar(part.msn(), part.index());
              if (now == null) {
                if (window.isHinted(part.msn(), part.index())) {
                  return false; // its first chunk has not arrived yet
                }
                out.abort(); // the segment ended before this part
                return true;
              }
              if (now.chunks().size() > sent[0]) {
                out.write(now.chunks().subList(sent[0], now.chunks().size()));
                sent[0] = now.chunks().size();
              }
              if (now.complete()) {
                out.end();
                return true;
              }
              return false;
            },
            BlockingRequest.maxWait(playlist),
            () -> stream.get().abort());
    if (!waiting) {
      reply.accept(busy());
    }
  }

  /** The playlist's bytes, rendered once per playlist and stream token, shared by every viewer. */
  private Reply render(MediaPlaylist playlist, String uriQuery) {
    Rendered r = rendered;
    if (r == null || r.playlist() != playlist || !r.uriQuery().equals(uriQuery)) {
      r =
          new Rendered(
              playlist,
              uriQuery,
              playlist.render(uriQuery).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      rendered = r;
    }
    return Reply.playlist(r.bytes());
  }

  /**
   * No place to hold the request ({@link HoldQuota}). Not the current playlist instead: a client
   * that asked to block takes an unchanged playlist for a server error and asks again at once (RFC
   * 8216bis 6.2.5.2 answers what cannot be delivered in time with 503).
   */
  private static Reply busy() {
    return Reply.text(503, "too many requests waiting for the stream; try again")
        .withHeader("Retry-After", "1");
  }

  private static Reply tooFar(BlockingRequest request) {
    return Reply.text(400, "_HLS_msn/_HLS_part too far beyond the live edge: " + request);
  }

  private static Reply notHere(HlsResource resource) {
    return Reply.text(404, resource.name() + " is not available");
  }
}
