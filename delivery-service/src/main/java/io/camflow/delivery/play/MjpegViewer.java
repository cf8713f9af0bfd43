package io.camflow.delivery.play;

import io.camflow.delivery.door.BodyStream;
import io.camflow.delivery.picture.PictureStream;
import io.camflow.delivery.sessions.ViewerSession;
import io.camflow.picture.Picture;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One MJPEG viewer: pictures as the parts of a {@code multipart/x-mixed-replace} response, for
 * {@code <img>} tags, Home Assistant and NVRs. The newest picture wins: while one is still on its
 * way to a slow client, the ones after it replace each other and only the latest is sent next —
 * nothing queues. Each part carries the picture's capture time ({@code Camflow-Capture-Time}).
 */
final class MjpegViewer implements PictureStream.Viewer {

  static final String BOUNDARY = "camflowframe";
  static final String CONTENT_TYPE = "multipart/x-mixed-replace; boundary=" + BOUNDARY;

  private final BodyStream body;
  private final ViewerSession session;
  private final AtomicReference<Picture> pending = new AtomicReference<>();
  private PictureStream.Subscription subscription;
  private boolean writing;
  private boolean closed;
  private long sentCapture = Long.MIN_VALUE;

  MjpegViewer(BodyStream body, ViewerSession session) {
    this.body = body;
    this.session = session;
    body.onClose(this::close);
  }

  /** From now on the viewer gets the pictures of its subscription (closed when it leaves). */
  synchronized void watching(PictureStream.Subscription subscription) {
    if (closed) {
      subscription.close();
    } else {
      this.subscription = subscription;
    }
  }

  @Override
  public void picture(Picture picture) {
    pending.set(picture);
    pump();
  }

  private void pump() {
    Picture p;
    synchronized (this) {
      if (writing || closed) {
        return;
      }
      p = pending.getAndSet(null);
      if (p == null || p.captureMillis() < sentCapture) {
        return; // the snapshot it started with is newer than the stream's first picture
      }
      writing = true;
      sentCapture = p.captureMillis();
    }
    byte[] head = head(p);
    session.sent(head.length + p.bytes().length + CRLF.length);
    body.write(head, p.bytes(), CRLF)
        .whenComplete(
            (v, error) -> {
              synchronized (this) {
                writing = false;
              }
              if (error != null) {
                close();
              } else {
                pump();
              }
            });
  }

  private static final byte[] CRLF = {'\r', '\n'};

  /** The headers of a part: the picture itself follows as it is, shared with the other viewers. */
  static byte[] head(Picture p) {
    return ("--"
            + BOUNDARY
            + "\r\nContent-Type: "
            + p.format().contentType()
            + "\r\nContent-Length: "
            + p.bytes().length
            + "\r\nCamflow-Capture-Time: "
            + Instant.ofEpochMilli(p.captureMillis())
            + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Ends the viewer: its place, its subscription and its connection. Idempotent. */
  void close() {
    PictureStream.Subscription s;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      s = subscription;
    }
    if (s != null) {
      s.close();
    }
    session.end();
    body.abort();
  }
}
