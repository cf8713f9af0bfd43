package io.camflow.delivery.hub;

import io.camflow.delivery.gop.UnitFeed;
import io.camflow.delivery.picture.LatestPictures;
import io.camflow.delivery.picture.PictureStream;
import io.camflow.delivery.whep.RtcStream;

/**
 * The readers of a hub's access unit feed: the WebRTC stream (it packetizes each unit once for all
 * its viewers), the latest pictures (snapshots of the latest keyframe) and the moving pictures
 * (MJPEG, frames). In use while WebRTC or picture viewers are connected, and for the idle grace
 * after the last one left or the last picture was asked for (or after it started: an offer waits
 * for the stream's codecs before its viewer joins) — a snapshot polled every few seconds keeps its
 * keyframe at hand.
 */
final class UnitReaders {

  private final RtcStream rtc;
  private final LatestPictures pictures;
  private final PictureStream pictureStream;
  private final UnitFeed feed;
  private volatile long lastUsedNanos = System.nanoTime();

  UnitReaders(RtcStream rtc, LatestPictures pictures, PictureStream pictureStream, UnitFeed feed) {
    this.rtc = rtc;
    this.pictures = pictures;
    this.pictureStream = pictureStream;
    this.feed = feed;
  }

  RtcStream rtc() {
    return rtc;
  }

  LatestPictures pictures() {
    return pictures;
  }

  PictureStream pictureStream() {
    return pictureStream;
  }

  /** Someone asked for the stream over WebRTC (an offer) or for a picture. */
  void requested() {
    lastUsedNanos = System.nanoTime();
  }

  /** Time since the readers were last used; 0 while WebRTC viewers are connected. */
  long idleNanos() {
    long now = System.nanoTime();
    if (rtc.viewers() > 0 || pictureStream.viewers() > 0) {
      lastUsedNanos = now;
    }
    return now - lastUsedNanos;
  }

  boolean feedAlive() {
    return feed.isAlive();
  }

  /** Closes the WebRTC viewers, then stops the feed (waits for its thread). */
  void close() {
    rtc.close();
    pictureStream.close();
    feed.close();
    pictures.clear();
  }
}
