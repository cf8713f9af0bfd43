package io.camflow.delivery.http;

import io.camflow.delivery.hls.Reply;
import io.camflow.delivery.live.LiveStream;
import io.camflow.delivery.live.LiveStreams;
import io.camflow.media.StreamKey;
import io.camflow.media.hls.BadPlaylistRequestException;
import io.camflow.media.hls.BlockingRequest;
import io.camflow.media.hls.HlsNames;
import io.camflow.media.hls.HlsResource;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.component.netty.NettyConstants;
import org.apache.camel.component.netty.http.NettyHttpMessage;
import org.apache.camel.support.AsyncProcessorHelper;

/**
 * Every HTTP request of the delivery port, from the netty-http route: health, readiness and
 * {@code /live/<camera>/<stream>/<name>}. Names are judged on the raw request path, byte for
 * byte ({@link HlsNames#parse}, {@link StreamKey}); nothing here maps a name to a file. A request
 * that must wait (blocking reload, preload-hinted part) returns false to Camel and completes the
 * callback later from the stream's consumer thread or the timeout: no thread waits per request.
 */
public final class HttpRouter implements AsyncProcessor {

  private static final String LIVE = "/live/";

  private final LiveStreams streams;
  private final ResponseWriter writer;

  public HttpRouter(LiveStreams streams, ResponseWriter writer) {
    this.streams = streams;
    this.writer = writer;
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
    answer.acceptsGzip = acceptsGzip(request.headers().get("Accept-Encoding"));
    String method = request.method().name();
    if (method.equals("OPTIONS")) {
      answer.accept(new Reply(204, Reply.TEXT, Reply.NO_CACHE, List.of()));
      return;
    }
    if (!method.equals("GET")) {
      answer.accept(Reply.text(405, "only GET"));
      return;
    }
    String uri = request.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    switch (path) {
      case "/healthz" -> answer.accept(Reply.text(200, "ok"));
      case "/readyz" -> answer.accept(streams.ready() ? Reply.text(200, "ready")
          : Reply.text(503, "waiting for Kafka"));
      default -> {
        if (path.startsWith(LIVE)) {
          live(exchange, uri, path.substring(LIVE.length()), answer);
        } else {
          answer.accept(Reply.text(404, "not found"));
        }
      }
    }
  }

  private void live(Exchange exchange, String uri, String rest, Answer answer) {
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
    if (resource.get() instanceof HlsResource.Playlist) {
      try {
        directives = BlockingRequest.parseMulti(new QueryStringDecoder(uri).parameters());
      } catch (BadPlaylistRequestException | IllegalArgumentException e) {
        answer.accept(Reply.text(400, e.getMessage()));
        return;
      }
    }
    StreamKey key = new StreamKey(parts[0], parts[1]);
    String client = client(exchange);
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

  private static String client(Exchange exchange) {
    Object remote = exchange.getIn().getHeader(NettyConstants.NETTY_REMOTE_ADDRESS);
    if (remote instanceof InetSocketAddress a && a.getAddress() != null) {
      return a.getAddress().getHostAddress();
    }
    return String.valueOf(remote);
  }

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

  /** Writes one reply and completes Camel's callback, synchronously or later. */
  private final class Answer implements Consumer<Reply> {
    private final Exchange exchange;
    private final AsyncCallback callback;
    boolean acceptsGzip;
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
        writer.write(exchange, reply, acceptsGzip);
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
