package io.camflow.delivery.api.cameras;

import com.fasterxml.jackson.databind.JsonNode;
import io.camflow.delivery.api.JsonReplies;
import io.camflow.delivery.auth.Access;
import io.camflow.delivery.auth.Caller;
import io.camflow.delivery.door.Refusals;
import io.camflow.delivery.door.Reply;
import io.camflow.delivery.publish.PublishTarget;
import io.camflow.media.StreamKey;
import io.camflow.registry.CameraDraft;
import io.camflow.registry.CameraEntry;
import io.camflow.registry.CameraRegistry;
import io.camflow.registry.CameraRequest;
import io.camflow.registry.FieldError;
import io.camflow.registry.InvalidCameraException;
import io.camflow.registry.RegistryTopic;
import io.camflow.registry.RegistryUnavailableException;
import io.camflow.registry.RegistryWriter;
import io.camflow.registry.SecretBox;
import io.camflow.registry.StoredPassword;
import io.camflow.registry.StreamEntry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/cameras} and {@code /api/v1/cameras/{id}} (docs/api.md): cameras and their streams
 * from the registry topic {@code camflow.cameras}, with live state from {@code camflow.status}.
 * Reading shows only the cameras the caller may watch live (an admin sees all); changing needs
 * {@code camflow:admin}. For a non-admin, a camera that does not exist and one they may not see get
 * the same {@code 403} as every other door. Passwords are write-only: sealed with {@code
 * CAMFLOW_SECRETS_KEY} before they reach Kafka, never in an answer or a log line. Writes wait for
 * Kafka and for this instance's registry to show them, so a GET after a POST sees it.
 */
