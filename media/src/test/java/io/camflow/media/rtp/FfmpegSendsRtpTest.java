package io.camflow.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camflow.media.Codec;
import io.camflow.media.annexb.AnnexB;
import io.camflow.media.testing.Bitstreams;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's FFmpeg as an independent RTP sender, the way a publisher pushes a stream into camflow:
 * it sends a file's track to a UDP socket on localhost, and the depacketizer must give back the
 * access units FFmpeg writes from the same file into an elementary stream, with the timestamps
 * ffprobe reads from it. FFmpeg packs its own way: STAP-A / AP around delimiters and parameter
 * sets, FU-A / FU for the slices, several AAC frames per packet, and AAC fragments at a small
 * packet size.
 */
class FfmpegSendsRtpTest {

  private static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");
  private static final Path FFPROBE = Path.of("/usr/bin/ffprobe");
  private static final HexFormat HEX = HexFormat.of();

  @TempDir Path dir;

  @Test
  void h264WithBFramesComesBackAsFfmpegWritesIt() throws Exception {
    Path ts = dir.resolve("video.ts");
    ffmpeg(lavfiVideo(), "-c:v", "libx264", "-g", "10", "-bf", "2", "-b:v", "400k", ts);
    videoComesBack(ts, "h264", Codec.H264, new H264Depacketizer());
  }

  @Test
  void h265WithBFramesComesBackAsFfmpegWritesIt() throws Exception {
    Path ts = dir.resolve("video.ts");
    ffmpeg(
        lavfiVideo(),
        "-c:v",
        "libx265",
        "-x265-params",
        "log-level=error",
        "-g",
        "10",
        "-bf",
        "2",
        "-b:v",
        "400k",
        ts);
    videoComesBack(ts, "hevc", Codec.H265, new H265Depacketizer());
  }

  @Test
  void aacAggregatedAndFragmentedComesBackAsFfmpegWritesIt() throws Exception {
    Path m4a = dir.resolve("audio.m4a");
    ffmpeg(
        List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "1"),
        "-c:a",
        "aac",
        "-b:a",
        "128k",
        m4a);
    Path adts = dir.resolve("audio.aac");
    ffmpeg(List.of("-i", m4a.toString()), "-c", "copy", "-f", "adts", adts);
    List<String> expected = adtsFrames(Files.readAllBytes(adts));

