// The WebSocket/MSE engine: fMP4 over /live/<camera>/<stream>/mse into a MediaSource (docs/web-viewer.md,
// "MSE protocol"). The server starts with the current GOP from the latest keyframe, sent as fast as the
// socket takes it, then says {"type":"live"}: the engine jumps to the live edge and keeps the video there —
// trimming old data and nudging playbackRate — so the delay never creeps up. The session runs on the
// access token it opened with: after each refresh the fresh token goes over the same socket
// ({"type":"token"}), so the server does not end it when the old one expires (docs/mse.md, "Tokens").

import { accessToken, onRefresh } from './auth.js';
import { MediaSink } from './media-sink.js';

/** RFC 6381 codec strings offered to the server, in order of preference, if this browser plays them. */
const CANDIDATES = ['avc1.64001f', 'avc1.640028', 'avc1.640032', 'avc1.4d401f', 'avc1.42e01e',
  'hvc1.1.6.L93.B0', 'hev1.1.6.L93.B0', 'mp4a.40.2', 'mp4a.40.5', 'opus'];

const KEEP_S = 10; // buffered media older than this behind the playhead is removed
const NUDGE_S = 0.5; // further behind the buffered end than this: play faster
const FAR_S = 1; // further behind than this: faster still (1 s at 1.1 would take 10 s to catch up)
const JUMP_S = 2; // further behind than this: jump
const EDGE_S = 0.1; // where a jump lands, before the buffered end
const FAST_RATE = 1.1;
const FASTER_RATE = 1.25;
const FIRST_DATA_MS = 10_000; // an open socket that brings no init segment for this long is dead
const MAX_QUEUE = 600; // fragments waiting to be appended (one per access unit: ~20 s at 30 fps)

/** The codecs this browser's MediaSource accepts, from the candidate list. */
export function playableCodecs() {
  const ms = window.MediaSource ?? window.ManagedMediaSource;
  if (!ms) {
    return [];
  }
  return CANDIDATES.filter((codec) => ms.isTypeSupported(`video/mp4; codecs="${codec}"`));
}

export const mseAvailable = () => playableCodecs().some((codec) => !/^(mp4a|opus)/.test(codec));

/** The MSE WebSocket of "camera/stream"; the token goes in the URL (a browser cannot set a header on it). */
export function openMseSocket(stream, token) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(`${scheme}//${location.host}/live/${stream}/mse${token ? `?access_token=${encodeURIComponent(token)}` : ''}`);
  socket.binaryType = 'arraybuffer';
  return socket;
}

/** A fresh access token over an open MSE socket, so the session outlives the old one (docs/mse.md, "Tokens"). */
export async function sendFreshToken(socket) {
  const token = await accessToken().catch(() => null);
  if (token && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify({ type: 'token', token }));
  }
}

export class MseEngine {
  /**
   * @param video the <video> to play in
   * @param stream "camera/stream"
   * @param events {bytes(n), dropped(skippedMs), offline(), online(), failed({kind, message, code})}
   *   failed kinds: unavailable (never connected or codecs refused: try another protocol), lost (reconnect),
   *   limit (too many viewers: retry later)
   */
  constructor(video, stream, events) {
    this.name = 'mse';
    this.video = video;
    this.stream = stream;
    this.events = events;
    this.socket = null;
    this.sink = new MediaSink(video, {
      ready: () => this.ready(),
      failed: (message, refusedType) => this.fail(refusedType ? 'unavailable' : 'lost', message),
      urgentKeep: 1,
    });
    this.mime = null;
    this.expectInit = false;
    this.opened = false;
    this.stopped = false;
    this.closeReason = null; // what the last text event said before a close
    this.wantEdge = false; // {"type":"live"} came: jump to the edge once the burst is appended
    this.still = { time: -1, since: 0 }; // the playhead's last position and since when it is there
    this.timer = null;
    this.firstDataTimer = null;
    this.stopRefresh = null; // unsubscribes from token refreshes
    this.tokenTimer = null; // a token the server could not check, sent again
  }

  async start() {
    const codecs = playableCodecs();
    if (!codecs.length) {
      this.fail('unavailable', 'this browser has no Media Source Extensions for these codecs');
      return;
    }
    let token;
    try {
      token = await accessToken();
    } catch (e) {
      this.fail('lost', e.message);
      return;
    }
    if (this.stopped) {
      return;
    }
    const socket = openMseSocket(this.stream, token);
    this.socket = socket;
    socket.onopen = () => {
      this.opened = true;
      socket.send(JSON.stringify({ type: 'play', codecs }));
      if (token) {
        this.stopRefresh = onRefresh(() => this.sendToken());
      }
      this.firstDataTimer = setTimeout(() => this.fail('lost', 'the server sent no stream'), FIRST_DATA_MS);
    };
    socket.onmessage = (message) => this.receive(message.data);
    socket.onclose = (event) => this.closed(event);
    socket.onerror = () => {}; // a close follows, which says more
    this.timer = setInterval(() => this.keepLive(), 250);
  }

  /** The fresh access token to the server, which then lets the session outlive the old one. */
  sendToken() {
    clearTimeout(this.tokenTimer);
    if (!this.stopped && this.socket) {
      sendFreshToken(this.socket);
    }
  }