public final class CamerasApi implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CamerasApi.class);
  private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(10);
  private static final String FILE_MANAGED = "is managed by config/camflow.yaml; change it there";

  private final CameraRegistry registry;
  private final RegistryWriter writer;
  private final StreamStatuses statuses;
  private final Optional<SecretBox> secrets;
  private final Executor executor;

  /**
   * A stream's viewers on this instance by protocol, from the sessions registry; none until told.
   */
  private volatile java.util.function.Function<io.camflow.media.StreamKey, Map<String, Integer>>
      viewers = k -> Map.of();

  CamerasApi(
      CameraRegistry registry,
      RegistryWriter writer,
      StreamStatuses statuses,
      Optional<SecretBox> secrets,
      Executor executor) {
    this.registry = registry;
    this.writer = writer;
    this.statuses = statuses;
    this.secrets = secrets;
    this.executor = executor;
  }

  /** Shows each stream's viewers by protocol (docs/api.md) as {@code viewers} tells them. */
  public CamerasApi viewers(
      java.util.function.Function<io.camflow.media.StreamKey, Map<String, Integer>> viewers) {
    this.viewers = viewers;
    return this;
  }

  /**
   * Connects to Kafka: creates the registry and status topics when missing, reads the registry to
   * its end (so the first answer is complete) and starts following both.
   */
  public static CamerasApi start(
      String bootstrapServers, Optional<SecretBox> secrets, Executor executor)
      throws InterruptedException {
    RegistryTopic.ensure(
        bootstrapServers,
        List.of(RegistryTopic.cameras(), RegistryTopic.status()),
        Duration.ofSeconds(30));
    String id =
        "camflow-delivery-"
            + ProcessHandle.current().pid()
            + "-"
            + System.identityHashCode(executor);
    CameraRegistry registry = new CameraRegistry(bootstrapServers, id + "-registry");
    registry.start(Duration.ofSeconds(30));
    StreamStatuses statuses = new StreamStatuses(bootstrapServers, id + "-status");
    statuses.start();
    if (secrets.isEmpty()) {
      LOG.info(
          "{} is not set: cameras with a password cannot be added through the API", SecretBox.ENV);
    }
    return new CamerasApi(
        registry,
        new RegistryWriter(bootstrapServers, id + "-writer"),
        statuses,
        secrets,
        executor);
  }

  /**
   * What the registry says about publishing {@code key} into camflow (an RTSP ANNOUNCE): the stream
   * is configured {@code source: publish}, is pulled from its camera, or does not exist.
   */
  public PublishTarget publishTarget(StreamKey key) {
    return registry
        .get(key.camera())
        .flatMap(c -> c.stream(key.stream()))
        .map(s -> s.published() ? PublishTarget.PUBLISHED : PublishTarget.PULLED)
        .orElse(PublishTarget.UNKNOWN);
  }

  /** Whether the decoded path segments after /api/v1/ are this API's: cameras, cameras/{id}. */
  public static boolean serves(List<String> seg) {
    return !seg.isEmpty() && seg.get(0).equals("cameras") && (seg.size() == 1 || seg.size() == 2);
  }

  /**
   * Answers one request of a caller with a valid token.
   *
   * @param rtspBase {@code rtsp://<host>:<port>} as the caller reaches this delivery (the streams'
   *     RTSP URLs start with it), null when RTSP is off or the host is unknown
   */
  public void handle(
      String method,
      List<String> seg,
      Caller caller,
      byte[] body,
      String rtspBase,
      Consumer<Reply> answer) {
    String id = seg.size() == 2 ? seg.get(1) : null;
    if (id == null) {
      switch (method) {
        case "GET" -> answer.accept(JsonReplies.json(200, list(caller, rtspBase)));
        case "POST" -> change(caller, answer, () -> add(body, rtspBase));
        default -> answer.accept(JsonReplies.error(405, "GET lists, POST adds"));
      }
      return;
    }
    if (!caller.isAdmin()) {
      // unknown and forbidden look the same to whoever may not see the camera
      boolean visible =
          StreamKey.isValidPart(id) && caller.mayWatchLive(id) && registry.get(id).isPresent();
      if (!visible || !method.equals("GET")) {
        answer.accept(Refusals.reply(new Access.Refused(403, "forbidden", 0)));
        return;
      }
    }
    if (!StreamKey.isValidPart(id)) {
      answer.accept(
          JsonReplies.invalid(
              List.of(new FieldError("id", "must match [a-z0-9][a-z0-9_-]{0,63}"))));
      return;
    }
    switch (method) {
      case "GET" ->
          answer.accept(
              registry
                  .get(id)
                  .map(
                      c ->
                          JsonReplies.json(
                              200, CameraView.of(c, statuses, viewers, caller.isAdmin(), rtspBase)))
                  .orElseGet(() -> JsonReplies.error(404, "no camera " + id)));
      case "PUT" -> change(caller, answer, () -> replace(id, body, rtspBase));
      case "DELETE" -> change(caller, answer, () -> remove(id));
      default -> answer.accept(JsonReplies.error(405, "GET, PUT or DELETE"));
    }
  }

  private List<Map<String, Object>> list(Caller caller, String rtspBase) {
    return registry.all().stream()
        .filter(c -> caller.mayWatchLive(c.id()))
        .map(c -> CameraView.of(c, statuses, viewers, caller.isAdmin(), rtspBase))
        .toList();
  }

  /** Admin only; runs the change on the API executor (it waits for Kafka). */
  private void change(Caller caller, Consumer<Reply> answer, Supplier<Reply> change) {
    if (!caller.isAdmin()) {
      answer.accept(Refusals.reply(new Access.Refused(403, "forbidden", 0)));
      return;
    }
    try {
      executor.execute(
          () -> {
            try {
              Reply r;
              synchronized (
                  this) { // one change at a time: the exists-checks stay true until written
                r = change.get();
              }
              if (r.status() < 300) {
                LOG.info("{}: camera registry change answered {}", caller, r.status());
              }
              answer.accept(r);
            } catch (RegistryUnavailableException e) {
              LOG.warn("camera registry write failed: {}", e.getMessage());
              answer.accept(JsonReplies.error(503, "Kafka did not take the change; try again"));
            } catch (RuntimeException e) {
              LOG.warn("camera API call failed: {}", e.getClass().getName());
              answer.accept(JsonReplies.error(500, "internal error"));
            }
          });
    } catch (RejectedExecutionException e) {
      answer.accept(JsonReplies.error(503, "shutting down"));
    }
  }

  private Reply add(byte[] body, String rtspBase) {
    CameraDraft draft;
    try {
      draft = CameraRequest.parse(json(body), null);
    } catch (InvalidCameraException e) {
      return JsonReplies.invalid(e.errors());
    }
    String id = draft.entry().id();
    Optional<CameraEntry> existing = registry.get(id);
    if (existing.isPresent()) {
      return JsonReplies.error(
          409,
          existing.get().fromFile()
              ? "camera " + id + " " + FILE_MANAGED
              : "camera " + id + " exists; PUT /api/v1/cameras/" + id + " replaces it");
    }
    Reply refused = refuseWithoutKey(draft);
    if (refused != null) {
      return refused;
    }
    CameraEntry sealed = seal(draft, null);
    await(writer.put(sealed));
    return JsonReplies.json(201, CameraView.of(sealed, statuses, viewers, true, rtspBase))
        .withHeader("Location", "/api/v1/cameras/" + id);
  }

  private Reply replace(String id, byte[] body, String rtspBase) {
    Optional<CameraEntry> existing = registry.get(id);
    if (existing.isEmpty()) {
      return JsonReplies.error(404, "no camera " + id + "; POST /api/v1/cameras adds one");
    }
    if (existing.get().fromFile()) {
      return JsonReplies.error(409, "camera " + id + " " + FILE_MANAGED);
    }
    CameraDraft draft;
    try {
      draft = CameraRequest.parse(json(body), id);
    } catch (InvalidCameraException e) {
      return JsonReplies.invalid(e.errors());
    }
    Reply refused = refuseWithoutKey(draft);
    if (refused == null) {
      refused = refuseMovedPasswords(draft, existing.get());
    }
    if (refused != null) {
      return refused;
    }
    CameraEntry sealed = seal(draft, existing.get());
    await(writer.put(sealed));
    return JsonReplies.json(200, CameraView.of(sealed, statuses, viewers, true, rtspBase));
  }

  private Reply remove(String id) {
    Optional<CameraEntry> existing = registry.get(id);
    if (existing.isEmpty()) {
      return JsonReplies.error(404, "no camera " + id);
    }
    if (existing.get().fromFile()) {
      return JsonReplies.error(409, "camera " + id + " " + FILE_MANAGED);
    }
    await(writer.remove(id));
    return new Reply(204, Reply.TEXT, Reply.NO_CACHE, List.of());
  }

  private Reply refuseWithoutKey(CameraDraft draft) {
    if (draft.passwords().isEmpty() || secrets.isPresent()) {
      return null;
    }
    List<FieldError> errors = new ArrayList<>();
    List<StreamEntry> streams = draft.entry().streams();
    for (int i = 0; i < streams.size(); i++) {
      if (draft.passwords().containsKey(streams.get(i).name())) {
        errors.add(
            new FieldError(
                "streams[" + i + "].password",
                "camflow cannot store camera passwords: set "
                    + SecretBox.ENV
                    + " (base64 of 32 random bytes, the same for delivery and ingest; ./camflow up "
                    + "does it) — see docs/configuration.md"));
      }
    }
    return JsonReplies.invalid(errors);
  }

  /**
   * A stored password goes only where it was given for: a stream whose URL now names another
   * scheme, host or port (or that has another username) must come with its password again —
   * otherwise a changed URL would make ingest send the camera's password to whoever is there.
   */
  private static Reply refuseMovedPasswords(CameraDraft draft, CameraEntry before) {
    List<FieldError> errors = new ArrayList<>();
    List<StreamEntry> streams = draft.entry().streams();
    for (int i = 0; i < streams.size(); i++) {
      StreamEntry s = streams.get(i);
      if (s.username() == null || draft.passwords().containsKey(s.name())) {
        continue;
      }
      Optional<StreamEntry> old = before.stream(s.name()).filter(StreamEntry::hasPassword);
      if (old.isPresent() && !StoredPassword.staysWith(old.get(), s)) {
        errors.add(
            new FieldError(
                "streams[" + i + "].password",
                "the stream's URL (scheme, host or port) or "
                    + "username changed: give the password again; a stored password is only sent where it was given for"));
      }
    }
    return errors.isEmpty() ? null : JsonReplies.invalid(errors);
  }

  /**
   * The draft's entry with every password sealed: a new one from the request, else the one stored
   * for the same stream name (kept while the stream still has a username, the same one, and its URL
   * the same scheme, host and port: {@link #refuseMovedPasswords}).
   */
  private CameraEntry seal(CameraDraft draft, CameraEntry before) {
    CameraEntry e = draft.entry();
    List<StreamEntry> streams = new ArrayList<>();
    for (StreamEntry s : e.streams()) {
      String given = draft.passwords().get(s.name());
      String sealed = null;
      if (given != null) {
        sealed = secrets.orElseThrow().seal(given, e.id() + "/" + s.name());
      } else if (before != null && s.username() != null) {
        sealed =
            before.stream(s.name())
                .filter(old -> StoredPassword.staysWith(old, s))
                .map(StreamEntry::sealedPassword)
                .orElse(null);
      }
      streams.add(s.withSealedPassword(sealed));
    }
    return new CameraEntry(e.id(), CameraEntry.API, streams, e.dvrRetention(), e.dvrMaxSize());
  }

  private void await(long offset) {
    try {
      if (!registry.awaitHandled(offset, VISIBLE_WITHIN)) {
        LOG.warn(
            "camera registry: own write not read back within {} s", VISIBLE_WITHIN.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static JsonNode json(byte[] body) throws InvalidCameraException {
    if (body == null || body.length == 0) {
      throw new InvalidCameraException(
          List.of(new FieldError("", "the body must be a JSON camera object")));
    }
    try {
      return JsonReplies.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new InvalidCameraException(List.of(new FieldError("", "the body is not valid JSON")));
    }
  }

  @Override
  public void close() {
    statuses.close();
    registry.close();
    writer.close();
  }
}
