package io.camflow.delivery.api;

import static io.camflow.delivery.api.JsonReplies.error;
import static io.camflow.delivery.api.JsonReplies.json;

import io.camflow.delivery.api.recordings.RecordingsApi;
import io.camflow.delivery.auth.Access;
import io.camflow.delivery.auth.Caller;
import io.camflow.delivery.door.Credentials;
import io.camflow.delivery.door.Door;
import io.camflow.delivery.door.Refusals;
import io.camflow.delivery.door.Reply;
import io.camflow.delivery.door.Request;
import io.camflow.keycloak.admin.Action;
import io.camflow.keycloak.admin.AdminException;
import io.camflow.keycloak.admin.AdminUnavailableException;
import io.camflow.keycloak.admin.CameraAccess;
import io.camflow.keycloak.admin.CameraAccessList;
import io.camflow.keycloak.admin.UnknownCameraException;
import io.camflow.keycloak.admin.UnknownGroupException;
import io.camflow.keycloak.admin.UnknownUserException;
import io.camflow.media.StreamKey;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camflow's REST API under {@code /api/v1} (so far: who am I, and camera permissions through
 * Keycloak). Every call needs a valid token; the permission calls need {@code camflow:admin}. The
 * token is checked before the path is looked at, so an unauthorised caller learns nothing about
 * what exists. Keycloak admin calls block, so they run on the API executor, never on an event loop.
 *
 * <pre>
 * GET    /api/v1/openapi.json                                  public: the OpenAPI description
 * GET    /api/v1/me                                            any user: name, admin, cameras
 * GET|POST /api/v1/cameras, GET|PUT|DELETE /api/v1/cameras/{camera}   CamerasApi (docs/api.md)
 * GET    /api/v1/cameras/{camera}/access                       admin: who may do what with the camera
 * PUT    /api/v1/cameras/{camera}/access/{live|dvr|publish}/users/{username}   admin: grant
 * DELETE /api/v1/cameras/{camera}/access/{live|dvr|publish}/users/{username}   admin: revoke
 * PUT    /api/v1/cameras/{camera}/access/{live|dvr|publish}/groups/{group}     admin: grant
 * DELETE /api/v1/cameras/{camera}/access/{live|dvr|publish}/groups/{group}     admin: revoke
 * GET    /api/v1/sessions[?camera=&amp;stream=], GET|DELETE /api/v1/sessions/{id}   admin: SessionsApi
 * GET    /api/v1/recordings/{camera}/{stream}?from=&amp;to=       dvr of the camera: RecordingsApi
 * GET    /api/v1/recordings?at=&amp;streams=                      any caller; per stream, dvr of its camera
 * </pre>
 */
public final class ApiRequests implements Door {

  public static final String PREFIX = "/api/v1/";

  /** The 400 of a path naming no {@link Action} (ApiRequestsTest: names every one). */
  static final String ACTION_ERROR = "action: must be live, dvr or publish";

  private static final Logger LOG = LoggerFactory.getLogger(ApiRequests.class);

  private final Access access;
  private final CameraAccess cameras; // null: no admin client configured
  private final Executor executor;
  private final io.camflow.delivery.api.cameras.CamerasApi
      registry; // null: cameras API not wired (503)
  private volatile io.camflow.delivery.api.sessions.SessionsApi sessions; // null: not wired (503)
  private volatile RecordingsApi recordings; // null: not wired (503)
  private volatile Consumer<CameraAccessList> liveRevoked = list -> {};

  public ApiRequests(Access access, CameraAccess cameras, Executor executor) {
    this(access, cameras, executor, null);
  }

  /**
   * @param registry {@code /api/v1/cameras[/{id}]} (docs/api.md), or null
   */
  public ApiRequests(
      Access access,
      CameraAccess cameras,
      Executor executor,
      io.camflow.delivery.api.cameras.CamerasApi registry) {
    this.access = access;
    this.cameras = cameras;
    this.executor = executor;
    this.registry = registry;
  }

  /** Serves {@code /api/v1/sessions} with these (admin only). */
  public ApiRequests sessions(io.camflow.delivery.api.sessions.SessionsApi api) {
    this.sessions = api;
    return this;
  }

  /** The RTSP server's port (negative: none), for the streams' {@code rtsp} URLs. */
  public ApiRequests rtspPort(java.util.function.IntSupplier port) {
    this.rtspPort = port;
    return this;
  }

  /**
   * {@code rtsp://<host>:<port>}: the host the caller reached this delivery at (its Host header,
   * without the port) and the RTSP port; null without either.
   */
  static String rtspBase(String hostHeader, int port) {
    if (port <= 0 || hostHeader == null || !HOST.matcher(hostHeader).matches()) {
      return null;
    }
    String host =
        hostHeader.startsWith("[")
            ? hostHeader.substring(0, hostHeader.indexOf(']') + 1)
            : hostHeader.contains(":")
                ? hostHeader.substring(0, hostHeader.indexOf(':'))
                : hostHeader;
    return "rtsp://" + host + ":" + port;
  }

