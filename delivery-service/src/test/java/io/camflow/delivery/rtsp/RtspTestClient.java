package io.camflow.delivery.rtsp;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A raw RTSP client for tests: sends requests as written (malformed ones too) and reads responses
 * and interleaved packets off one TCP connection. The readers under test are FFmpeg and GStreamer;
 * this one is for what they never send.
 */
public final class RtspTestClient implements AutoCloseable {

  /** A response: status, headers by lower-case name, body. */
  public record Response(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** An interleaved packet. */
  public record Packet(int channel, byte[] data) {}

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final String base;
  private int cseq = 1;

  public RtspTestClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(20_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    base = "rtsp://127.0.0.1:" + port;
  }

  public String url(String path) {
    return base + path;
  }

  /** Sends a request with the next CSeq and these headers, and reads its response. */
  public Response request(String method, String uri, String... headers) throws IOException {
    StringBuilder s =
        new StringBuilder(method + " " + uri + " RTSP/1.0\r\nCSeq: " + cseq++ + "\r\n");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      s.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    s.append("\r\n");
    return raw(s.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Sends bytes as they are and reads one response (packets before it are skipped). */
  public Response raw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return response();
  }

  public void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The next response, skipping interleaved packets. */
  public Response response() throws IOException {
    while (true) {
      int first = in.read();
      if (first < 0) {
        throw new IOException("the server closed the connection");
      }
      if (first == '$') {
        in.readUnsignedByte();
        in.skipNBytes(in.readUnsignedShort());
        continue;
      }
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      head.write(first);
      while (!endsWithBlankLine(head)) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("the server closed the connection mid-response");
        }
        head.write(b);
      }
      String[] lines = head.toString(StandardCharsets.UTF_8).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.put(
              lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
              lines[i].substring(colon + 1).trim());
        }
      }
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      byte[] body = in.readNBytes(length);
      return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }
  }

  /** The next interleaved packet (a response in between fails the test). */
  public Packet packet() throws IOException {
    int first = in.read();
    if (first != '$') {
      throw new IOException("expected an interleaved packet, got byte " + first);
    }
    int channel = in.readUnsignedByte();
    byte[] data = in.readNBytes(in.readUnsignedShort());
    return new Packet(channel, data);
  }

  /** Whether the server closed the connection (reads until then, at most the socket timeout). */
  public boolean closedByServer() {
    try {
      while (in.read() >= 0) {
        // drain
      }
      return true;
    } catch (IOException e) {
      return e instanceof java.net.SocketException;
    }
  }

  private static boolean endsWithBlankLine(ByteArrayOutputStream b) {
    byte[] a = b.toByteArray();
    int n = a.length;
    return n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n';
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
