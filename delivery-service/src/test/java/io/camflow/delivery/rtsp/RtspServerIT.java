package io.camflow.delivery.rtsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.auth.Access;
import io.camflow.delivery.auth.AuthSettings;
import io.camflow.delivery.auth.FailureLimiter;
import io.camflow.delivery.hub.StreamHubs;
import io.camflow.delivery.it.MediaFeed;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.delivery.sessions.Protocol;
import io.camflow.delivery.sessions.ViewerLimits;
import io.camflow.delivery.sessions.ViewerSessions;
import io.camflow.kafka.LocalKafka;
import io.camflow.media.StreamKey;
import io.camflow.media.rtp.RtpPacket;
import io.camflow.testsupport.EncodedStream;
import io.camflow.testsupport.ToolTable;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * camflow's RTSP server over a real local Kafka: a stream written the way ingest writes it (GOP 4
 * s, at camera pace) read by FFmpeg, ffprobe and GStreamer's {@code rtspsrc} — two independent
 * readers — and by a raw client for what they never send. Auth is off here; the token matrix of the
 * RTSP door is in AuthIT.
 */
class RtspServerIT {

  static final LocalKafka KAFKA = LocalKafka.shared();
  static final StreamKey KEY = new StreamKey("rtspit", "main");
  static final int GOP =
      100; // 4 s at 25 fps: a reader that waited for the next keyframe would show

  /** A camera with AAC; its topics exist before the hubs start (they keep the topic list). */
  static final StreamKey AAC = new StreamKey("rtspit", "aac");

  static ScheduledExecutorService scheduler;
  static StreamHubs hubs;
  static ViewerSessions sessions;
  static RtspServer server;
  static MediaFeed feed;

  /** When the feed's first record was made: the recording begins there. */
  static long feedStarted;

