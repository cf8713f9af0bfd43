package io.camflow.delivery.realm;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards the browser's requests for the realm's pages to Keycloak ({@link RealmForwarding}) and
 * brings the answers back whole. Keycloak builds every URL it writes (form actions, redirects, the
 * tokens' {@code iss}) from the {@code X-Forwarded-*} headers set here, so the pages point back at
 * the address the browser used. Shared by every connection of both ports; thread-safe.
 *
 * <p>Bounds: a request body of {@link #MAX_REQUEST_BYTES} (login forms are small), an answer of
 * {@link #MAX_ANSWER_BYTES}, {@link #TIMEOUT} for Keycloak to answer, {@link #MAX_IN_FLIGHT}
 * requests forwarded at once and {@link #MAX_PER_CLIENT} of them for one client address (a login
 * page loads about a dozen files): beyond, 503 with {@code Retry-After}. Guessing passwords through
 * it meets the realm's brute-force detection, which sees the client's address in {@code
 * X-Forwarded-For}.
 */
public final class RealmProxy implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RealmProxy.class);

  static final int MAX_REQUEST_BYTES = 64 * 1024;
  static final int MAX_ANSWER_BYTES = 8 * 1024 * 1024;
  static final Duration TIMEOUT = Duration.ofSeconds(20);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final int MAX_IN_FLIGHT = 64;
  static final int MAX_PER_CLIENT = 16;

  /** Request headers Keycloak's pages need; everything else the browser sends stays here. */
  private static final List<String> REQUEST_HEADERS =
      List.of(
          "accept",
          "accept-language",
          "authorization",
          "content-type",
          "cookie",
          "if-modified-since",
          "if-none-match",
          "origin",
          "user-agent");

  /** Hop-by-hop headers (RFC 9110 7.6.1) and those the answer's own framing sets. */
  private static final Set<String> NOT_PASSED_BACK =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "transfer-encoding",
          "te",
          "trailer",
          "upgrade",
          "content-length",
          ":status");

  /**
   * Dot segments, encoded slashes and dots, backslashes: whatever a server might read as another
   * path.
   */
  private static final Pattern UNSAFE_PATH =
      Pattern.compile("(?i).*(%2e|%2f|%5c|%00|\\\\|//|/\\./|/\\.\\./).*" + "|.*/\\.{1,2}$");

  private static final Pattern HOST =
      Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]{1,253})(:[0-9]{1,5})?");

  private final RealmForwarding forwarding;
  private final String realmPrefix;
  private final String resourcesPrefix;
  private final HttpClient client;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<String, AtomicInteger> perClient = new ConcurrentHashMap<>();

  public RealmProxy(RealmForwarding forwarding) {
    if (!forwarding.enabled()) {
      throw new IllegalArgumentException("realm forwarding is off");
    }
    this.forwarding = forwarding;
    this.realmPrefix = forwarding.realmPath() + "/";
    this.resourcesPrefix = forwarding.resourcesPath();
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(
                HttpClient.Redirect.NEVER) // the browser follows Keycloak's redirects, not us
            .connectTimeout(CONNECT_TIMEOUT)
            .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
            .build(); // no cookie handler: cookies stay between the browser and Keycloak
  }

  /** Whether a request for {@code path} (without query) goes to Keycloak. */
  public boolean serves(String path) {
    return path.startsWith(realmPrefix)
        || path.equals(forwarding.realmPath())
        || path.startsWith(resourcesPrefix);
  }

  /**
   * What the browser asked: {@code uri} is the raw path and query; {@code host} its Host header;
   * {@code https} whether it came over TLS (or a trusted proxy says so); {@code client} its
   * address.
   */
  public record Asked(
      String method,
      String uri,
      String host,
      boolean https,
      String client,
      Map<String, String> headers,
      byte[] body) {}

  /**
   * Keycloak's answer: status, headers in order (repeated names, e.g. {@code Set-Cookie}, kept) and
   * body.
   */
  public record Answer(int status, List<Map.Entry<String, String>> headers, byte[] body) {

    @SafeVarargs
    static Answer text(int status, String message, Map.Entry<String, String>... extra) {
      List<Map.Entry<String, String>> h =
          new ArrayList<>(
              List.of(
                  Map.entry("content-type", "text/plain; charset=utf-8"),
                  Map.entry("cache-control", "no-store")));
      h.addAll(List.of(extra));
      return new Answer(
          status, h, (message + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** Forwards {@code asked}; {@code done} gets the answer, once, on another thread or this one. */
  public void forward(Asked asked, Consumer<Answer> done) {
    Answer refused = check(asked);
    if (refused != null) {
      done.accept(refused);
      return;
    }
    AtomicInteger mine = perClient.computeIfAbsent(asked.client(), k -> new AtomicInteger());
    if (mine.incrementAndGet() > MAX_PER_CLIENT | inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
      release(asked.client(), mine);
      done.accept(
          Answer.text(
              503,
              "too many requests for the login pages at once; try again",
              Map.entry("retry-after", "1")));
      return;
    }
    Thread.ofVirtual()
        .name("camflow-realm-forward")
        .start(
            () -> {
              Answer answer;
              try {
                answer = send(asked);
              } catch (HttpTimeoutException e) {
                answer = Answer.text(504, "the identity provider did not answer in time");
              } catch (IOException e) {
                LOG.warn(
                    "Keycloak at {} unreachable for the realm's pages: {}",
                    forwarding.target(),
                    e.toString());
                answer = Answer.text(502, "the identity provider cannot be reached");
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answer = Answer.text(503, "shutting down");
              } catch (RuntimeException e) {
                LOG.warn("forwarding to Keycloak failed", e);
                answer = Answer.text(502, "the identity provider's answer could not be passed on");
              } finally {
                release(asked.client(), mine);
              }
              done.accept(answer);
            });
  }

  private void release(String address, AtomicInteger mine) {
    inFlight.decrementAndGet();
    if (mine.decrementAndGet() <= 0) {
      perClient.remove(
          address, mine); // gone once idle: the table holds only clients with requests in flight
    }
  }

  /** A refusal for what is never forwarded, or null. */
  static Answer check(Asked asked) {
    if (!asked.method().equals("GET") && !asked.method().equals("POST")) {
      return Answer.text(
          405, "only GET and POST reach the login pages", Map.entry("allow", "GET, POST"));
    }
    int q = asked.uri().indexOf('?');
    String path = q < 0 ? asked.uri() : asked.uri().substring(0, q);
    if (UNSAFE_PATH.matcher(path).matches()) {
      return Answer.text(400, "this path is not forwarded");
    }
    if (asked.host() == null
        || !HOST.matcher(asked.host()).matches()
        || port(asked.host(), true) > 65535) {
      return Answer.text(400, "a Host header naming this server is needed");
    }
    if (asked.body().length > MAX_REQUEST_BYTES) {
      return Answer.text(413, "request body too large for the login pages");
    }
    return null;
  }

  private Answer send(Asked asked) throws IOException, InterruptedException {
    URI uri = URI.create(forwarding.target() + asked.uri());
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .method(
                asked.method(),
                asked.body().length == 0 && asked.method().equals("GET")
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(asked.body()));
    asked
        .headers()
        .forEach(
            (name, value) -> {
              if (REQUEST_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                b.header(name, value);
              }
            });
    String proto = asked.https() ? "https" : "http";
    b.header("X-Forwarded-Proto", proto);
    b.header("X-Forwarded-Host", asked.host());
    b.header("X-Forwarded-Port", Integer.toString(port(asked.host(), asked.https())));
    b.header("X-Forwarded-For", asked.client());
    HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    byte[] body;
    try (InputStream in = r.body()) {
      body = in.readNBytes(MAX_ANSWER_BYTES + 1);
    }
    if (body.length > MAX_ANSWER_BYTES) {
      return Answer.text(502, "the identity provider's answer is too large");
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    r.headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!NOT_PASSED_BACK.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> headers.add(Map.entry(name, v)));
              }
            });
    return new Answer(r.statusCode(), headers, body);
  }

  /** The port in a Host header, else the scheme's. */
  static int port(String host, boolean https) {
    int colon = host.lastIndexOf(':');
    if (colon > host.lastIndexOf(']')) {
      return Integer.parseInt(host.substring(colon + 1));
    }
    return https ? 443 : 80;
  }

  /** Requests being forwarded now (tests). */
  int inFlight() {
    return inFlight.get();
  }

  @Override
  public void close() {
    client.close();
  }
}
