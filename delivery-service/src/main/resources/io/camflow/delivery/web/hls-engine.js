// The HLS engine: LL-HLS from /live/<camera>/<stream>/index.m3u8 with hls.js (its own Media Source
// player), sending the current access token on every request; browsers without MediaSource but with HLS
// built in (older iOS) get the playlist URL with ?access_token=, restarted after each token refresh.

import { accessToken, bearer, onRefresh } from './auth.js';

export const hlsAvailable = (video) => Boolean(window.Hls?.isSupported())
  || video.canPlayType('application/vnd.apple.mpegurl') !== '';

export class HlsEngine {
  /**
   * @param events {bytes(n), failed({kind, message, code})}; failed kinds: denied (401/403), notfound (404),
   *   unavailable (cannot play HLS here), lost (network or server trouble: reconnect), throttled (429)
   */
  constructor(video, stream, events) {
    this.name = 'hls';
    this.video = video;
    this.stream = stream;
    this.events = events;
    this.url = `/live/${stream}/index.m3u8`;
    this.hls = null;
    this.stopped = false;
    this.stopRefresh = null;
    this.onVideoError = null;
  }

  async start() {
    if (window.Hls?.isSupported()) {
      this.startHlsJs();
    } else if (this.video.canPlayType('application/vnd.apple.mpegurl')) {
      await this.startNative();
    } else {
      this.fail('unavailable', 'this browser cannot play HLS');
    }
  }

  stop() {
    this.stopped = true;
    this.hls?.destroy();
    this.hls = null;
    this.stopRefresh?.();
    if (this.onVideoError) {
      this.video.removeEventListener('error', this.onVideoError);
    }
    if (this.video.hasAttribute('src')) {
      this.video.removeAttribute('src');
      this.video.load();
    }
  }

  /** Seconds behind the live edge as hls.js estimates it (the playlist's end otherwise). */
  latency() {
    if (this.hls && Number.isFinite(this.hls.latency)) {
      return this.hls.latency;
    }
    const s = this.video.seekable;
    return s.length ? Math.max(0, s.end(s.length - 1) - this.video.currentTime) : null;
  }

  fail(kind, message, code) {
    if (this.stopped) {
      return;
    }
    this.stop();
    this.events.failed({ kind, message, code });
  }

  startHlsJs() {
    let recovered = false;
    const hls = new window.Hls({
      lowLatencyMode: true,
      // asked per request, so a long session always sends the token of the latest refresh
      xhrSetup: async (xhr, requestUrl) => {
        const headers = bearer(await accessToken());
        xhr.open('GET', requestUrl, true);
        Object.entries(headers).forEach(([name, value]) => xhr.setRequestHeader(name, value));
      },
    });
    this.hls = hls;
    const Events = window.Hls.Events;
    hls.on(Events.FRAG_LOADED, (_, data) => this.events.bytes(data.part?.stats?.loaded ?? data.frag?.stats?.loaded ?? 0));
    hls.on(Events.ERROR, (_, data) => {
      const code = data.response?.code;
      if (code === 401 || code === 403) {
        this.fail('denied', code === 401 ? 'your login was not accepted' : 'no permission', code);
      } else if (code === 404 && data.fatal) {
        this.fail('notfound', 'no such stream', code);
      } else if (code === 429) {
        this.fail('throttled', 'too many refused requests from here', code);
      } else if (data.fatal && data.type === window.Hls.ErrorTypes.MEDIA_ERROR && !recovered) {
        recovered = true;
        hls.recoverMediaError();
      } else if (data.fatal) {
        this.fail('lost', code ? `HTTP ${code}` : data.details, code);
      }
    });
    hls.loadSource(this.url);
    hls.attachMedia(this.video);
    this.video.play().catch(() => {}); // muted: allowed without a gesture; errors show up through hls.js
  }

  async startNative() {
    const play = async () => {
      const token = await accessToken();
      if (!this.stopped) {
        this.video.src = token ? `${this.url}?access_token=${encodeURIComponent(token)}` : this.url;
        this.video.play().catch(() => {});
      }
    };
    this.stopRefresh = onRefresh(() => play()); // its URL carries the old token
    this.onVideoError = async () => {
      // the browser's player does not tell why: ask the server once more
      const code = await fetch(this.url, { headers: bearer(await accessToken()) }).then((r) => r.status, () => 0);
      if (code === 401 || code === 403) {
        this.fail('denied', 'no permission', code);
      } else if (code === 404) {
        this.fail('notfound', 'no such stream', code);
      } else {
        this.fail('lost', 'the browser could not play it', code);
      }
    };
    this.video.addEventListener('error', this.onVideoError);
    await play();
  }
}