  @BeforeAll
  static void start() throws Exception {
    createTopics(KEY);
    createTopics(AAC);
    List<io.camflow.media.AccessUnit> clip = EncodedStream.h264(8, GOP, 640, 360);
    feedStarted = System.currentTimeMillis();
    feed = new MediaFeed(KAFKA.bootstrapServers(), KEY.mediaTopic(), clip, "s1").start();
    scheduler = Executors.newScheduledThreadPool(2);
    hubs = new StreamHubs(DeliverySettings.defaults(KAFKA.bootstrapServers()), scheduler);
    sessions = new ViewerSessions(new ViewerLimits(20, 20));
    Access access =
        new Access(
            AuthSettings.off(),
            null,
            new FailureLimiter(100, Duration.ofMinutes(1), System::nanoTime),
            scheduler);
    server =
        RtspServer.start(
            RtspSettings.on(0),
            new InetSocketAddress("127.0.0.1", 0),
            hubs,
            access,
            sessions,
            null); // publishing: PublishE2EIT, with delivery's routes
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (feed.written() < 10 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (hubs != null) {
      hubs.close();
    }
    if (feed != null) {
      feed.close();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }

  String url() {
    return "rtsp://127.0.0.1:" + server.port() + "/" + KEY.camera() + "/" + KEY.stream();
  }

  /** DESCRIBE, SETUP of the video over TCP, PLAY: the PLAY response. */
  static RtspTestClient.Response play(RtspTestClient c, String url) throws Exception {
    RtspTestClient.Response d = c.request("DESCRIBE", url, "Accept", "application/sdp");
    assertEquals(200, d.status(), d.body());
    RtspTestClient.Response s =
        c.request(
            "SETUP",
            d.header("content-base") + "trackID=0",
            "Transport",
            "RTP/AVP/TCP;unicast;interleaved=0-1");
    assertEquals(200, s.status(), s.body());
    String session = s.header("session").split(";")[0];
    RtspTestClient.Response play =
        c.request("PLAY", d.header("content-base"), "Session", session, "Range", "npt=0.000-");
    assertEquals(200, play.status(), play.body());
    return play;
  }

  @Test
  void aReaderStartsAtTheLatestKeyframeKeptInKafkaNotAtTheCamerasNext() throws Exception {
    try (RtspTestClient c = new RtspTestClient(server.port())) {
      RtspTestClient.Response options = c.request("OPTIONS", url());
      assertEquals(200, options.status());
      assertTrue(options.header("public").contains("DESCRIBE"), options.headers().toString());
      RtspTestClient.Response d = c.request("DESCRIBE", url(), "Accept", "application/sdp");
      assertEquals(200, d.status(), d.body());
      assertEquals("application/sdp", d.header("content-type"));
      assertTrue(d.body().contains("a=rtpmap:96 H264/90000"), d.body());
      assertTrue(d.body().contains("sprop-parameter-sets="), d.body());
      assertTrue(d.body().contains("profile-level-id="), d.body());
      assertTrue(d.body().contains("a=control:" + url() + "/trackID=0"), d.body());
      String session;
      RtspTestClient.Response s =
          c.request(
              "SETUP", url() + "/trackID=0", "Transport", "RTP/AVP/TCP;unicast;interleaved=0-1");
      assertEquals(200, s.status(), s.body());
      assertTrue(s.header("transport").startsWith("RTP/AVP/TCP;unicast;interleaved=0-1"));
      session = s.header("session").split(";")[0];
      long playedAt = System.currentTimeMillis();
      RtspTestClient.Response play = c.request("PLAY", url() + "/", "Session", session);
      assertEquals(200, play.status(), play.body());
      String info = play.header("rtp-info");
      assertNotNull(info, play.headers().toString());
      int seq = Integer.parseInt(value(info, "seq"));
      long rtptime = Long.parseLong(value(info, "rtptime"));

      RtspTestClient.Packet first = c.packet();
      assertEquals(0, first.channel(), "RTP on the channel SETUP gave");
      RtpPacket rtp = RtpPacket.parse(first.data());
      assertEquals(seq, rtp.header().sequenceNumber(), "RTP-Info's seq is the first packet's");
      assertEquals(rtptime, rtp.header().timestamp(), "RTP-Info's rtptime is the first frame's");
      assertTrue(startsAKeyframe(rtp.payload()), "the first packet starts a keyframe");
      assertEquals(1, sessions.count(Protocol.RTSP), "the reader is a viewer session");

      // the sender report maps RTP time to the capture clock: the first frame was made before
      // PLAY (it came from Kafka, not from the camera after the request)
      long srNtpMillis = -1;
      long srRtp = 0;
      int expectedSeq = (seq + 1) & 0xFFFF;
      for (int i = 0; i < 2000 && srNtpMillis < 0; i++) {
        RtspTestClient.Packet p = c.packet();
        if (p.channel() == 1) {
          assertEquals(200, p.data()[1] & 0xFF, "a sender report");
          long ntpSeconds = u32(p.data(), 8);
          long ntpFraction = u32(p.data(), 12);
          srNtpMillis = (ntpSeconds - 2_208_988_800L) * 1000 + (ntpFraction * 1000 >>> 32);
          srRtp = u32(p.data(), 16);
        } else {
          assertEquals(0, p.channel());
          RtpPacket next = RtpPacket.parse(p.data());
          assertEquals(expectedSeq, next.header().sequenceNumber(), "no packet lost or reordered");
          expectedSeq = (expectedSeq + 1) & 0xFFFF;
        }
      }
      assertTrue(srNtpMillis > 0, "a sender report came");
      long firstMadeMillis = srNtpMillis - ((srRtp - rtptime) & 0xFFFF_FFFFL) / 90;
      assertTrue(
          firstMadeMillis <= playedAt,
          "the first frame was made "
              + (firstMadeMillis - playedAt)
              + " ms after PLAY: it waited for the camera's next keyframe");
      assertTrue(
          playedAt - firstMadeMillis <= GOP * 40 + 1000,
          "the first frame is the latest keyframe, at most a GOP old: "
              + (playedAt - firstMadeMillis)
              + " ms");
      assertEquals(200, c.request("TEARDOWN", url() + "/", "Session", session).status());
      assertEquals(0, sessions.count(Protocol.RTSP), "TEARDOWN ends the session");
      assertEquals(200, c.request("GET_PARAMETER", url() + "/").status(), "the connection goes on");
    }
  }

  @Test
  void ffprobeAndFfmpegReadItOverTcpAndUdp() throws Exception {
    for (String transport : List.of("tcp", "udp")) {
      Run probe =
          run(
              "ffprobe",
              "-v",
              "error",
              "-rtsp_transport",
              transport,
              "-select_streams",
              "v:0",
              "-show_entries",
              "stream=codec_name,width,height",
              "-of",
              "csv=p=0",
              url());
      assertEquals(0, probe.exit, transport + ": " + probe.err);
      assertEquals("h264,640,360", probe.out.strip(), transport + ": " + probe.err);
      Run decode =
          run(
              "ffmpeg",
              "-v",
              "error",
              "-rtsp_transport",
              transport,
              "-i",
              url(),
              "-frames:v",
              "50",
              "-f",
              "framemd5",
              "-");
      assertEquals(0, decode.exit, transport + ": " + decode.err);
      long frames = decode.out.lines().filter(l -> !l.startsWith("#")).count();
      assertEquals(50, frames, transport + ": 50 frames decoded: " + decode.err);
      assertEquals("", decode.err.strip(), transport + ": no decoding error");
    }
  }

  @Test
  void udpGoesToTheClientsPortsFromTheAnnouncedServerPorts() throws Exception {
    try (java.net.DatagramSocket rtp = evenPortSocket();
        java.net.DatagramSocket rtcp = new java.net.DatagramSocket(rtp.getLocalPort() + 1);
        RtspTestClient c = new RtspTestClient(server.port())) {
      rtp.setSoTimeout(10_000);
      assertEquals(200, c.request("DESCRIBE", url()).status());
      int port = rtp.getLocalPort();
      RtspTestClient.Response s =
          c.request(
              "SETUP",
              url() + "/trackID=0",
              "Transport",
              "RTP/AVP;unicast;client_port=" + port + "-" + (port + 1));
      assertEquals(200, s.status(), s.body());
      assertTrue(
          s.header("transport")
              .startsWith(
                  "RTP/AVP;unicast;client_port="
                      + port
                      + "-"
                      + (port + 1)
                      + ";server_port="
                      + server.rtpPort()
                      + "-"
                      + (server.rtpPort() + 1)),
          s.header("transport"));
      RtspTestClient.Response play =
          c.request("PLAY", url() + "/", "Session", s.header("session").split(";")[0]);
      assertEquals(200, play.status());
      java.net.DatagramPacket d = new java.net.DatagramPacket(new byte[2048], 2048);
      rtp.receive(d);
      assertEquals(server.rtpPort(), d.getPort(), "RTP from the announced server port");
      RtpPacket first = RtpPacket.parse(java.util.Arrays.copyOf(d.getData(), d.getLength()));
      assertEquals(
          Integer.parseInt(value(play.header("rtp-info"), "seq")), first.header().sequenceNumber());
      assertTrue(startsAKeyframe(first.payload()), "UDP starts at the latest keyframe too");
      rtcp.setSoTimeout(10_000);
      rtcp.receive(d);
      assertEquals(server.rtpPort() + 1, d.getPort(), "RTCP from the port after");
      assertEquals(200, d.getData()[1] & 0xFF, "a sender report");
    }
  }

  static java.net.DatagramSocket evenPortSocket() throws Exception {
    for (int i = 0; i < 50; i++) {
      java.net.DatagramSocket s = new java.net.DatagramSocket(0);
      if (s.getLocalPort() % 2 == 0 && s.getLocalPort() < 65535) {
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(s.getLocalPort() + 1)) {
          return s; // the next one is free (closed again: the caller binds it)
        } catch (java.net.SocketException taken) {
          // try another
        }
      }
      s.close();
    }
    throw new IllegalStateException("no two consecutive free UDP ports");
  }

  /**
   * A camera with AAC: the description has it as RFC 3640 AAC-hbr with its AudioSpecificConfig, and
   * FFmpeg decodes the camera's own audio (not WebRTC's Opus) beside the video.
   */
  @Test
  void aacAudioGoesAsTheCameraSentIt() throws Exception {
    StreamKey key = AAC;
    List<io.camflow.media.AccessUnit> video = EncodedStream.h264(2, 25, 320, 240);
    List<io.camflow.media.AccessUnit> audio =
        io.camflow.delivery.transcode.AacSine.frames(48_000, 1, 440, 0.5, 2.0, 0);
    // written live, video and audio interleaved by time, the 2 s clip in a loop
    List<io.camflow.media.AccessUnit> clip = new ArrayList<>();
    for (int v = 0, a = 0; v < video.size() || a < audio.size(); ) {
      boolean takeVideo =
          a >= audio.size()
              || (v < video.size() && video.get(v).pts() * 48_000L <= audio.get(a).pts() * 90_000L);
      clip.add(takeVideo ? video.get(v++) : audio.get(a++));
    }
    Thread writer =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  Properties p = new Properties();
                  p.put("bootstrap.servers", KAFKA.bootstrapServers());
                  p.put("linger.ms", "0");
                  try (var producer =
                      new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(
                          p,
                          new org.apache.kafka.common.serialization.ByteArraySerializer(),
                          new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                    long since = System.currentTimeMillis();
                    for (int loop = 0; ; loop++) {
                      for (io.camflow.media.AccessUnit au : clip) {
                        long offset = (long) loop * 2 * au.timebase();
                        io.camflow.media.AccessUnit shifted =
                            new io.camflow.media.AccessUnit(
                                au.track(),
                                au.codec(),
                                au.pts() + offset,
                                au.dts() + offset,
                                au.timebase(),
                                au.keyframe(),
                                au.data(),
                                au.codecConfig());
                        long at = since + shifted.pts() * 1000 / au.timebase();
                        long wait = at - System.currentTimeMillis();
                        if (wait > 0) {
                          Thread.sleep(wait);
                        }
                        var r =
                            new org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>(
                                key.mediaTopic(), 0, at, null, shifted.data());
                        io.camflow.media.record.MediaRecordFormat.headers(shifted, "aac-s1")
                            .forEach((k, val) -> r.headers().add(k, val));
                        producer.send(r);
                      }
                    }
                  } catch (InterruptedException e) {
                    // the test is over
                  }
                });
    try {
      aacOf(key, audio);
    } finally {
      writer.interrupt();
      writer.join(5_000);
    }
  }

