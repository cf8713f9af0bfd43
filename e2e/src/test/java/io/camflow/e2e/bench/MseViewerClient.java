package io.camflow.e2e.bench;

import io.camflow.media.fmp4.SampleFlags;
import io.camflow.testsupport.MseSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A benchmark MSE viewer (java.net.http WebSocket): times, from the moment it starts connecting,
 * the handshake, the first fragment (the GOP burst's keyframe: instant start) and the first
 * keyframe fragment after {@code live} (what a server that waits for the next IDR would send
 * first); counts fragments and {@code dropped} events.
 */
final class MseViewerClient extends MseSocket {

  static final String[] CODECS = {"avc1.64001f", "mp4a.40.2"};

  final long startNanos = System.nanoTime();
  final CompletableFuture<Long> firstFragment = new CompletableFuture<>();
  final CompletableFuture<Long> nextLiveKeyframe = new CompletableFuture<>();
  volatile long openNanos;
  volatile long fragments;
  volatile long bytes;
  volatile long dropped;
  volatile boolean limited;
  private volatile boolean live;
  private boolean initSeen;

  static CompletableFuture<MseViewerClient> open(HttpClient http, String url) {
    MseViewerClient c = new MseViewerClient();
    return c.connect(http, URI.create(url), null)
        .thenApply(
            ws -> {
              c.openNanos = System.nanoTime() - c.startNanos;
              c.play(CODECS);
              return c;
            });
  }

  @Override
  protected void text(String t) {
    if (t.contains("\"live\"")) {
      live = true;
    } else if (t.contains("\"dropped\"")) {
      dropped++;
    } else if (t.contains("\"limit\"")) {
      limited = true;
    }
  }

  @Override
  protected void binaryPart(ByteBuffer part, boolean last) {
    if (!initSeen || !firstFragment.isDone() || (live && !nextLiveKeyframe.isDone())) {
      super.binaryPart(part, last); // whole messages to binary(): the ones that are timed
    } else {
      bytes += part.remaining(); // steady state: count, do not keep
      if (last) {
        fragments++;
      }
    }
  }

  @Override
  protected void binary(byte[] m) {
    message(m);
  }

  private void message(byte[] m) {
    bytes += m.length;
    if (!initSeen) {
      initSeen = true; // the init segment
      return;
    }
    fragments++;
    long now = System.nanoTime() - startNanos;
    firstFragment.complete(now);
    if (live && !nextLiveKeyframe.isDone() && m.length > 0 && sync(m)) {
      nextLiveKeyframe.complete(now);
    }
  }

  /** Whether the fragment's first sample is a sync sample (camflow's trun: per-sample flags). */
  static boolean sync(byte[] m) {
    for (int p = 8; p + 28 < m.length; p++) {
      if (m[p] == 't' && m[p + 1] == 'r' && m[p + 2] == 'u' && m[p + 3] == 'n') {
        int flags =
            ((m[p + 24] & 0xff) << 24)
                | ((m[p + 25] & 0xff) << 16)
                | ((m[p + 26] & 0xff) << 8)
                | (m[p + 27] & 0xff);
        return SampleFlags.isSync(flags);
      }
    }
    return false;
  }

  void close() {
    abort();
  }
}
