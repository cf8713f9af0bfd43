package io.camflow.delivery.http;

import io.camflow.delivery.auth.TrustedProxies;
import io.camflow.delivery.door.ChannelDoor;
import io.camflow.delivery.door.Door;
import io.camflow.delivery.door.Reply;
import io.camflow.delivery.door.Request;
import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The one table of delivery's HTTP routes: every request of the HTTP and HTTPS ports is matched
 * here, first route first, and goes to the door of its route. DeliveryService registers the doors
 * (HLS, MSE, WHEP, the REST API, the realm's pages, the web viewer's files); this class knows them
 * only as {@link Door} and {@link ChannelDoor}. A route either answers as soon as the request's
 * head is read (GETs of the viewer hot path, the MSE upgrade: plain Netty, no body, no Camel
 * exchange) or takes the request whole, its body aggregated first (bounded at 64 KiB). {@link
 * FrontDoor} dispatches.
 */
public final class Router {

  /** The methods delivery's own doors serve at all (the realm's pages are Keycloak's to judge). */
  public static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "OPTIONS");

  /**
   * One row of the table.
   *
   * @param name what it serves (logs, docs, tests)
   * @param matches whether a request is this route's
   * @param whole whether the door gets the request with its body (else as soon as its head is read)
   * @param door a {@link Door} or a {@link ChannelDoor}
   */
  public record Route(String name, Predicate<HttpRequest> matches, boolean whole, Object door) {}

  private final List<Route> routes = new ArrayList<>();
  private final TrustedProxies proxies;
  private Route fallback =
      new Route(
          "not found",
          r -> true,
          true,
          (Door) (request, answer) -> answer.accept(Reply.text(404, "not found")));

  /**
   * @param proxies whose forwarding headers name the client ({@link Request#of})
   */
  public Router(TrustedProxies proxies) {
    this.proxies = proxies;
  }

  /** GETs of paths {@code path} accepts, answered on the hot path as soon as their head is read. */
  public Router get(String name, Predicate<String> path, Door door) {
    return add(
        new Route(
            name,
            r -> r.method().name().equals("GET") && path.test(Request.path(r.uri())),
            false,
            door));
  }

  /**
   * Requests {@code wants} accepts, handed with their connection to {@code door} as soon as their
   * head is read.
   */
  public Router upgrade(String name, Predicate<HttpRequest> wants, ChannelDoor door) {
    return add(new Route(name, wants, false, door));
  }

  /** Requests of any method to paths {@code path} accepts, answered once their body is read. */
  public Router any(String name, Predicate<String> path, Door door) {
    return add(new Route(name, r -> path.test(Request.path(r.uri())), true, door));
  }

  /** Requests {@code matches} accepts (any method, any path), answered once their body is read. */
  public Router when(String name, Predicate<HttpRequest> matches, Door door) {
    return add(new Route(name, matches, true, door));
  }

  /** Requests of a method not in {@link #METHODS}: 405, once their body is read. */
  public static boolean unknownMethod(HttpRequest request) {
    return !METHODS.contains(request.method().name());
  }

  /**
   * Requests of any method to paths {@code path} accepts, handed whole with their connection to
   * {@code door}.
   */
  public Router anyWhole(String name, Predicate<String> path, ChannelDoor door) {
    return add(new Route(name, r -> path.test(Request.path(r.uri())), true, door));
  }

  /** What answers the requests no route takes (default: 404), once their body is read. */
  public Router otherwise(String name, Door door) {
    fallback = new Route(name, r -> true, true, door);
    return this;
  }

  private Router add(Route route) {
    routes.add(route);
    return this;
  }

  /** The route of {@code request}: the first that matches, or the fallback. */
  public Route route(HttpRequest request) {
    for (Route r : routes) {
      if (r.matches().test(request)) {
        return r;
      }
    }
    return fallback;
  }

  /** The routes in order (docs, tests). */
  public List<Route> routes() {
    return List.copyOf(routes);
  }

  TrustedProxies trustedProxies() {
    return proxies;
  }
}