  /** A host name, an IPv4 address or a bracketed IPv6 address, and maybe a port. */
  private static final java.util.regex.Pattern HOST =
      java.util.regex.Pattern.compile(
          "(\\[[0-9A-Fa-f:.]{2,45}\\]|[A-Za-z0-9.-]{1,253})(:[0-9]{1,5})?");

  private java.util.function.IntSupplier rtspPort = () -> -1;

  /** Serves {@code /api/v1/recordings/{camera}/{stream}} with this ({@code dvr} of the camera). */
  public ApiRequests recordings(RecordingsApi api) {
    this.recordings = api;
    return this;
  }

  /**
   * Told, on the API executor, who may still watch a camera live right after a live permission of
   * it was revoked here (the viewer sessions of users who lost it end: docs/permissions.md).
   */
  public ApiRequests onLiveRevoked(Consumer<CameraAccessList> listener) {
    this.liveRevoked = listener;
    return this;
  }

  /** Answers one API request (any method), with its body. */
  @Override
  public void handle(Request request, Consumer<Reply> answer) {
    handle(request.method(), request, request.body(), answer);
  }

  /** Answers one API request without a body. */
  public void handle(String method, Request request, Consumer<Reply> answer) {
    handle(method, request, null, answer);
  }

  public static boolean serves(String path) {
    return path.startsWith(PREFIX) || path.equals("/api/v1");
  }

  /** Answers one API request (any method); {@code body} is the request body or null. */
  public void handle(String method, Request request, byte[] body, Consumer<Reply> answer) {
    String path = path(request.uri());
    if (path.equals(io.camflow.delivery.api.cameras.OpenApiDocument.PATH)) {
      answer.accept(
          method.equals("GET")
              ? io.camflow.delivery.api.cameras.OpenApiDocument.reply()
              : error(405, "only GET"));
      return; // public: describes the API, holds no data
    }
    Map<String, List<String>> query;
    try {
      query =
          request.uri().indexOf('?') < 0
              ? Map.of()
              : new QueryStringDecoder(request.uri()).parameters();
    } catch (IllegalArgumentException e) {
      answer.accept(error(400, "the query is not valid URL encoding"));
      return;
    }
    List<String> seg;
    try {
      seg = segments(path);
    } catch (IllegalArgumentException e) {
      answer.accept(error(400, "the path is not valid URL encoding"));
      return;
    }
    boolean me = seg.equals(List.of("me"));
    boolean cameraCall =
        io.camflow.delivery.api.cameras.CamerasApi.serves(seg); // checks per camera itself
    boolean sessionsCall =
        io.camflow.delivery.api.sessions.SessionsApi.serves(seg); // admin, as below
    boolean recordingsCall = RecordingsApi.serves(seg);
    Predicate<Caller> permission =
        me || cameraCall ? c -> true : recordingsCall ? dvrOf(seg) : Caller::isAdmin;
    Access.Refused inUrl = Credentials.refusedInUrl(access, request.client(), query);
    if (inUrl != null) {
      answer.accept(Refusals.reply(inUrl));
      return;
    }
    access
        .check(request.client(), Credentials.bearer(request.authorization()), permission)
        .thenAccept(
            v -> {
              if (v instanceof Access.Refused r) {
                answer.accept(Refusals.reply(r));
              } else {
                Caller caller = ((Access.Granted) v).caller();
                if (me) {
                  answer.accept(
                      method.equals("GET") ? json(200, me(caller)) : error(405, "only GET"));
                } else if (cameraCall) {
                  if (registry == null) {
                    answer.accept(error(503, "the camera registry is not available"));
                  } else {
                    registry.handle(
                        method,
                        seg,
                        caller,
                        body,
                        rtspBase(request.host(), rtspPort.getAsInt()),
                        answer);
                  }
                } else if (recordingsCall) {
                  if (recordings == null) {
                    answer.accept(error(503, "recordings are not available"));
                  } else {
                    recordings.handle(method, seg, query, caller, answer);
                  }
                } else if (sessionsCall) {
                  if (sessions == null) {
                    answer.accept(error(503, "viewer sessions are not available"));
                  } else {
                    sessions.handle(method, seg, query, caller, answer);
                  }
                } else {
                  admin(method, seg, caller, answer);
                }
              }
            });
  }

  /**
   * A recordings call needs {@code dvr} of its camera (live is not enough); one whose path names no
   * stream (the instant across several streams, which checks each, or a wrong path, 404) is let in
   * for any valid token.
   */
  private static Predicate<Caller> dvrOf(List<String> seg) {
    return RecordingsApi.stream(seg)
        .<Predicate<Caller>>map(key -> c -> c.may(key.camera(), Caller.DVR))
        .orElse(c -> true);
  }

