package io.camflow.e2e.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The WebRTC viewers of a benchmark in a JVM of their own ({@link ClientProcess} starts it): {@code
 * WhepFanoutClients <whep url> <viewers> <decrypt: true|false> [<bearer token>]} opens the viewers
 * ({@link WhepLoadClient}, {@value #OPENING} at a time), prints {@code ready <opened> <failed>},
 * then answers each {@code counts} line on stdin with {@code counts <failed>} followed by {@value
 * #FIELDS} numbers per viewer ({@link #FIELDS_ORDER}); exits on {@code quit} or at the end of
 * stdin.
 */
public final class WhepFanoutClients {

  static final int FIELDS = 10;
  static final String FIELDS_ORDER =
      "packets bytes lost nacked recovered frames keyframes rejected keyframeRequests consentAnswers";

  /**
   * Offers in flight at once: the server runs DTLS handshakes on a few threads; more only queue.
   */
  private static final int OPENING = 8;

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    int viewers = Integer.parseInt(args[1]);
    boolean decrypt = Boolean.parseBoolean(args[2]);
    String token = args.length > 3 ? args[3] : null;
    HttpClient http = HttpClient.newHttpClient();
    List<Future<WhepLoadClient>> opening = new ArrayList<>();
    Semaphore slots = new Semaphore(OPENING);
    AtomicInteger failed = new AtomicInteger();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < viewers; i++) {
        slots.acquire();
        opening.add(
            pool.submit(
                () -> {
                  try {
                    return WhepLoadClient.open(http, url, token, decrypt);
                  } catch (Exception e) {
                    if (failed.incrementAndGet() <= 3) {
                      System.err.println("viewer failed to open: " + e);
                      if (failed.get() == 1) {
                        e.printStackTrace();
                      }
                    }
                    return null;
                  } finally {
                    slots.release();
                  }
                }));
      }
    }
    List<WhepLoadClient> clients = new ArrayList<>();
    for (Future<WhepLoadClient> f : opening) {
      if (f.get() != null) {
        clients.add(f.get());
      }
    }
    System.out.println("ready " + clients.size() + " " + failed.get());
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    String line;
    while ((line = in.readLine()) != null && !line.equals("quit")) {
      if (line.equals("counts")) {
        StringBuilder b = new StringBuilder("counts ").append(failed.get());
        for (WhepLoadClient c : clients) {
          WhepLoadClient.Counts n = c.counts();
          for (long v :
              new long[] {
                n.packets(),
                n.bytes(),
                n.lost(),
                n.nacked(),
                n.recovered(),
                n.frames(),
                n.keyframes(),
                n.rejected(),
                n.keyframeRequests(),
                n.consentAnswers()
              }) {
            b.append(' ').append(v);
          }
        }
        System.out.println(b);
        System.out.flush();
      }
    }
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      clients.forEach(c -> pool.submit(c::close));
    }
    System.exit(0);
  }
}