  private void aacOf(StreamKey key, List<io.camflow.media.AccessUnit> audio) throws Exception {
    String url = "rtsp://127.0.0.1:" + server.port() + "/" + key.camera() + "/" + key.stream();
    try (RtspTestClient c = new RtspTestClient(server.port())) {
      RtspTestClient.Response d = c.request("DESCRIBE", url);
      assertEquals(200, d.status(), d.body());
      assertTrue(d.body().contains("a=rtpmap:97 MPEG4-GENERIC/48000/1"), d.body());
      assertTrue(d.body().contains("mode=AAC-hbr;sizelength=13;indexlength=3"), d.body());
      assertTrue(
          d.body()
              .contains(
                  ";config=" + java.util.HexFormat.of().formatHex(audio.get(0).codecConfig())),
          d.body());
    }
    Run probe =
        run(
            "ffprobe",
            "-v",
            "error",
            "-rtsp_transport",
            "tcp",
            "-show_entries",
            "stream=codec_name,sample_rate,channels",
            "-of",
            "csv=p=0",
            url);
    assertEquals(0, probe.exit, probe.err);
    assertTrue(probe.out.contains("aac,48000,1"), probe.out + probe.err);
    assertTrue(probe.out.contains("h264"), probe.out + probe.err);
    Run decode =
        run(
            "ffmpeg",
            "-v",
            "error",
            "-rtsp_transport",
            "tcp",
            "-i",
            url,
            "-map",
            "0:a",
            "-frames:a",
            "20",
            "-f",
            "framemd5",
            "-");
    assertEquals(0, decode.exit, decode.err);
    assertEquals(
        20, decode.out.lines().filter(l -> !l.startsWith("#")).count(), "20 AAC frames decoded");
    assertEquals("", decode.err.strip(), "no decoding error");
  }

