package io.camflow.ingest.source.tls;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Copies what an RTSP server sends — interleaved binary frames ({@code $}, channel, 16-bit length)
 * and RTSP messages (header lines, then {@code Content-Length} bytes) — and stops at a redirect (a
 * 3xx response). FFmpeg follows a redirect by opening the new URL itself: around the TLS relay,
 * possibly unencrypted, and with the credentials of the original URL. camflow follows none.
 */
final class RtspRedirectGuard {

  /** Longest header block of one message; camera answers are far smaller. */
  static final int MAX_HEADER_BYTES = 64 * 1024;

  private final InputStream in;
  private final OutputStream out;
  private final byte[] buf = new byte[16 * 1024];

  RtspRedirectGuard(InputStream in, OutputStream out) {
    this.in = new BufferedInputStream(in, 16 * 1024);
    // frames are written in pieces (header, payload): coalesced, flushed when nothing more is
    // waiting
    this.out = new java.io.BufferedOutputStream(out, 16 * 1024);
  }

  /** Copies until the server closes; throws at a redirect or at something that is not RTSP. */
  void run() throws IOException {
    int first;
    while ((first = in.read()) >= 0) {
      if (first == '$') {
        int channel = readByte();
        int length = (readByte() << 8) | readByte();
        out.write(new byte[] {'$', (byte) channel, (byte) (length >> 8), (byte) length});
        copyExactly(length);
      } else {
        byte[] header = readHeader(first);
        checkStatus(header);
        out.write(header);
        copyExactly(contentLength(header));
      }
      if (in.available() == 0) {
        out.flush();
      }
    }
    out.flush();
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("the camera closed the connection in the middle of a message");
    }
    return b;
  }

  private void copyExactly(long length) throws IOException {
    long left = length;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new EOFException("the camera closed the connection in the middle of a message");
      }
      out.write(buf, 0, n);
      left -= n;
    }
  }

  /** The header block up to and including its empty line. */
  private byte[] readHeader(int first) throws IOException {
    ByteArrayOutputStream header = new ByteArrayOutputStream(512);
    header.write(first);
    int newlines = first == '\n' ? 1 : 0;
    while (newlines < 2) {
      int b = readByte();
      header.write(b);
      if (b == '\n') {
        newlines++;
      } else if (b != '\r') {
        newlines = 0;
      }
      if (header.size() > MAX_HEADER_BYTES) {
        throw new RedirectRefusedException(
            "the camera sent a header block over "
                + MAX_HEADER_BYTES
                + " bytes, or something that is not RTSP");
      }
    }
    return header.toByteArray();
  }

  private static void checkStatus(byte[] header) throws RedirectRefusedException {
    String text = new String(header, StandardCharsets.ISO_8859_1);
    // a leading empty line may separate messages
    String line = text.strip().lines().findFirst().orElse("");
    if (line.startsWith("RTSP/") && line.length() >= 12) {
      char c = line.charAt(line.indexOf(' ') + 1);
      if (c == '3') {
        throw new RedirectRefusedException(
            "the camera redirects ("
                + line.substring(line.indexOf(' ') + 1).strip()
                + "); camflow does not follow redirects of rtsps cameras: configure the URL it redirects to");
      }
    }
  }

  static long contentLength(byte[] header) {
    for (String line : new String(header, StandardCharsets.ISO_8859_1).split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0
          && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("content-length")) {
        try {
          long n = Long.parseLong(line.substring(colon + 1).strip());
          if (n >= 0) {
            return n;
          }
        } catch (NumberFormatException ignored) {
          // treated as no body
        }
      }
    }
    return 0;
  }

  /** The relay stopped on purpose: a redirect, or a stream that is not RTSP. */
  static final class RedirectRefusedException extends IOException {
    RedirectRefusedException(String message) {
      super(message);
    }
  }
}