  private static Map<String, Object> me(Caller caller) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("user", caller.username());
    out.put("admin", caller.isAdmin());
    out.put("cameras", caller.cameras());
    return out;
  }

  /** cameras/{camera}/access[/{action}/{users|groups}/{name}] */
  private void admin(String method, List<String> seg, Caller caller, Consumer<Reply> answer) {
    if (seg.size() < 3
        || !seg.get(0).equals("cameras")
        || !seg.get(2).equals("access")
        || !(seg.size() == 3 || seg.size() == 6)) {
      answer.accept(error(404, "no such API path"));
      return;
    }
    String camera = seg.get(1);
    if (!StreamKey.isValidPart(camera)) {
      answer.accept(error(400, "camera: must match [a-z0-9][a-z0-9_-]{0,63}"));
      return;
    }
    if (seg.size() == 3) {
      if (!method.equals("GET")) {
        answer.accept(error(405, "only GET"));
        return;
      }
      keycloak(answer, () -> json(200, accessList(cameras.who(camera))));
      return;
    }
    Optional<Action> action = Action.parse(seg.get(3));
    if (action.isEmpty()) {
      answer.accept(error(400, ACTION_ERROR));
      return;
    }
    String kind = seg.get(4);
    String name = seg.get(5);
    if (!kind.equals("users") && !kind.equals("groups")) {
      answer.accept(error(404, "no such API path"));
      return;
    }
    if (name.isEmpty() || name.length() > 255) {
      answer.accept(
          error(
              400,
              kind.equals("users")
                  ? "username: must be 1..255 characters"
                  : "group: must be 1..255 characters"));
      return;
    }
    boolean grant;
    switch (method) {
      case "PUT" -> grant = true;
      case "DELETE" -> grant = false;
      default -> {
        answer.accept(error(405, "PUT grants, DELETE revokes"));
        return;
      }
    }
    Action a = action.get();
    keycloak(
        answer,
        () -> {
          if (kind.equals("users")) {
            if (grant) {
              cameras.grantUser(camera, a, name);
            } else {
              cameras.revokeUser(camera, a, name);
            }
          } else if (grant) {
            cameras.grantGroup(camera, a, name);
          } else {
            cameras.revokeGroup(camera, a, name);
          }
          LOG.info(
              "{} {} {} access to camera {} for {} {}",
              caller,
              grant ? "granted" : "revoked",
              a.id(),
              camera,
              kind.equals("users") ? "user" : "group",
              name);
          CameraAccessList now = cameras.who(camera);
          if (!grant && a == Action.LIVE) {
            try {
              liveRevoked.accept(now);
            } catch (
                RuntimeException
                    e) { // the revoke itself is done: say so; the periodic re-check follows up
              LOG.warn(
                  "ending the sessions of camera {} after a revoke failed: {}",
                  camera,
                  e.getClass().getName());
            }
          }
          return json(200, accessList(now));
        });
  }

  /** Runs a Keycloak admin call on the API executor and answers with its reply or its error. */
  private void keycloak(Consumer<Reply> answer, java.util.function.Supplier<Reply> call) {
    if (cameras == null) {
      answer.accept(
          error(
              503,
              "camera permissions through camflow need the Keycloak admin client: "
                  + "set CAMFLOW_KEYCLOAK_CLIENT_SECRET (docs/configuration.md)"));
      return;
    }
    try {
      executor.execute(
          () -> {
            try {
              answer.accept(call.get());
            } catch (UnknownUserException | UnknownGroupException | UnknownCameraException e) {
              answer.accept(error(404, e.getMessage()));
            } catch (AdminUnavailableException e) {
              LOG.warn("Keycloak admin call failed: {}", e.getMessage());
              answer.accept(error(503, "Keycloak is not available for permission changes"));
            } catch (AdminException | IllegalArgumentException e) {
              answer.accept(error(400, e.getMessage()));
            } catch (RuntimeException e) {
              LOG.warn("Keycloak admin call failed: {}", e.getClass().getName());
              answer.accept(error(500, "internal error"));
            }
          });
    } catch (RejectedExecutionException e) {
      answer.accept(error(503, "shutting down"));
    }
  }

  /**
   * {@code {"camera": id, "<action>": {"users": [...], "groups": [...]}, ...}}, one member per
   * {@link Action}.
   */
  static Map<String, Object> accessList(CameraAccessList list) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("camera", list.camera());
    for (Action a : Action.values()) {
      out.put(a.id(), Map.of("users", list.of(a).users(), "groups", list.of(a).groups()));
    }
    return out;
  }

  private static String path(String uri) {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  /** The decoded path segments after /api/v1/. */
  static List<String> segments(String path) {
    String rest = path.length() <= PREFIX.length() ? "" : path.substring(PREFIX.length());
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    List<String> out = new java.util.ArrayList<>();
    for (String s : rest.split("/", -1)) {
      out.add(QueryStringDecoder.decodeComponent(s));
    }
    return out;
  }
}