  static void createTopics(StreamKey key) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", KAFKA.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> topics = new ArrayList<>();
      for (String t : List.of(key.mediaTopic(), key.cmafTopic())) {
        if (!existing.contains(t)) {
          topics.add(
              new NewTopic(t, 1, (short) 1).configs(Map.of("max.message.bytes", "16777216")));
        }
      }
      admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void gstreamersRtspsrcReadsItOverTcpAndUdp() throws Exception {
    for (String protocols : List.of("tcp", "udp")) {
      Run gst =
          run(
              "gst-launch-1.0",
              "-q",
              "rtspsrc",
              "location=" + url(),
              "protocols=" + protocols,
              "latency=0",
              "!",
              "rtph264depay",
              "!",
              "h264parse",
              "!",
              "fakesink",
              "num-buffers=50");
      assertEquals(
          0,
          gst.exit,
          protocols
              + ": gst-launch-1.0 read 50 frames ("
              + ToolTable.load().find(ToolTable.Kind.GST_ELEMENT, "rtspsrc").orElseThrow()
              + "): "
              + gst.err
              + gst.out);
    }
  }

  @Test
  void malformedRequestsGetTheirStatusAndAPlayingReaderGoesOn() throws Exception {
    try (RtspTestClient reader = new RtspTestClient(server.port())) {
      play(reader, url());
      int seq = RtpPacket.parse(nextRtp(reader).data()).header().sequenceNumber();

      refusedAndClosed("HELLO\r\n\r\n", 400);
      refusedAndClosed("OPTIONS " + url() + " RTSP/1.0\r\n\r\n", 400); // no CSeq
      refusedAndClosed("OPTIONS " + url() + " RTSP/1.0\r\nCSeq: x\r\n\r\n", 400);
      refusedAndClosed("OPTIONS " + url() + " RTSP/2.0\r\nCSeq: 1\r\n\r\n", 505);
      refusedAndClosed(
          "OPTIONS " + url() + " RTSP/1.0\r\nCSeq: 1\r\nX: " + "a".repeat(9000) + "\r\n\r\n", 400);
      refusedAndClosed(
          "ANNOUNCE " + url() + " RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 100000\r\n\r\n", 413);
      refusedAndClosed("OPTIONS " + url() + " RTSP/1.0\r\nCSeq: 1\r\n folded\r\n\r\n", 400);
      try (RtspTestClient c = new RtspTestClient(server.port())) {
        assertEquals(501, c.request("FROBNICATE", url()).status());
        assertEquals(
            455,
            c.request(
                    "SETUP",
                    url() + "/trackID=0",
                    "Transport",
                    "RTP/AVP/TCP;unicast;interleaved=0-1")
                .status(),
            "SETUP before DESCRIBE");
        assertEquals(454, c.request("PLAY", url(), "Session", "nosuch").status());
        assertEquals(404, c.request("DESCRIBE", c.url("/nosuch/main")).status());
        RtspTestClient.Response before =
            c.request("DESCRIBE", url() + "?start=2020-01-01T10:00:00Z");
        assertEquals(404, before.status(), "nothing recorded then: " + before.body());
        assertTrue(before.body().contains("recorded"), before.body());
        RtspTestClient.Response badTime = c.request("DESCRIBE", url() + "?start=yesterday");
        assertEquals(400, badTime.status(), badTime.body());
        assertTrue(badTime.body().contains("ISO-8601"), badTime.body());
        assertEquals(
            501, c.request("DESCRIBE", url(), "Require", "onvif-replay").status(), "ONVIF replay");
        assertEquals(404, c.request("DESCRIBE", c.url("/a/b/c/d")).status());
        assertEquals(404, c.request("DESCRIBE", c.url("/../etc/passwd")).status());
        // packets on a channel nobody set up are dropped; the connection goes on
        c.send(new byte[] {'$', 77, 0, 3, 1, 2, 3});
        assertEquals(200, c.request("OPTIONS", url()).status());
        assertEquals(200, c.request("DESCRIBE", url()).status());
        RtspTestClient.Response multicast =
            c.request(
                "SETUP", url() + "/trackID=0", "Transport", "RTP/AVP;multicast;port=5000-5001");
        assertEquals(461, multicast.status(), "no multicast: " + multicast.body());
      }
      for (int i = 0; i < 100; i++) {
        RtpPacket next = RtpPacket.parse(nextRtp(reader).data());
        assertEquals((seq + 1) & 0xFFFF, next.header().sequenceNumber(), "the reader went on");
        seq = next.header().sequenceNumber();
      }
    }
  }

