// A <video>'s MediaSource fed with fMP4 pieces, as both MSE players use it (mse.js live, mse-dvr.js
// recordings): attach(mime, init) builds a fresh MediaSource with one SourceBuffer in 'segments' mode (its
// timestamps as the server wrote them), append(piece) queues a piece that is appended as soon as the
// SourceBuffer is free, trim(keep) removes what lies more than keep seconds behind the playhead.

export class MediaSink {
  /**
   * @param video the <video>
   * @param hooks {ready(): the SourceBuffer is free (called before each append, and with the queue empty),
   *   failed(message, refusedType): the browser refused the type (refusedType true) or an append,
   *   urgentKeep: seconds kept when the quota is full}
   */
  constructor(video, hooks) {
    this.video = video;
    this.hooks = hooks;
    this.mediaSource = null;
    this.sourceBuffer = null;
    this.objectUrl = null;
    this.queue = [];
  }

  /** Whether a MediaSource is attached (its SourceBuffer may still be on its way). */
  get attached() {
    return this.mediaSource !== null;
  }

  /** Pieces waiting to be appended. */
  get queued() {
    return this.queue.length;
  }

  /** A fresh MediaSource for {@code mime}, whose first piece is the init segment {@code init}. */
  attach(mime, init) {
    this.detach();
    const MS = window.MediaSource ?? window.ManagedMediaSource;
    const mediaSource = new MS();
    this.mediaSource = mediaSource;
    this.queue = [init];
    this.objectUrl = URL.createObjectURL(mediaSource);
    this.video.disableRemotePlayback = true; // ManagedMediaSource needs it
    this.video.src = this.objectUrl;
    mediaSource.addEventListener('sourceopen', () => {
      if (this.mediaSource !== mediaSource) {
        return;
      }
      try {
        this.sourceBuffer = mediaSource.addSourceBuffer(mime);
      } catch (e) {
        this.hooks.failed(`the browser refused ${mime}: ${e.message}`, true);
        return;
      }
      this.sourceBuffer.mode = 'segments';
      this.sourceBuffer.addEventListener('updateend', () => this.pump());
      this.sourceBuffer.addEventListener('error', () => this.hooks.failed('the browser could not append media', false));
      this.pump();
      this.video.play().catch(() => {});
    }, { once: true });
  }

  detach() {
    this.sourceBuffer = null;
    this.queue = [];
    if (this.mediaSource) {
      this.mediaSource = null;
      this.video.removeAttribute('src');
      this.video.load();
    }
    if (this.objectUrl) {
      URL.revokeObjectURL(this.objectUrl);
      this.objectUrl = null;
    }
  }

  append(piece) {
    this.queue.push(piece);
    this.pump();
  }

  /** Appends the next queued piece when the SourceBuffer is free. */
  pump() {
    const sb = this.sourceBuffer;
    if (!sb || sb.updating || this.mediaSource?.readyState !== 'open') {
      return;
    }
    this.hooks.ready();
    if (!this.queue.length || this.sourceBuffer !== sb || sb.updating) {
      return; // nothing to append, or ready() moved on (a seek, a removal)
    }
    try {
      sb.appendBuffer(this.queue[0]);
      this.queue.shift();
    } catch (e) {
      if (e.name === 'QuotaExceededError' && this.trim(this.hooks.urgentKeep, 0)) {
        return; // appended again after the removal's updateend
      }
      this.hooks.failed(`appending media failed: ${e.message}`, false);
    }
  }

  /** Whether media time {@code t} is buffered. */
  buffered(t) {
    const b = this.video.buffered;
    for (let i = 0; i < b.length; i++) {
      if (t >= b.start(i) && t < b.end(i)) {
        return true;
      }
    }
    return false;
  }

  /** Removes media more than {@code keep} seconds behind the playhead (with 1 s of slack unless urgent). */
  trim(keep, slack = 1) {
    const sb = this.sourceBuffer;
    const b = this.video.buffered;
    if (!sb || sb.updating || !b.length) {
      return false;
    }
    const before = this.video.currentTime - keep;
    if (b.start(0) < before - slack) {
      sb.remove(b.start(0), before);
      return true;
    }
    return false;
  }
}
