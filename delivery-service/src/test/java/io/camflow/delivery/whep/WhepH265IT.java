package io.camflow.delivery.whep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.delivery.hub.StreamHubs;
import io.camflow.delivery.live.DeliverySettings;
import io.camflow.delivery.sessions.ViewerLimits;
import io.camflow.delivery.sessions.ViewerSessions;
import io.camflow.kafka.LocalKafka;
import io.camflow.media.AccessUnit;
import io.camflow.media.StreamKey;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.h265.H265NalType;
import io.camflow.media.h265.H265Sps;
import io.camflow.media.record.MediaRecordFormat;
import io.camflow.media.rtp.RtpPacket;
import io.camflow.media.sdp.Fingerprint;
import io.camflow.media.sdp.Ice;
import io.camflow.media.sdp.MediaDescription;
import io.camflow.media.sdp.SessionDescription;
import io.camflow.testsupport.EncodedStream;
import io.camflow.webrtc.DatagramKind;
import io.camflow.webrtc.TestPeer;
import io.camflow.webrtc.WebRtcTransportServer;
import io.camflow.webrtc.WebRtcTransportSettings;
import io.camflow.webrtc.dtls.CertificateFingerprint;
import io.camflow.webrtc.srtp.PacketBuffer;
import io.camflow.webrtc.srtp.SrtpKeyMaterial;
import io.camflow.webrtc.srtp.SrtpProfile;
import io.camflow.webrtc.srtp.SrtpProtection;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An H.265 stream over WebRTC end to end below the browser (headless Chromium has no HEVC decoder):
 * real libx265 access units in the real local Kafka, {@link WhepService} answering a Chrome-shaped
 * H.265 offer, and {@link TestPeer} (camflow-webrtc's test-jar) doing ICE, DTLS and SRTP on a real
 * UDP socket. What arrives is reassembled by an RFC 7798 receiver and decoded by FFmpeg.
 */
class WhepH265IT {

  static final LocalKafka KAFKA = LocalKafka.shared();
  static final StreamKey KEY = new StreamKey("whep265", "main");
  static final int GOP = 25;

  static List<AccessUnit> units;
  static ScheduledExecutorService scheduler;
  static WebRtcTransportServer transport;
  static WhepService whep;
  static StreamHubs hubs;

  @BeforeAll
  static void start() throws Exception {
    units = EncodedStream.h265(2, GOP, 640, 360);
    Properties p = new Properties();
    p.put("bootstrap.servers", KAFKA.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(KEY.mediaTopic(), 1, (short) 1)
                      .configs(Map.of("max.message.bytes", "16777216"))))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    p.put("acks", "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (AccessUnit au : units) {
        ProducerRecord<byte[], byte[]> r =
            new ProducerRecord<>(KEY.mediaTopic(), 0, null, au.data());
        MediaRecordFormat.headers(au, "s1").forEach((k, v) -> r.headers().add(k, v));
        producer.send(r);
      }
      producer.flush();
    }
    scheduler = Executors.newScheduledThreadPool(2);
    transport =
        WebRtcTransportServer.start(
            WebRtcTransportSettings.defaults().withPort(0).withLoopbackCandidates(true));
    hubs = new StreamHubs(DeliverySettings.defaults(KAFKA.bootstrapServers()), scheduler);
    whep =
        new WhepService(
            WhepSettings.defaults(),
            transport,
            hubs::rtc,
            new ViewerSessions(new ViewerLimits(10, 10)),
            scheduler);
  }

  @AfterAll
  static void stop() {
    if (whep != null) {
      whep.close();
    }
    if (hubs != null) {
      hubs.close();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }

  @Test
  void anH264OnlyOfferIsRefusedWith406SoThePlayerFallsBackToMse() throws Exception {
    try (TestPeer peer = new TestPeer(transport.port())) {
      WhepService.Outcome outcome =
          whep.offer(KEY, "tester", "127.0.0.1", offer(peer, false)).get(30, TimeUnit.SECONDS);
      WhepService.Outcome.Refused refused =
          assertInstanceOf(WhepService.Outcome.Refused.class, outcome);
      assertEquals(406, refused.status());
      assertEquals(
          "the stream is H.265 and this browser offers no H.265 for WebRTC; play it over MSE or HLS",
          refused.reason());
    }
  }

  @Test
  void anH265OfferGetsH265OverSrtpThatAnRfc7798ReceiverAndFfmpegDecode() throws Exception {
    try (TestPeer peer = new TestPeer(transport.port())) {
      WhepService.Outcome outcome =
          whep.offer(KEY, "tester", "127.0.0.1", offer(peer, true)).get(30, TimeUnit.SECONDS);
      String answer =
          assertInstanceOf(WhepService.Outcome.Created.class, outcome, outcome.toString()).answer();
      int level =
          H265Sps.parse(
                  AnnexB.split(units.getFirst().codecConfig()).stream()
                      .filter(n -> H265NalType.type(n) == H265NalType.SPS)
                      .findFirst()
                      .orElseThrow())
              .levelIdc();
      assertTrue(
          answer.contains("m=video " + transport.port() + " UDP/TLS/RTP/SAVPF 49\r\n"), answer);
      assertTrue(answer.contains("a=rtpmap:49 H265/90000\r\n"), answer);
      assertTrue(
          answer.contains(
              "a=fmtp:49 level-id=" + level + ";profile-id=1;tier-flag=0;tx-mode=SRST\r\n"),
          answer);

      SessionDescription parsed = SessionDescription.parse(answer);
      MediaDescription video = parsed.media().getFirst();
      Ice ice = parsed.iceOf(video);
      Fingerprint fingerprint = parsed.fingerprintsOf(video).getFirst();
      // the GOP burst arrives while the peer still finishes its handshake: room for it, as a
      // browser has
      peer.receiveBufferSize(2 << 20);
      assertNotNull(peer.check(ice.ufrag(), ice.pwd(), true, 2000), "ICE check answered");
      SrtpKeyMaterial keys =
          peer.handshake(
              CertificateFingerprint.parse(fingerprint.hashFunction() + " " + fingerprint.value()),
              SrtpProfile.AES128_CM_HMAC_SHA1_80);
      List<RtpPacket> packets = receiveAccessUnits(peer, SrtpProtection.forClient(keys), GOP);

      // the GOP from the latest IRAP (instant start), in sequence, each access unit ending with the
      // marker
      List<List<byte[]>> accessUnits = new ArrayList<>();
      List<byte[]> current = new ArrayList<>();
      for (RtpPacket packet : packets) {
        assertEquals(49, packet.header().payloadType());
        current.add(packet.payload());
        if (packet.header().marker()) {
          accessUnits.add(Rfc7798Receiver.depacketize(current));
          current = new ArrayList<>();
        }
      }
      assertEquals(GOP, accessUnits.size());
      List<Integer> firstTypes = accessUnits.getFirst().stream().map(H265NalType::type).toList();
      assertEquals(
          List.of(H265NalType.VPS, H265NalType.SPS, H265NalType.PPS),
          firstTypes.subList(0, 3),
          "the parameter sets before the IRAP");
      assertTrue(
          firstTypes.stream().anyMatch(H265NalType::isIrap), "starts at an IRAP: " + firstTypes);
      ByteArrayOutputStream elementary = new ByteArrayOutputStream();
      accessUnits.forEach(au -> elementary.writeBytes(AnnexB.join(au)));
      assertEquals(
          GOP,
          FfmpegH265.decodedPictures(elementary.toByteArray()),
          "every picture received decodes");
    }
  }

  /**
   * SRTP packets until {@code count} access units are complete (RTCP skipped), sorted by sequence
   * number.
   */
  private static List<RtpPacket> receiveAccessUnits(TestPeer peer, SrtpProtection srtp, int count)
      throws Exception {
    List<RtpPacket> packets = new ArrayList<>();
    int markers = 0;
    long deadline = System.currentTimeMillis() + 15_000;
    while (markers < count) {
      assertTrue(
          System.currentTimeMillis() < deadline,
          "only "
              + markers
              + " access units arrived: "
              + packets.stream()
                  .map(x -> x.header().sequenceNumber() + (x.header().marker() ? "M" : ""))
                  .toList());
      byte[] d = peer.receive(1000);
      if (d == null || DatagramKind.of(d[0]) != DatagramKind.RTP_OR_RTCP || d.length < 12) {
        continue;
      }
      int pt = d[1] & 0x7F;
      if (pt >= 64 && pt <= 95) {
        continue; // RTCP (RFC 5761 4): sender reports
      }
      PacketBuffer buffer = PacketBuffer.copyOf(d, 0, d.length);
      assertTrue(srtp.unprotectRtp(buffer), "SRTP authenticates with the DTLS-exported keys");
      RtpPacket packet = RtpPacket.parse(buffer.toArray());
      packets.add(packet);
      if (packet.header().marker()) {
        markers++;
      }
    }
    packets.sort(Comparator.comparingInt(p -> p.header().sequenceNumber()));
    return packets;
  }

  /** A recvonly video offer shaped like Chrome's, with (or without) its hardware H.265 entries. */
  private static String offer(TestPeer peer, boolean h265) {
    List<String> lines =
        new ArrayList<>(
            List.of(
                "v=0",
                "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
                "s=-",
                "t=0 0",
                "a=group:BUNDLE 0",
                "a=extmap-allow-mixed",
                "a=msid-semantic: WMS",
                "m=video 9 UDP/TLS/RTP/SAVPF 102 103" + (h265 ? " 49 50" : ""),
                "c=IN IP4 0.0.0.0",
                "a=rtcp:9 IN IP4 0.0.0.0",
                "a=ice-ufrag:" + TestPeer.UFRAG,
                "a=ice-pwd:" + TestPeer.PWD,
                "a=ice-options:trickle",
                "a=fingerprint:" + peer.fingerprint().toSdp(),
                "a=setup:actpass",
                "a=mid:0",
                "a=recvonly",
                "a=rtcp-mux",
                "a=rtcp-rsize",
                "a=rtpmap:102 H264/90000",
                "a=rtcp-fb:102 goog-remb",
                "a=rtcp-fb:102 transport-cc",
                "a=rtcp-fb:102 ccm fir",
                "a=rtcp-fb:102 nack",
                "a=rtcp-fb:102 nack pli",
                "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
                "a=rtpmap:103 rtx/90000",
                "a=fmtp:103 apt=102"));
    if (h265) {
      lines.addAll(
          List.of(
              "a=rtpmap:49 H265/90000",
              "a=rtcp-fb:49 goog-remb",
              "a=rtcp-fb:49 transport-cc",
              "a=rtcp-fb:49 ccm fir",
              "a=rtcp-fb:49 nack",
              "a=rtcp-fb:49 nack pli",
              "a=fmtp:49 level-id=180;profile-id=1;tier-flag=0;tx-mode=SRST",
              "a=rtpmap:50 rtx/90000",
              "a=fmtp:50 apt=49"));
    }
    return String.join("\r\n", lines) + "\r\n";
  }
}