  /**
   * {@code ?start=}: the recording from the keyframe at or before the instant (the RTCP clock says
   * when its first frame was made), at the pace it was recorded — not a burst, and not the live
   * stream.
   */
  @Test
  void aReplayPlaysTheRecordingFromTheKeyframeBeforeTheInstantAtItsPace() throws Exception {
    while (System.currentTimeMillis() < feedStarted + 5_000) {
      Thread.sleep(100); // 5 s recorded
    }
    long at = feedStarted + 2_020;
    try (RtspTestClient c = new RtspTestClient(server.port())) {
      String replay = url() + "?start=" + java.time.Instant.ofEpochMilli(at);
      RtspTestClient.Response d = c.request("DESCRIBE", replay);
      assertEquals(200, d.status(), d.body());
      assertTrue(d.body().contains("a=rtpmap:96 H264/90000"), d.body());
      RtspTestClient.Response s =
          c.request(
              "SETUP", url() + "/trackID=0", "Transport", "RTP/AVP/TCP;unicast;interleaved=0-1");
      assertEquals(200, s.status(), s.body());
      String session = s.header("session").split(";")[0];
      RtspTestClient.Response play = c.request("PLAY", url() + "/", "Session", session);
      assertEquals(200, play.status(), play.body());
      assertEquals("npt=0-", play.header("range"));
      long rtptime = Long.parseLong(value(play.header("rtp-info"), "rtptime"));
      long playedNanos = System.nanoTime();
      RtpPacket first = RtpPacket.parse(nextRtp(c).data());
      assertTrue(startsAKeyframe(first.payload()), "the replay starts on a keyframe");
      int frames = 0;
      long srNtpMillis = -1;
      long srRtp = 0;
      while (System.nanoTime() - playedNanos < TimeUnit.SECONDS.toNanos(3)) {
        RtspTestClient.Packet p = c.packet();
        if (p.channel() == 1 && srNtpMillis < 0) {
          long ntpSeconds = u32(p.data(), 8);
          long ntpFraction = u32(p.data(), 12);
          srNtpMillis = (ntpSeconds - 2_208_988_800L) * 1000 + (ntpFraction * 1000 >>> 32);
          srRtp = u32(p.data(), 16);
        } else if (p.channel() == 0 && RtpPacket.parse(p.data()).header().marker()) {
          frames++;
        }
      }
      assertTrue(srNtpMillis > 0, "a sender report came");
      long firstMadeMillis = srNtpMillis - ((srRtp - rtptime) & 0xFFFF_FFFFL) / 90;
      assertTrue(
          firstMadeMillis <= at + 40 && firstMadeMillis > at - GOP * 40 - 40,
          "the first frame is the keyframe at or before the instant: "
              + (firstMadeMillis - at)
              + " ms from it");
      assertTrue(
          frames >= 60 && frames <= 90,
          "about 3 s of 25 fps in 3 s, at the recorded pace: " + frames + " frames");
      assertEquals(1, sessions.count(Protocol.RTSP), "a replay is a viewer session");
      assertEquals(200, c.request("TEARDOWN", url() + "/", "Session", session).status());
    }
  }

