package io.camflow.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.localprocess.ProcessStates;
import io.camflow.localprocess.UnreapedProcess;
import io.camflow.testsupport.Ffprobe.FfprobeException;
import io.camflow.testsupport.Ffprobe.StreamInfo;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestCameraIT {

  @Test
  void h264WithDigestCredentialsAtTheConfiguredSize() throws Exception {
    try (TestCamera camera =
        TestCamera.builder()
            .codec(TestCamera.Codec.H264)
            .size(640, 360)
            .fps(25)
            .gop(25)
            .credentials("admin", "s3cr3t:!")
            .start()) {
      assertTrue(camera.url().matches("rtsp://127\\.0\\.0\\.1:\\d+/main"), camera.url());

      List<StreamInfo> streams = Ffprobe.probeRtsp(camera.url(), "tcp", "admin", "s3cr3t:!");
      StreamInfo video = Ffprobe.video(streams).orElseThrow();
      assertEquals("h264", video.codecName());
      assertEquals(640, video.width());
      assertEquals(360, video.height());
      assertEquals(25.0, video.frameRate(), 0.01);
      assertTrue(Ffprobe.audio(streams).isEmpty());

      List<String> response = describeWithoutCredentials(camera);
      assertTrue(response.get(0).contains(" 401 "), response.toString());
      assertTrue(
          response.stream().anyMatch(l -> l.toLowerCase().startsWith("www-authenticate: digest ")),
          "the camera must ask for Digest: " + response);
      assertTrue(
          response.stream().noneMatch(l -> l.toLowerCase().startsWith("www-authenticate: basic")),
          response.toString());
    }
  }

  @Test
  void wrongOrMissingCredentialsAreRefused() {
    try (TestCamera camera = TestCamera.builder().credentials("admin", "right").start()) {
      FfprobeException wrong =
          assertThrows(
              FfprobeException.class,
              () -> Ffprobe.probeRtsp(camera.url(), "tcp", "admin", "wrong"));
      assertTrue(wrong.stderr().contains("401"), wrong.getMessage());
      FfprobeException none =
          assertThrows(
              FfprobeException.class, () -> Ffprobe.probeRtsp(camera.url(), "tcp", null, null));
      assertTrue(none.stderr().contains("401"), none.getMessage());
      assertFalse(
          wrong.getMessage().contains("wrong"),
          "the password must not appear: " + wrong.getMessage());
    }
  }

  @Test
  void h265WithAacAudio() {
    try (TestCamera camera =
        TestCamera.builder()
            .codec(TestCamera.Codec.H265)
            .size(320, 240)
            .fps(15)
            .gop(15)
            .audio(TestCamera.Audio.AAC)
            .credentials("u", "p")
            .start()) {
      List<StreamInfo> streams = Ffprobe.probeRtsp(camera.url(), "tcp", "u", "p");
      StreamInfo video = Ffprobe.video(streams).orElseThrow();
      assertEquals("hevc", video.codecName());
      assertEquals(320, video.width());
      assertEquals(240, video.height());
      assertEquals(15.0, video.frameRate(), 0.01);
      StreamInfo audio = Ffprobe.audio(streams).orElseThrow();
      assertEquals("aac", audio.codecName());
      assertEquals(48000, audio.sampleRate());
    }
  }

  @Test
  void udpOnlyCameraServesUdpAndRefusesTcp() {
    try (TestCamera camera =
        TestCamera.builder()
            .transport(TestCamera.Transport.UDP)
            .size(320, 180)
            .audio(TestCamera.Audio.PCMU)
            .parameterSets(TestCamera.ParameterSets.SDP_ONLY)
            .start()) {
      List<StreamInfo> streams = Ffprobe.probeRtsp(camera.url(), "udp", null, null);
      StreamInfo video = Ffprobe.video(streams).orElseThrow();
      assertEquals("h264", video.codecName());
      assertEquals(320, video.width());
      assertEquals("pcm_mulaw", Ffprobe.audio(streams).orElseThrow().codecName());

      FfprobeException tcp =
          assertThrows(
              FfprobeException.class, () -> Ffprobe.probeRtsp(camera.url(), "tcp", null, null));
      assertTrue(tcp.stderr().contains("461"), tcp.getMessage());
    }
  }

  @Test
  void killAndRestartComeBackOnTheSamePort() throws Exception {
    try (TestCamera camera =
        TestCamera.builder().size(320, 180).credentials("admin", "pw").start()) {
      int port = camera.port();
      assertEquals(
          "h264",
          Ffprobe.video(Ffprobe.probeRtsp(camera.url(), "tcp", "admin", "pw"))
              .orElseThrow()
              .codecName());
      // a client is connected when the camera dies: its port lingers in TIME_WAIT
      ProcessHandle first = camera.process().orElseThrow();
      camera.kill();
      assertFalse(first.isAlive());
      assertFalse(camera.isRunning());
      FfprobeException down =
          assertThrows(
              FfprobeException.class, () -> Ffprobe.probeRtsp(camera.url(), "tcp", "admin", "pw"));
      assertTrue(down.stderr().toLowerCase().contains("connection refused"), down.getMessage());

      camera.restart();
      assertEquals(port, camera.port());
      assertTrue(camera.isRunning());
      StreamInfo video =
          Ffprobe.video(Ffprobe.probeRtsp(camera.url(), "tcp", "admin", "pw")).orElseThrow();
      assertEquals(320, video.width());

      ProcessHandle second = camera.process().orElseThrow();
      camera.stop();
      assertFalse(second.isAlive());
    }
  }

  @Test
  void aTakenPortFailsWithTheScriptsError() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName(TestCamera.HOST), 0));
      TestCamera camera = TestCamera.builder().port(taken.getLocalPort()).build();
      IllegalStateException e = assertThrows(IllegalStateException.class, camera::start);
      assertTrue(e.getMessage().contains("cannot listen"), e.getMessage());
      assertFalse(camera.isRunning());
    }
  }

  /**
   * The camera ends with the JVM that started it even when that JVM is killed and left unreaped (a
   * zombie, which looks alive to anything that polls its pid): its stdin is a lifeline.
   */
  @Test
  void aCameraEndsWhenTheJvmThatStartedItIsKilled() throws Exception {
    assertEndsWithItsParent("camera");
  }

  @Test
  void replayCamerasEndWhenTheJvmThatStartedThemIsKilled() throws Exception {
    assertEndsWithItsParent("replay");
  }

  private static void assertEndsWithItsParent(String which) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    try (UnreapedProcess parent =
        UnreapedProcess.start(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                CameraParent.class.getName(),
                which))) {
      String line = parent.stdout().readLine(); // "<camera pid> <port>"
      assertTrue(line != null && line.matches("\\d+ \\d+"), "the parent JVM said: " + line);
      long camera = Long.parseLong(line.split(" ")[0]);
      int port = Integer.parseInt(line.split(" ")[1]);
      assertTrue(listens(port), which + " does not listen on " + port);

      parent.kill();
      assertTrue(ProcessStates.isZombie(parent.pid()), "the killed parent should be left a zombie");
      long t0 = System.nanoTime();
      assertTrue(
          ProcessStates.awaitEnded(camera, Duration.ofSeconds(10)),
          which + " (pid " + camera + ") still runs 10 s after the JVM that started it was killed");
      System.out.printf(
          "%s ended %d ms after its parent JVM was killed%n",
          which, (System.nanoTime() - t0) / 1_000_000);
      // the kernel closes its socket as it exits; give a busy machine a moment to show that
      long closeDeadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (listens(port) && System.nanoTime() < closeDeadline) {
        Thread.sleep(100);
      }
      assertFalse(listens(port), "port " + port + " is still open 3 s after " + which + " ended");
    }
  }

  private static boolean listens(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(TestCamera.HOST, port), 1000);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** A raw DESCRIBE without credentials: the status line and headers of the answer. */
  private static List<String> describeWithoutCredentials(TestCamera camera) throws Exception {
    try (Socket socket = new Socket(TestCamera.HOST, camera.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("DESCRIBE " + camera.url() + " RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      List<String> lines = new ArrayList<>();
      String line;
      while ((line = in.readLine()) != null && !line.isEmpty()) {
        lines.add(line);
      }
      return lines;
    }
  }
}
