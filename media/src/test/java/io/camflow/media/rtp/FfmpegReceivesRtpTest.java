package io.camflow.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.AccessUnit;
import io.camflow.media.Codec;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.h264.H264NalType;
import io.camflow.media.h265.H265NalType;
import io.camflow.media.testing.Bitstreams;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's FFmpeg as an independent RTP receiver: it reads camflow's packets from UDP on localhost
 * with a plain SDP file and writes the H.264/H.265 elementary stream it rebuilt. That stream must
 * hold exactly the NAL units that went in, minus the access unit delimiters the packetizers drop,
 * and FFmpeg must not complain. (FFmpeg would put sprop-parameter-sets from the SDP in front of the
 * stream; this SDP has none, so every parameter set in the output came through camflow's STAP-A /
 * AP packets.)
 */
class FfmpegReceivesRtpTest {

  private static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");
  private static final HexFormat HEX = HexFormat.of();

  @TempDir Path dir;

  @Test
  void ffmpegRebuildsH264AccessUnitsFromCamflowsPackets() throws Exception {
    // 25 pictures, IDR every 10, B-frames, access unit delimiters, SEI, NAL units far above 1200
    // bytes
    List<List<byte[]>> input =
        Bitstreams.accessUnits(Bitstreams.resource("h264_720p25_aud.h264"), Codec.H264);
    H264Packetizer packetizer = new H264Packetizer();
    List<RtpFrame> frames = new ArrayList<>();
    for (int i = 0; i < input.size(); i++) {
      boolean idr =
          input.get(i).stream().anyMatch(n -> H264NalType.type(n) == H264NalType.IDR_SLICE);
      frames.add(packetizer.packetize(accessUnit(Codec.H264, i, idr, input.get(i))));
    }
    assertTrue(
        count(frames, p -> (p[0] & 0x1F) == H264Packetizer.FU_A) > 10, "the stream exercises FU-A");
    assertEquals(
        3, count(frames, p -> (p[0] & 0x1F) == H264Packetizer.STAP_A), "one STAP-A per IDR");
    List<String> expected =
        input.stream()
            .flatMap(au -> H264PacketizerTest.withoutDroppedTypes(au).stream())
            .map(HEX::formatHex)
            .toList();
    assertEquals(
        expected,
        receiveWithFfmpeg(
            "h264", List.of("a=rtpmap:96 H264/90000", "a=fmtp:96 packetization-mode=1"), frames));
  }

  @Test
  void ffmpegRebuildsH265AccessUnitsFromCamflowsPackets() throws Exception {
    List<List<byte[]>> input =
        Bitstreams.accessUnits(Bitstreams.resource("h265_720p25.h265"), Codec.H265);
    H265Packetizer packetizer = new H265Packetizer();
    List<RtpFrame> frames = new ArrayList<>();
    for (int i = 0; i < input.size(); i++) {
      boolean irap = input.get(i).stream().anyMatch(n -> H265NalType.isIrap(H265NalType.type(n)));
      frames.add(packetizer.packetize(accessUnit(Codec.H265, i, irap, input.get(i))));
    }
    assertTrue(
        count(frames, p -> ((p[0] >> 1) & 0x3F) == H265Packetizer.FU) > 5,
        "the stream exercises FU");
    assertTrue(
        count(frames, p -> ((p[0] >> 1) & 0x3F) == H265Packetizer.AP) > 0,
        "the stream exercises AP");
    List<String> expected =
        input.stream()
            .flatMap(au -> H265PacketizerTest.withoutDroppedTypes(au).stream())
            .map(HEX::formatHex)
            .toList();
    assertEquals(expected, receiveWithFfmpeg("hevc", List.of("a=rtpmap:96 H265/90000"), frames));
  }

  private static AccessUnit accessUnit(
      Codec codec, int index, boolean keyframe, List<byte[]> nalUnits) {
    return new AccessUnit(
        0, codec, index * 40L, index * 40L, 1000, keyframe, AnnexB.join(nalUnits), null);
  }

  private static long count(List<RtpFrame> frames, java.util.function.Predicate<byte[]> which) {
    return frames.stream()
        .flatMap(f -> f.payloads().stream())
        .map(RtpPayload::data)
        .filter(which)
        .count();
  }

  /**
   * Sends the frames to FFmpeg over UDP; the NAL units (hex) of the elementary stream it writes.
   */
  private List<String> receiveWithFfmpeg(
      String format, List<String> mediaAttributes, List<RtpFrame> frames) throws Exception {
    assertTrue(Files.isExecutable(FFMPEG), "install Debian's ffmpeg package (./camflow test does)");
    int port;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path sdp = dir.resolve("camflow.sdp");
    List<String> lines =
        new ArrayList<>(
            List.of(
                "v=0",
                "o=- 0 0 IN IP4 127.0.0.1",
                "s=camflow",
                "c=IN IP4 127.0.0.1",
                "t=0 0",
                "m=video " + port + " RTP/AVP 96"));
    lines.addAll(mediaAttributes);
    Files.writeString(sdp, String.join("\n", lines) + "\n");
    Path out = dir.resolve("out-" + port + ".es");
    Path log = dir.resolve("ffmpeg.log");
    Process ffmpeg =
        new ProcessBuilder(
                FFMPEG.toString(),
                "-nostdin",
                "-hide_banner",
                "-loglevel",
                "warning",
                "-protocol_whitelist",
                "file,udp,rtp",
                "-listen_timeout",
                "1",
                "-i",
                sdp.toString(),
                "-c",
                "copy",
                "-f",
                format,
                out.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      awaitUdpListener(port, ffmpeg);
      RtpStamper stamper = new RtpStamper(96, 0x1234_5678L, 40_000, 0x7000_0000L);
      try (DatagramSocket socket = new DatagramSocket()) {
        InetAddress localhost = InetAddress.getLoopbackAddress();
        int sent = 0;
        for (RtpFrame frame : frames) {
          for (RtpPayload payload : frame.payloads()) {
            byte[] packet = stamper.stamp(payload, frame.timestamp());
            socket.send(new DatagramPacket(packet, packet.length, localhost, port));
            if (++sent % 16 == 0) {
              Thread.sleep(1); // stay well inside the receiver's socket buffer
            }
          }
        }
      }
      assertTrue(
          ffmpeg.waitFor(20, TimeUnit.SECONDS), "ffmpeg did not stop after the stream went quiet");
    } finally {
      ffmpeg.destroyForcibly();
    }
    String ffmpegLog = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, ffmpeg.exitValue(), ffmpegLog);
    // -listen_timeout ends the input with "Connection timed out"; anything else is a complaint
    // (lost packets, bad fragmentation, undecodable NAL units)
    List<String> complaints =
        ffmpegLog.lines().filter(l -> !l.endsWith("Connection timed out")).toList();
    assertEquals(List.of(), complaints, "ffmpeg's warnings");

    return AnnexB.split(Files.readAllBytes(out)).stream().map(HEX::formatHex).toList();
  }

  /** FFmpeg opens its socket only after reading the SDP; packets sent earlier would be lost. */
  private static void awaitUdpListener(int port, Process ffmpeg)
      throws IOException, InterruptedException {
    String localPort = String.format(Locale.ROOT, ":%04X ", port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
        Path path = Path.of(table);
        if (Files.exists(path)
            && Files.readAllLines(path).stream().anyMatch(l -> l.contains(localPort))) {
          return;
        }
      }
      assertTrue(ffmpeg.isAlive(), "ffmpeg exited before listening");
      Thread.sleep(20);
    }
    throw new AssertionError("ffmpeg did not open UDP port " + port + " within 10 s");
  }
}
