package io.camflow.e2e.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The MSE viewers of a benchmark in a JVM of their own ({@link ClientProcess} starts it), so that
 * the benchmark's process holds only the server side: {@code FanoutClients <url> <viewers>
 * <viewersPerHttpClient>} opens the viewers (java.net.http WebSocket, {@link MseViewerClient}),
 * prints {@code ready <n>}, then answers each {@code counts} line on stdin with one line {@code
 * counts <bytes> <dropped events> <limited> <fragments of viewer 0> <fragments of viewer 1> …} and
 * exits on {@code quit} or at the end of stdin.
 */
public final class FanoutClients {

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int viewers = Integer.parseInt(args[1]);
    int perClient = Integer.parseInt(args[2]);
    List<MseViewerClient> clients = new ArrayList<>();
    List<CompletableFuture<MseViewerClient>> opening = new ArrayList<>();
    HttpClient http = null;
    for (int i = 0; i < viewers; i++) {
      if (i % perClient == 0) {
        http = HttpClient.newHttpClient(); // one selector thread per so many viewers
      }
      opening.add(MseViewerClient.open(http, url));
      if (i % 50 == 49) {
        for (CompletableFuture<MseViewerClient> f : opening) {
          clients.add(f.get(30, TimeUnit.SECONDS));
        }
        opening.clear();
      }
    }
    for (CompletableFuture<MseViewerClient> f : opening) {
      clients.add(f.get(30, TimeUnit.SECONDS));
    }
    System.out.println("ready " + clients.size());
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    String line;
    while ((line = in.readLine()) != null && !line.equals("quit")) {
      if (line.equals("counts")) {
        StringBuilder b = new StringBuilder("counts");
        b.append(' ').append(clients.stream().mapToLong(c -> c.bytes).sum());
        b.append(' ').append(clients.stream().mapToLong(c -> c.dropped).sum());
        b.append(' ').append(clients.stream().filter(c -> c.limited).count());
        for (MseViewerClient c : clients) {
          b.append(' ').append(c.fragments);
        }
        System.out.println(b);
        System.out.flush();
      }
    }
    clients.forEach(MseViewerClient::close);
    System.exit(0);
  }
}
