package io.camflow.delivery.hls;

import io.camflow.delivery.door.PartStream;
import io.camflow.delivery.door.Reply;
import io.camflow.delivery.door.StreamingReply;
import io.camflow.delivery.sessions.ViewerSession;
import java.util.List;
import java.util.function.Consumer;

/**
 * The answer of a request that belongs to a viewer session: counts the body bytes it sends into the
 * session, whole replies and streamed parts alike (a {@link StreamingReply} stays one, so the
 * hinted part is still streamed).
 */
final class CountedReply {

  private CountedReply() {}

  static Consumer<Reply> of(Consumer<Reply> answer, ViewerSession session) {
    if (answer instanceof StreamingReply streaming) {
      return new StreamingReply() {
        @Override
        public void accept(Reply reply) {
          session.sent(reply.length());
          streaming.accept(reply);
        }

        @Override
        public PartStream stream(String contentType, String cacheControl) {
          PartStream part = streaming.stream(contentType, cacheControl);
          return new PartStream() {
            @Override
            public void write(List<byte[]> chunks) {
              long n = 0;
              for (byte[] c : chunks) {
                n += c.length;
              }
              session.sent(n);
              part.write(chunks);
            }

            @Override
            public void end() {
              part.end();
            }

            @Override
            public void abort() {
              part.abort();
            }
          };
        }
      };
    }
    return reply -> {
      session.sent(reply.length());
      answer.accept(reply);
    };
  }
}
