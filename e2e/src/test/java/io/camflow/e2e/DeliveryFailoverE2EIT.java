package io.camflow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camflow.keycloak.LocalKeycloak;
import io.camflow.localprocess.ChildProcesses;
import io.camflow.localprocess.FreePorts;
import io.camflow.testsupport.TestCamera;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two delivery instances, each its own process, behind a round-robin TCP proxy (the load balancer):
 * the web viewer, logged in through the real Keycloak, plays {@code demo/main} through the proxy
 * over MSE and over LL-HLS; the instance it plays from is killed with SIGKILL, and the player goes
 * on from the other by itself. Both instances build their windows from Kafka, share one
 * stream-token key (an HLS stream token issued by one is accepted by the other) and check the same
 * Keycloak tokens: nothing a viewer needs lives in one instance.
 */
class DeliveryFailoverE2EIT {

  static final LocalKeycloak KC = LocalKeycloak.shared();
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TOKEN_KEY = Base64.getEncoder().encodeToString(randomBytes(32));
  static final Map<Integer, Process> deliveries = new HashMap<>();
  static TestCamera camera;
  static LivePipeline pipeline;
  static RoundRobinProxy proxy;

  @BeforeAll
  static void startEverything() throws Exception {
    camera =
        TestCamera.builder().codec(TestCamera.Codec.H264).size(640, 360).fps(25).gop(25).start();
    // the deliveries are processes of their own (started before each test), behind the proxy
    pipeline =
        LivePipeline.named("failover-e2e")
            .cameras(
                """
                cameras:
                  demo:
                    streams:
                      main:
                        url: %s
                        mode: always
                """
                    .formatted(camera.url()))
            .withoutDelivery()
            .start();
    List<Integer> ports = List.of(FreePorts.find(), FreePorts.find());
    for (int port : ports) {
      deliveries.put(port, null);
    }
    proxy = new RoundRobinProxy(ports);
  }

  /** Both instances up (the previous test killed one). */
  @BeforeEach
  void bothDeliveriesRun() throws Exception {
    for (Map.Entry<Integer, Process> e : deliveries.entrySet()) {
      if (e.getValue() == null || !e.getValue().isAlive()) {
        e.setValue(startDelivery(e.getKey()));
      }
    }
    for (int port : deliveries.keySet()) {
      awaitPort(port, Duration.ofSeconds(60));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mse", "hls"})
  void theViewerGoesOnFromTheOtherInstanceWhenItsOwnIsKilled(String protocol) throws Exception {
    Path dir = Files.createTempDirectory("delivery-failover");
    Path ready = dir.resolve("playing");
    Path killed = dir.resolve("killed");
    ProcessBuilder pb =
        new ProcessBuilder(
                "node",
                "src/test/js/web-grid.mjs",
                "http://localhost:" + proxy.port(),
                "viewer",
                "viewer",
                "failover",
                "15")
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("READY_FILE", ready.toString());
    pb.environment().put("KILLED_FILE", killed.toString());
    pb.environment().put("PROTOCOL", protocol);
    Process node = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.exists(ready) && node.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    int victim = proxy.lastLiveBackend();
    boolean playing = Files.exists(ready);
    if (playing) {
      Process p = deliveries.get(victim);
      p.destroyForcibly(); // SIGKILL: the instance the page plays from
      p.waitFor(10, TimeUnit.SECONDS);
      Files.writeString(killed, "killed\n");
    }
    String out = new String(node.getInputStream().readAllBytes()).trim();
    assertTrue(node.waitFor(120, TimeUnit.SECONDS), "the browser run finishes");
    assertTrue(playing, "the single view played before the kill: " + out);
    assertEquals(0, node.exitValue(), "browser driver output: " + out);
    JsonNode r = JSON.readTree(out.substring(out.lastIndexOf('\n') + 1));
    System.out.println(
        "web single view (" + protocol + ") through a delivery failover: " + r.get("failover"));
    JsonNode states = r.get("failover").get("states");
    assertEquals("playing", states.get(states.size() - 1).get("state").asText(), r.toString());
    assertEquals(
        protocol,
        states.get(states.size() - 1).get("protocol").asText(),
        "played over " + protocol);
    assertNotEquals(victim, proxy.lastLiveBackend(), "the media now comes from the other instance");
  }

  private static Process startDelivery(int port) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                "io.camflow.delivery.DeliveryMain")
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(
                    Path.of("target", "delivery-" + port + ".log").toFile()));
    Map<String, String> env = pb.environment();
    env.put("CAMFLOW_KAFKA_BOOTSTRAP_SERVERS", pipeline.bootstrapServers());
    env.put("CAMFLOW_HTTP_PORT", Integer.toString(port));
    env.put("CAMFLOW_ROUTES", LivePipeline.ROUTES.toAbsolutePath().normalize().toString());
    env.put("CAMFLOW_AUTH_ISSUER", KC.issuer().toString());
    env.put(
        "CAMFLOW_STREAM_TOKEN_KEY",
        TOKEN_KEY); // the same for both: tokens of one work on the other
    env.put("CAMFLOW_WEBRTC", "off"); // MSE and HLS here; each instance would need its own UDP port
    env.put("CAMFLOW_HTTPS_PORT", "0"); // plain HTTP behind the proxy; both would want 8443
    env.put("CAMFLOW_RTSP", "off"); // both would want 8554
    return pb.start();
  }

  private static void awaitPort(int port, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "delivery did not open port " + port + " (see target/delivery-" + port + ".log)");
        }
        Thread.sleep(200);
      }
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  @AfterAll
  static void stopEverything() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    for (Process p : deliveries.values()) {
      if (p != null) {
        ChildProcesses.stop(p, Duration.ofSeconds(10));
      }
    }
    if (pipeline != null) {
      pipeline.close();
    }
    if (camera != null) {
      camera.close();
    }
  }
}