  stop() {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.firstDataTimer);
    clearTimeout(this.tokenTimer);
    this.stopRefresh?.();
    this.stopRefresh = null;
    if (this.socket) {
      this.socket.onclose = this.socket.onmessage = this.socket.onopen = null;
      this.socket.close(1000);
      this.socket = null;
    }
    this.sink.detach();
    this.video.playbackRate = 1;
  }

  /** Seconds the playhead is behind the newest media received. */
  latency() {
    const b = this.video.buffered;
    return b.length ? Math.max(0, b.end(b.length - 1) - this.video.currentTime) : null;
  }

  fail(kind, message, code) {
    if (this.stopped) {
      return;
    }
    this.stop();
    this.events.failed({ kind, message, code });
  }

  closed(event) {
    if (!this.opened) { // refused at the handshake (401/403/404 look the same here) or unreachable
      this.fail('unavailable', 'the MSE socket did not open');
      return;
    }
    const said = this.closeReason;
    if (said?.type === 'ended') { // the session's token: expired unrenewed, refused, or access revoked
      if (said.reason === 'token-expired') {
        this.fail('lost', said.message ?? 'the access token expired', event.code); // reconnects with a fresh one
      } else {
        this.fail('denied', said.message ?? 'access ended', said.reason === 'access-revoked' ? 403 : 401);
      }
    } else if (event.code === 1003 || said?.type === 'error') {
      this.fail('unavailable', `the server cannot send a codec this browser plays${said?.codecs ? ` (${said.codecs})` : ''}`, event.code);
    } else if (event.code === 1008 || said?.type === 'disconnected') {
      this.fail('disconnected', said?.reason ?? 'disconnected by an administrator', event.code);
    } else if (event.code === 1013 || said?.type === 'limit') {
      this.fail('limit', 'too many viewers', event.code);
    } else if (event.code === 1001 || said?.type === 'shutdown') {
      this.fail('lost', 'the server is restarting', event.code);
    } else {
      this.fail('lost', `the connection closed (${event.code})`, event.code);
    }
  }

  receive(data) {
    if (this.stopped) {
      return;
    }
    if (typeof data === 'string') {
      let event;
      try {
        event = JSON.parse(data);
      } catch {
        return;
      }
      this.event(event);
      return;
    }
    this.events.bytes(data.byteLength);
    if (this.expectInit) {
      this.expectInit = false;
      clearTimeout(this.firstDataTimer);
      this.sink.attach(this.mime, data); // a fresh MediaSource: a camera session with other timestamps starts clean
    } else if (this.sink.attached) {
      if (this.sink.queued >= MAX_QUEUE) {
        return; // the decoder is far behind; keepLive jumps ahead once it catches up
      }
      this.sink.append(data);
    }
  }

  event(event) {
    switch (event.type) {
      case 'init':
        this.mime = event.mime || `video/mp4; codecs="${event.codecs}"`;
        this.expectInit = true;
        break;
      case 'live':
        this.wantEdge = true;
        this.sink.pump();
        break;
      case 'offline':
        this.events.offline();
        break;
      case 'online':
        this.events.online();
        break;
      case 'dropped':
        this.events.dropped(Number(event.skippedMs) || 0);
        break;
      case 'renewed': // the fresh token was accepted: nothing to show
        break;
      case 'token-unchecked': // the server could not check it just now: again in a moment
        clearTimeout(this.tokenTimer);
        this.tokenTimer = setTimeout(() => this.sendToken(), Math.max(1, Number(event.retryAfter) || 5) * 1000);
        break;
      case 'ended':
      case 'error':
      case 'limit':
      case 'disconnected':
      case 'shutdown':
        this.closeReason = event; // the close that follows says what to do
        break;
      default:
        break; // events added later are ignored
    }
  }

  /** The SourceBuffer is free: once the GOP burst is appended after {"type":"live"}, jump to the edge. */
  ready() {
    if (!this.sink.queued && this.wantEdge && this.video.buffered.length) {
      this.wantEdge = false;
      this.seekToEdge();
    }
  }

  seekToEdge() {
    const b = this.video.buffered;
    if (b.length) {
      this.video.currentTime = Math.max(b.start(b.length - 1), b.end(b.length - 1) - EDGE_S);
    }
  }

  /** Four times a second: skip gaps, catch up with the live edge, trim the buffer. */
  keepLive() {
    const video = this.video;
    const b = video.buffered;
    if (!this.sink.sourceBuffer || !b.length) {
      return;
    }
    const now = video.currentTime;
    const end = b.end(b.length - 1);
    let inside = false;
    for (let i = 0; i < b.length; i++) {
      inside ||= now >= b.start(i) && now < b.end(i);
    }
    if (!inside) { // before the first range or in a hole (a new session, frames the server skipped)
      const next = [...Array(b.length).keys()].map((i) => b.start(i)).find((start) => start > now);
      if (next !== undefined) {
        video.currentTime = next;
        return;
      }
    }
    const behind = end - now;
    if (now !== this.still.time) {
      this.still = { time: now, since: Date.now() };
    }
    const stuck = !video.paused && behind > 0.3 && Date.now() - this.still.since > 1_000;
    if (behind > JUMP_S || stuck) { // a decoder stuck at a splice restarts with a seek
      this.seekToEdge();
      this.still = { time: -1, since: Date.now() };
      video.playbackRate = 1;
    } else if (behind > NUDGE_S) {
      video.playbackRate = behind > FAR_S ? FASTER_RATE : FAST_RATE;
    } else if (video.playbackRate !== 1 && behind < NUDGE_S / 2) {
      video.playbackRate = 1;
    }
    if (video.paused && video.readyState >= 2) {
      video.play().catch(() => {});
    }
    this.sink.trim(KEEP_S);
  }
}