    for (int packetSize : new int[] {1200, 200}) {
      List<RtpPacket> packets = send(m4a, packetSize);
      if (packetSize == 1200) {
        assertTrue(
            packets.stream().anyMatch(p -> p.payload()[1] > 16), "several frames in a packet");
      } else {
        assertTrue(packets.stream().anyMatch(p -> !p.header().marker()), "fragments");
      }
      List<ReceivedFrame> frames = RtpPackets.depacketize(AacDepacketizer.aacHbr(48_000), packets);
      List<String> received = frames.stream().map(f -> HEX.formatHex(f.data())).toList();
      // FFmpeg's AAC packetizer never sends the frames it still holds when the input ends
      assertTrue(
          received.size() <= expected.size() && received.size() >= expected.size() - 5,
          received.size() + " of " + expected.size() + " frames at packet size " + packetSize);
      for (int i = 0; i < received.size(); i++) {
        assertEquals(
            expected.get(i), received.get(i), "frame " + i + ", packet size " + packetSize);
      }
      for (int i = 0; i < frames.size(); i++) {
        assertEquals(i * 1024L, frames.get(i).timestamp() - frames.get(0).timestamp());
        assertFalse(frames.get(i).damaged());
      }
    }
  }

  @Test
  void g711ComesBackSampleForSample() throws Exception {
    Path alaw = dir.resolve("audio.alaw");
    ffmpeg(
        List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000", "-t", "1"),
        "-c:a",
        "pcm_alaw",
        "-f",
        "alaw",
        alaw);
    List<RtpPacket> packets =
        send(List.of("-f", "alaw", "-ar", "8000", "-ac", "1", "-i", alaw.toString()), 1200);
    List<ReceivedFrame> frames = RtpPackets.depacketize(AudioDepacketizer.g711(), packets);
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    long expectedTimestamp = frames.get(0).timestamp();
    for (ReceivedFrame frame : frames) {
      assertEquals(expectedTimestamp, frame.timestamp(), "one tick per sample");
      expectedTimestamp += frame.data().length;
      joined.writeBytes(frame.data());
    }
    assertEquals(HEX.formatHex(Files.readAllBytes(alaw)), HEX.formatHex(joined.toByteArray()));
  }

  private void videoComesBack(Path ts, String format, Codec codec, Depacketizer depacketizer)
      throws Exception {
    Path elementary = dir.resolve("video." + format);
    ffmpeg(List.of("-i", ts.toString()), "-c", "copy", "-f", format, elementary);
    List<List<String>> expected =
        Bitstreams.accessUnits(Files.readAllBytes(elementary), codec).stream()
            .map(au -> au.stream().map(HEX::formatHex).toList())
            .toList();
    List<Long> pts = pts(ts);

    List<ReceivedFrame> frames = RtpPackets.depacketize(depacketizer, send(ts, 1200));
    assertEquals(expected.size(), frames.size());
    assertEquals(pts.size(), frames.size());
    for (int i = 0; i < frames.size(); i++) {
      ReceivedFrame frame = frames.get(i);
      assertEquals(
          expected.get(i),
          AnnexB.split(frame.data()).stream().map(HEX::formatHex).toList(),
          "access unit " + i);
      assertEquals(
          pts.get(i) - pts.get(0), frame.timestamp() - frames.get(0).timestamp(), "pts " + i);
      assertFalse(frame.damaged());
    }
  }

  private List<RtpPacket> send(Path input, int packetSize) throws Exception {
    return send(List.of("-i", input.toString()), packetSize);
  }

  /** The RTP packets FFmpeg sends of the input's first track, in arrival order. */
  private List<RtpPacket> send(List<String> input, int packetSize) throws Exception {
    try (DatagramSocket rtp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket rtcp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      rtp.setReceiveBufferSize(4 << 20);
      rtp.setSoTimeout(200);
      String url =
          "rtp://127.0.0.1:"
              + rtp.getLocalPort()
              + "?rtcpport="
              + rtcp.getLocalPort()
              + "&pkt_size="
              + packetSize;
      Path log = dir.resolve("ffmpeg-rtp.log");
      Process ffmpeg =
          start(
              Stream.of(input, List.of("-map", "0:0", "-c", "copy", "-f", "rtp", url))
                  .flatMap(List::stream)
                  .toList(),
              log);
      List<RtpPacket> packets = new ArrayList<>();
      byte[] buffer = new byte[65_536];
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      try {
        while (System.nanoTime() < deadline) {
          DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
          try {
            rtp.receive(datagram);
          } catch (SocketTimeoutException quiet) {
            if (!ffmpeg.isAlive()) {
              break;
            }
            continue;
          }
          packets.add(RtpPacket.parse(Arrays.copyOf(datagram.getData(), datagram.getLength())));
        }
      } finally {
        ffmpeg.destroyForcibly();
      }
      assertEquals(0, ffmpeg.waitFor(), Files.readString(log, StandardCharsets.UTF_8));
      assertFalse(packets.isEmpty(), "FFmpeg sent nothing");
      return packets;
    }
  }

  /** Every packet's pts, in the stream's order, as ffprobe reads them (90 kHz in MPEG-TS). */
  private static List<Long> pts(Path ts) throws Exception {
    Process ffprobe =
        new ProcessBuilder(
                FFPROBE.toString(),
                "-v",
                "error",
                "-show_entries",
                "packet=pts",
                "-of",
                "csv=p=0",
                ts.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(ffprobe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, ffprobe.waitFor(), out);
    return out.lines()
        .map(l -> l.replace(",", "").strip())
        .filter(l -> !l.isEmpty())
        .map(Long::parseLong)
        .toList();
  }

  /** The raw AAC frames of an ADTS stream (hex), headers stripped. */
  private static List<String> adtsFrames(byte[] adts) {
    List<String> frames = new ArrayList<>();
    int pos = 0;
    while (pos + 7 <= adts.length) {
      assertEquals(0xFFF, ((adts[pos] & 0xFF) << 4) | ((adts[pos + 1] & 0xF0) >>> 4), "syncword");
      int headerSize = (adts[pos + 1] & 1) == 1 ? 7 : 9;
      int frameLength =
          ((adts[pos + 3] & 0x03) << 11)
              | ((adts[pos + 4] & 0xFF) << 3)
              | ((adts[pos + 5] & 0xE0) >>> 5);
      frames.add(HEX.formatHex(adts, pos + headerSize, pos + frameLength));
      pos += frameLength;
    }
    assertEquals(adts.length, pos);
    return frames;
  }

  private static List<String> lavfiVideo() {
    return List.of("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-t", "1");
  }

  /** Runs FFmpeg on {@code input}, with {@code options} for the {@code output} file. */
  private void ffmpeg(List<String> input, Object... optionsAndOutput) throws Exception {
    List<String> args = new ArrayList<>(input);
    for (Object o : optionsAndOutput) {
      args.add(o.toString());
    }
    Path log = dir.resolve("ffmpeg.log");
    Process ffmpeg = start(args, log);
    assertTrue(ffmpeg.waitFor(120, TimeUnit.SECONDS), "ffmpeg did not finish");
    assertEquals(0, ffmpeg.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** FFmpeg with {@code args}, its output (the SDP, any errors) going to {@code log}. */
  private static Process start(List<String> args, Path log) throws IOException {
    assertTrue(Files.isExecutable(FFMPEG), "install Debian's ffmpeg package (./camflow test does)");
    List<String> command =
        new ArrayList<>(List.of(FFMPEG.toString(), "-nostdin", "-hide_banner", "-y"));
    command.addAll(List.of("-loglevel", "error"));
    command.addAll(args);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }
}
