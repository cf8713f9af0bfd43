package io.camflow.delivery.http;

import io.camflow.delivery.api.ApiRequests;
import io.camflow.delivery.hls.Reply;
import io.camflow.delivery.web.WebFiles;
import io.camflow.delivery.whep.WhepDoor;
import io.netty.handler.codec.http.HttpRequest;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.component.netty.NettyConstants;
import org.apache.camel.component.netty.http.NettyHttpMessage;
import org.apache.camel.support.AsyncProcessorHelper;

/**
 * The HTTP requests of the delivery port that reach the netty-http route: CORS preflight
 * ({@code OPTIONS}), WHEP ({@link WhepDoor}), the REST API ({@link ApiRequests}), the web viewer's files ({@link WebFiles}),
 * other methods and paths. GET of {@code /live/**}, {@code /healthz} and
 * {@code /readyz} is answered before Camel by {@link LiveHttpHandler}; should one arrive here
 * anyway (the route without {@code nettySharedHttpServer: "#httpServer"}), it is answered the same
 * way through {@link LiveRequests}, the hinted part then held and sent whole. A request that must
 * wait returns false to Camel and completes the callback later: no thread waits per request.
 */
public final class HttpRouter implements AsyncProcessor {

  private final LiveRequests live;
  private final WebFiles web;
  private final ApiRequests api;
  private final ResponseWriter writer;
  private final WhepDoor whep;

  public HttpRouter(LiveRequests live, WebFiles web, ApiRequests api, ResponseWriter writer) {
    this(live, web, api, writer, null);
  }

  /** @param whep the WHEP resources, or null when WebRTC is off (those paths then answer 404) */
  public HttpRouter(LiveRequests live, WebFiles web, ApiRequests api, ResponseWriter writer, WhepDoor whep) {
    this.live = live;
    this.web = web;
    this.api = api;
    this.writer = writer;
    this.whep = whep;
  }

  @Override
  public void process(Exchange exchange) throws Exception {
    AsyncProcessorHelper.process(this, exchange);
  }

  @Override
  public CompletableFuture<Exchange> processAsync(Exchange exchange) {
    CompletableFuture<Exchange> f = new CompletableFuture<>();
    process(exchange, done -> f.complete(exchange));
    return f;
  }

  @Override
  public boolean process(Exchange exchange, AsyncCallback callback) {
    Answer answer = new Answer(exchange, callback);
    try {
      route(exchange, answer);
    } catch (RuntimeException e) {
      answer.accept(Reply.text(500, "internal error"));
      exchange.setException(null);
    }
    return answer.returned();
  }

  private void route(Exchange exchange, Answer answer) {
    NettyHttpMessage message = exchange.getIn(NettyHttpMessage.class);
    HttpRequest request = message.getHttpRequest();
    answer.acceptsGzip = LiveRequests.acceptsGzip(request.headers().get("Accept-Encoding"));
    answer.origin = request.headers().get("Origin");
    String method = request.method().name();
    String path = LiveRequests.path(request.uri());
    Object remote = exchange.getIn().getHeader(NettyConstants.NETTY_REMOTE_ADDRESS);
    Request r = Request.of(request, remote instanceof SocketAddress a ? a : null, live.trustedProxies());
    if (whep != null && WhepDoor.serves(path)) {
      whep.handle(method, path, r, request.headers().get("Content-Type"), exchange.getIn().getBody(byte[].class),
          answer);
      return;
    }
    if (method.equals("OPTIONS")) {
      answer.accept(new Reply(204, Reply.TEXT, Reply.NO_CACHE, List.of()));
      return;
    }
    if (ApiRequests.serves(path)) {
      api.handle(method, r, exchange.getIn().getBody(byte[].class), answer);
    } else if (!method.equals("GET")) {
      answer.accept(Reply.text(405, "only GET"));
    } else if (WebFiles.serves(path)) {
      answer.accept(web.get(path));
    } else {
      live.get(r, answer);
    }
  }

  /** Writes one reply and completes Camel's callback, synchronously or later. */
  private final class Answer implements Consumer<Reply> {
    private final Exchange exchange;
    private final AsyncCallback callback;
    boolean acceptsGzip;
    String origin;
    private boolean returned;
    private boolean answered;

    Answer(Exchange exchange, AsyncCallback callback) {
      this.exchange = exchange;
      this.callback = callback;
    }

    @Override
    public void accept(Reply reply) {
      boolean async;
      synchronized (this) {
        if (answered) {
          return;
        }
        answered = true;
        writer.write(exchange, reply, acceptsGzip, origin);
        async = returned;
      }
      if (async) {
        callback.done(false);
      }
    }

    /** Called once by process(): true if the answer is already there (callback done synchronously). */
    synchronized boolean returned() {
      returned = true;
      if (answered) {
        callback.done(true);
        return true;
      }
      return false;
    }
  }
}
