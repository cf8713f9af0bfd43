package io.camflow.delivery.play;

import io.camflow.delivery.auth.Access;
import io.camflow.delivery.auth.Caller;
import io.camflow.delivery.door.Credentials;
import io.camflow.delivery.door.Door;
import io.camflow.delivery.door.Refusals;
import io.camflow.delivery.door.Reply;
import io.camflow.delivery.door.Request;
import io.camflow.delivery.door.StreamingReply;
import io.camflow.delivery.dvr.RecordedFrames;
import io.camflow.delivery.dvr.TimeQuery;
import io.camflow.delivery.hub.StreamHubs;
import io.camflow.delivery.picture.LatestPictures;
import io.camflow.delivery.picture.PictureStream;
import io.camflow.delivery.picture.PictureWorkers;
import io.camflow.delivery.sessions.Admission;
import io.camflow.delivery.sessions.Protocol;
import io.camflow.delivery.sessions.ViewerSession;
import io.camflow.delivery.sessions.ViewerSessions;
import io.camflow.media.StreamKey;
import io.camflow.picture.BadPictureException;
import io.camflow.picture.BadPictureRequestException;
import io.camflow.picture.Picture;
import io.camflow.picture.PictureFormat;
import io.camflow.picture.PictureSpec;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pictures. Snapshots: {@code GET /live/<camera>/<stream>/snapshot.jpg} (or {@code .webp}) — the
 * stream's latest keyframe as a picture, made once per keyframe and size for every request ({@link
 * LatestPictures}); with {@code ?at=<ISO-8601>} the keyframe at or before that instant of the
 * recording, with {@code exact=1} the very frame shown then ({@link RecordedFrames}). {@code
 * width}, {@code height} and {@code quality} shape it (docs/pictures.md).
 *
 * <p>Access as for live video: a user's token with {@code live} on the camera, and {@code dvr} for
 * {@code at}; in the Authorization header or, for {@code <img>} tags, as {@code access_token}.
 * Pictures are made on the picture workers, recorded frames read on the DVR executor: never on an
 * event loop.
 */
public final class PictureDoor implements Door {

  private static final Logger LOG = LoggerFactory.getLogger(PictureDoor.class);

  private final StreamHubs streams;
  private final Access access;
  private final PictureWorkers workers;
  private final RecordedFrames recorded;
  private final Executor dvrExecutor;
  private final ViewerSessions sessions;

  /**
   * @param sessions MJPEG viewers as sessions (limits, bytes, disconnects, token leases)
   */
  public PictureDoor(
      StreamHubs streams,
      Access access,
      PictureWorkers workers,
      RecordedFrames recorded,
      Executor dvrExecutor,
      ViewerSessions sessions) {
    this.sessions = sessions;
    this.streams = streams;
    this.access = access;
    this.workers = workers;
    this.recorded = recorded;
    this.dvrExecutor = dvrExecutor;
  }

  /** The name of a stream's MJPEG. */
  public static final String MJPEG = "mjpeg";

  /** Pictures a second of an MJPEG stream unless {@code fps} says otherwise. */
  public static final double DEFAULT_FPS = 5;

  /** Whether a GET of this path is a picture's. */
  public static boolean serves(String path) {
    if (!path.startsWith(LiveRequests.LIVE)) {
      return false;
    }
    String name = path.substring(path.lastIndexOf('/') + 1);
    return name.equals(MJPEG) || PictureFormat.ofSnapshotName(name).isPresent();
  }

  /**
   * What a request asks for, its parameters checked.
   *
   * @param moving the rendition of an MJPEG stream; null for a snapshot
   */
  record Asked(
      StreamKey key,
      PictureSpec spec,
      Optional<Instant> at,
      boolean exact,
      PictureStream.Rendition moving) {}