  @Test
  void twentyReadersOneFeed() throws Exception {
    List<RtspTestClient> readers = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        RtspTestClient c = new RtspTestClient(server.port());
        readers.add(c);
        play(c, url());
      }
      assertEquals(20, sessions.count(Protocol.RTSP));
      for (RtspTestClient c : readers) {
        assertTrue(startsAKeyframe(RtpPacket.parse(nextRtp(c).data()).payload()));
      }
      assertEquals(1, hubs.consumers(KEY.mediaTopic()), "one consumer of the media topic for all");
      try (RtspTestClient over = new RtspTestClient(server.port())) {
        over.request("DESCRIBE", url());
        RtspTestClient.Response s =
            over.request(
                "SETUP", url() + "/trackID=0", "Transport", "RTP/AVP/TCP;unicast;interleaved=0-1");
        RtspTestClient.Response refused =
            over.request("PLAY", url() + "/", "Session", s.header("session").split(";")[0]);
        assertEquals(453, refused.status(), "over the viewer limit: " + refused.body());
      }
    } finally {
      for (RtspTestClient c : readers) {
        c.close();
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (sessions.count(Protocol.RTSP) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, sessions.count(Protocol.RTSP), "a closed connection ends its session");
  }

  private void refusedAndClosed(String request, int status) throws Exception {
    try (RtspTestClient c = new RtspTestClient(server.port())) {
      RtspTestClient.Response r = c.raw(request.getBytes(StandardCharsets.UTF_8));
      assertEquals(status, r.status(), request.substring(0, Math.min(60, request.length())));
      assertTrue(c.closedByServer(), "the connection closes after a malformed request");
    }
  }

  static RtspTestClient.Packet nextRtp(RtspTestClient c) throws Exception {
    while (true) {
      RtspTestClient.Packet p = c.packet();
      if (p.channel() == 0) {
        return p;
      }
    }
  }

  /** STAP-A with an SPS, an SPS, or an IDR (whole or the start of an FU-A). */
  static boolean startsAKeyframe(byte[] payload) {
    int type = payload[0] & 0x1F;
    return switch (type) {
      case 24 -> (payload[3] & 0x1F) == 7;
      case 7, 5 -> true;
      case 28 -> (payload[1] & 0x80) != 0 && (payload[1] & 0x1F) == 5;
      default -> false;
    };
  }

  static String value(String info, String name) {
    for (String part : info.split("[;,]")) {
      if (part.startsWith(name + "=")) {
        return part.substring(name.length() + 1);
      }
    }
    throw new AssertionError("no " + name + " in " + info);
  }

  static long u32(byte[] b, int at) {
    return ((b[at] & 0xFFL) << 24)
        | ((b[at + 1] & 0xFFL) << 16)
        | ((b[at + 2] & 0xFFL) << 8)
        | (b[at + 3] & 0xFFL);
  }

  record Run(int exit, String out, String err) {}

  static Run run(String... command) throws Exception {
    Path out = Files.createTempFile("rtsp-out", ".txt");
    Path err = Files.createTempFile("rtsp-err", ".txt");
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(command[0] + " did not finish in 60 s: " + Files.readString(err));
      }
      return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
