package io.camflow.delivery.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The readers of the RTSP fan-out benchmark, in a process of their own: {@code readers} RTSP
 * clients of one URL over TCP (interleaved), each on a virtual thread with a blocking socket, that
 * count the video frames (RTP marker bits) and the packets lost (sequence gaps) of the measured
 * window. Prints one {@code RESULT} line.
 *
 * <p>Arguments: url, readers, warm-up seconds, measured seconds.
 */
public final class RtspLoadClient {

  private RtspLoadClient() {}

  static final class Reader {
    final AtomicLong frames = new AtomicLong();
    final AtomicLong lost = new AtomicLong();
    volatile boolean playing;
    volatile String failure;
  }

  public static void main(String[] args) throws Exception {
    URI url = URI.create(args[0]);
    int readers = Integer.parseInt(args[1]);
    int warm = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    List<Reader> all = new ArrayList<>();
    for (int i = 0; i < readers; i++) {
      Reader r = new Reader();
      all.add(r);
      Thread.ofVirtual().start(() -> read(url, r));
    }
    Thread.sleep(warm * 1000L);
    long[] frames0 = new long[readers];
    long[] lost0 = new long[readers];
    for (int i = 0; i < readers; i++) {
      frames0[i] = all.get(i).frames.get();
      lost0[i] = all.get(i).lost.get();
    }
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    double window = (System.nanoTime() - t0) / 1e9;
    List<Double> fps = new ArrayList<>();
    long lost = 0;
    int playing = 0;
    String failure = null;
    for (int i = 0; i < readers; i++) {
      Reader r = all.get(i);
      fps.add((r.frames.get() - frames0[i]) / window);
      lost += r.lost.get() - lost0[i];
      playing += r.playing ? 1 : 0;
      failure = failure == null ? r.failure : failure;
    }
    Collections.sort(fps);
    System.out.printf(
        Locale.ROOT,
        "RESULT readers=%d playing=%d minFps=%.2f p5Fps=%.2f p50Fps=%.2f lostPackets=%d failure=%s%n",
        readers,
        playing,
        fps.get(0),
        fps.get((int) (fps.size() * 0.05)),
        fps.get(fps.size() / 2),
        lost,
        failure);
    System.exit(0);
  }

  private static void read(URI url, Reader r) {
    try (Socket s = new Socket(url.getHost(), url.getPort())) {
      DataInputStream in =
          new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
      OutputStream out = s.getOutputStream();
      String[] d = request(in, out, "DESCRIBE " + url + " RTSP/1.0\r\nCSeq: 1\r\n\r\n");
      String base = header(d[0], "content-base");
      base = base == null ? url + "/" : base;
      String control = videoControl(d[1]);
      String track =
          control.startsWith("rtsp://")
              ? control
              : base + (base.endsWith("/") ? "" : "/") + control;
      String[] setup =
          request(
              in,
              out,
              "SETUP "
                  + track
                  + " RTSP/1.0\r\nCSeq: 2\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n");
      String session = header(setup[0], "session").split(";")[0];
      request(in, out, "PLAY " + base + " RTSP/1.0\r\nCSeq: 3\r\nSession: " + session + "\r\n\r\n");
      r.playing = true;
      int expected = -1;
      while (true) {
        int first = in.read();
        if (first < 0) {
          r.playing = false;
          return;
        }
        if (first != '$') {
          head(in, first); // a response (keep-alive): skipped
          continue;
        }
        int channel = in.readUnsignedByte();
        int length = in.readUnsignedShort();
        if (channel != 0 || length < 12) {
          in.skipNBytes(length);
          continue;
        }
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        int seq = in.readUnsignedShort();
        in.skipNBytes(length - 4);
        if (expected >= 0 && seq != expected) {
          r.lost.addAndGet((seq - expected) & 0xFFFF);
        }
        expected = (seq + 1) & 0xFFFF;
        if ((b1 & 0x80) != 0 && (b0 >>> 6) == 2) {
          r.frames.incrementAndGet();
        }
      }
    } catch (IOException | RuntimeException e) {
      r.playing = false;
      r.failure = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  /** Sends a request and reads its response: head and body. */
  private static String[] request(DataInputStream in, OutputStream out, String request)
      throws IOException {
    out.write(request.getBytes(StandardCharsets.UTF_8));
    out.flush();
    while (true) {
      int first = in.read();
      if (first == '$') {
        in.readUnsignedByte();
        in.skipNBytes(in.readUnsignedShort());
        continue;
      }
      String head = head(in, first);
      if (!head.startsWith("RTSP/1.0 200")) {
        throw new IOException("answered " + head.lines().findFirst().orElse(""));
      }
      String length = header(head, "content-length");
      byte[] body = in.readNBytes(length == null ? 0 : Integer.parseInt(length.trim()));
      return new String[] {head, new String(body, StandardCharsets.UTF_8)};
    }
  }

  private static String head(DataInputStream in, int first) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(first);
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("closed mid-response");
      }
      b.write(c);
      byte[] a = b.toByteArray();
      int n = a.length;
      if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
        return b.toString(StandardCharsets.UTF_8);
      }
    }
  }

  private static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  private static String videoControl(String sdp) {
    boolean video = false;
    for (String line : sdp.split("\r?\n")) {
      if (line.startsWith("m=")) {
        video = line.startsWith("m=video");
      } else if (video && line.startsWith("a=control:")) {
        return line.substring("a=control:".length()).trim();
      }
    }
    throw new IllegalStateException("no video control in the description");
  }
}