  @Override
  public void handle(Request request, Consumer<Reply> answer) {
    String[] parts = request.path().substring(LiveRequests.LIVE.length()).split("/", -1);
    if (parts.length != 3 || !StreamKey.isValidPart(parts[0]) || !StreamKey.isValidPart(parts[1])) {
      answer.accept(Reply.text(404, "not found"));
      return;
    }
    Map<String, List<String>> query;
    Asked asked;
    try {
      query =
          request.uri().indexOf('?') < 0
              ? Map.of()
              : new QueryStringDecoder(request.uri()).parameters();
      asked = asked(new StreamKey(parts[0], parts[1]), parts[2], query);
    } catch (IllegalArgumentException e) {
      answer.accept(Reply.text(400, e.getMessage()));
      return;
    }
    if (!access.enabled()) {
      serve(asked, null, request.client(), answer);
      return;
    }
    String camera = asked.key().camera();
    access
        .check(
            request.client(),
            Credentials.token(request.authorization(), query),
            asked.at().isPresent() ? c -> c.may(camera, Caller.DVR) : c -> c.mayWatchLive(camera))
        .thenAccept(
            v -> {
              if (v instanceof Access.Refused refused) {
                answer.accept(Refusals.reply(refused));
              } else {
                serve(asked, ((Access.Granted) v).caller(), request.client(), answer);
              }
            });
  }

  static Asked asked(StreamKey key, String name, Map<String, List<String>> query) {
    if (query.keySet().stream().anyMatch(String::isEmpty)) {
      throw new BadPictureRequestException("the query has a parameter without a name");
    }
    if (name.equals(MJPEG)) {
      if (query.containsKey("at") || query.containsKey("exact")) {
        throw new BadPictureRequestException("MJPEG is live only: at and exact are for snapshots");
      }
      PictureSpec spec = PictureSpec.parse(PictureFormat.JPEG, query);
      return new Asked(
          key, spec, Optional.empty(), false, new PictureStream.Rendition(spec, fps(query)));
    }
    PictureFormat format = PictureFormat.ofSnapshotName(name).orElseThrow();
    PictureSpec spec = PictureSpec.parse(format, query);
    Optional<Instant> at = TimeQuery.instant(query, "at");
    boolean exact = flag(query, "exact");
    if (exact && at.isEmpty()) {
      throw new BadPictureRequestException(
          "exact needs at=<ISO-8601>: the live picture is a keyframe");
    }
    return new Asked(key, spec, at, exact, null);
  }

  static double fps(Map<String, List<String>> query) {
    List<String> v = query.get("fps");
    if (v == null) {
      return DEFAULT_FPS;
    }
    try {
      if (v.size() == 1 && v.get(0).length() <= 12) {
        return Double.parseDouble(v.get(0));
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new BadPictureRequestException("fps must be a number of pictures a second, once");
  }

  private static boolean flag(Map<String, List<String>> query, String name) {
    List<String> v = query.get(name);
    if (v == null) {
      return false;
    }
    if (v.size() == 1) {
      switch (v.get(0)) {
        case "1", "true" -> {
          return true;
        }
        case "0", "false" -> {
          return false;
        }
        default -> {}
      }
    }
    throw new BadPictureRequestException(name + " must be 1 or 0 (true or false), once");
  }

  /**
   * @param caller whose token let the request in; null when auth is off
   */
  private void serve(Asked asked, Caller caller, String client, Consumer<Reply> answer) {
    if (asked.at().isPresent()) {
      past(asked, answer);
      return;
    }
    if (asked.moving() != null) {
      mjpeg(asked, caller, client, answer);
      return;
    }
    streams.openFor(
        asked.key(),
        answer,
        hub -> {
          LatestPictures latest = hub.pictures();
          if (latest == null) {
            answer.accept(retry(503, "the stream stopped just now; try again", 1));
            return;
          }
          latest
              .latest(asked.spec(), workers)
              .whenComplete((picture, error) -> answer.accept(reply(asked, picture, error)));
        });
  }

  private void mjpeg(Asked asked, Caller caller, String client, Consumer<Reply> answer) {
    if (!(answer instanceof StreamingReply streaming)) {
      answer.accept(Reply.text(500, "this connection cannot stream"));
      return;
    }
    streams.openFor(
        asked.key(),
        answer,
        hub -> {
          LatestPictures latest = hub.pictures();
          PictureStream moving = hub.pictureStream();
          if (latest == null || moving == null) {
            answer.accept(retry(503, "the stream stopped just now; try again", 1));
            return;
          }
          AtomicReference<MjpegViewer> viewer = new AtomicReference<>();
          Admission admission =
              sessions.admit(
                  Protocol.MJPEG,
                  asked.key(),
                  caller == null ? ViewerSessions.ANONYMOUS : ViewerSessions.userOf(caller),
                  client,
                  () -> {
                    MjpegViewer v = viewer.get();
                    if (v != null) {
                      v.close();
                    }
                  });
          if (admission instanceof Admission.Refused r) {
            answer.accept(retry(503, r.reason() + "; try again later", 5));
            return;
          }
          ViewerSession session = ((Admission.Admitted) admission).session();
          MjpegViewer v =
              new MjpegViewer(streaming.open(MjpegViewer.CONTENT_TYPE, Reply.NO_CACHE), session);
          viewer.set(v);
          if (caller != null) { // the session ends with its token, as MSE and WebRTC sessions do
            session.runOn(caller, why -> v.close());
          }
          // the latest keyframe at once; the stream's pictures from its next keyframe on
          latest.latest(asked.spec(), workers).thenAccept(v::picture);
          v.watching(moving.watch(asked.moving(), v));
        });
  }

  private void past(Asked asked, Consumer<Reply> answer) {
    try {
      dvrExecutor.execute(
          () -> {
            Optional<RecordedFrames.Run> run;
            try {
              run = recorded.at(asked.key(), asked.at().get(), asked.exact());
            } catch (IllegalArgumentException e) {
              answer.accept(Reply.text(400, e.getMessage()));
              return;
            } catch (RuntimeException e) {
              LOG.warn("recording of {}: {}", asked.key(), e.toString());
              answer.accept(retry(503, "the recording cannot be read now; try again", 1));
              return;
            }
            if (run.isEmpty()) {
              answer.accept(
                  Reply.text(
                      404, "nothing of " + asked.key() + " is recorded at " + asked.at().get()));
              return;
            }
            RecordedFrames.Run r = run.get();
            workers
                .make(r.units(), r.targetPts(), r.keyframeMillis(), asked.spec())
                .whenComplete((picture, error) -> answer.accept(reply(asked, picture, error)));
          });
    } catch (RejectedExecutionException e) {
      answer.accept(retry(503, "too many recording requests; try again", 1));
    }
  }

  private static Reply reply(Asked asked, Picture picture, Throwable error) {
    if (error == null) {
      return new Reply(
              200,
              picture.format().contentType(),
              // a live picture is replaced by the next keyframe's; a recorded one stays what it is
              asked.at().isPresent() ? "private, max-age=86400" : Reply.NO_CACHE,
              List.of(picture.bytes()))
          .withHeader(
              "Camflow-Capture-Time", Instant.ofEpochMilli(picture.captureMillis()).toString());
    }
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return switch (cause) {
      case TimeoutException t ->
          retry(
              503,
              "no keyframe of "
                  + asked.key()
                  + " yet: the camera is offline or has not sent one; try again",
              2);
      case PictureWorkers.BusyException b -> retry(503, b.getMessage(), 1);
      case BadPictureException b -> {
        LOG.warn("{}: no picture: {}", asked.key(), b.getMessage());
        yield Reply.text(502, "the camera's video does not decode to a picture: " + b.getMessage());
      }
      default -> {
        LOG.warn("{}: no picture: {}", asked.key(), cause.toString(), cause);
        yield Reply.text(500, "the picture could not be made");
      }
    };
  }

  private static Reply retry(int status, String message, int seconds) {
    return Reply.text(status, message).withHeader("Retry-After", Integer.toString(seconds));
  }
}
