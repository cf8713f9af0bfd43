// One live player per <video>: picks a protocol (auto: the first engine this browser can use, in
// ENGINES order, falling back to the next when one cannot start), reports its state and playback
// statistics, and reconnects by itself with capped exponential backoff after a network drop, a server
// restart or a camera outage. Views (grid tiles, the single view) own the DOM; the player owns playback.

import { MseEngine, mseAvailable } from './mse.js';
import { HlsEngine, hlsAvailable } from './hls-engine.js';
import { WebRtcEngine, webrtcAvailable } from './webrtc.js';

/**
 * The playback engines in the order "auto" tries them: WebRTC (lowest latency), then MSE, then HLS. Each:
 * {name, label, available(video), create(video, stream, events)}; an engine has start(), stop(), latency()
 * and reports through events (see mse.js). An engine that cannot play here fails with "unavailable" and
 * the next one is tried.
 */
export const ENGINES = [
  { name: 'webrtc', label: 'WebRTC', available: () => webrtcAvailable(), create: (v, s, e) => new WebRtcEngine(v, s, e) },
  { name: 'mse', label: 'MSE', available: () => mseAvailable(), create: (v, s, e) => new MseEngine(v, s, e) },
  { name: 'hls', label: 'HLS', available: (v) => hlsAvailable(v), create: (v, s, e) => new HlsEngine(v, s, e) },
];

/** Adds (or replaces) an engine; position: where "auto" tries it (0: first). */
export function registerEngine(engine, position = ENGINES.length) {
  const old = ENGINES.findIndex((e) => e.name === engine.name);
  if (old >= 0) {
    ENGINES.splice(old, 1);
  }
  ENGINES.splice(Math.min(position, ENGINES.length), 0, engine);
}

export const PROTOCOLS = () => ['auto', ...ENGINES.map((e) => e.name)];
export const protocolLabel = (name) => (name === 'auto' ? 'Auto' : ENGINES.find((e) => e.name === name)?.label ?? name);

const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
const LIMIT_RETRY_MS = 15_000; // "too many viewers": no point asking again at once
const THROTTLE_RETRY_MS = 60_000; // the server's refusal limit counts a minute
const STALL_PLAYING_MS = 8_000; // playing, but the picture has not moved for this long: reconnect
const STALL_LOADING_MS = 20_000; // never started moving
const STATS_MS = 1_000;

/**
 * States: loading, playing, offline (the camera is lost; the connection stays), reconnecting, limit,
 * denied (401/403: no retry), error (retrying in the background unless stopped), paused (pause(): nothing
 * is fetched until resume()).
 */
export class Player {
  /**
   * @param video the <video> element
   * @param stream "camera/stream"
   * @param options {protocol: 'auto'|engine name, onChange(player): after each state or stats change}
   */
  constructor(video, stream, { protocol = 'auto', onChange = () => {} } = {}) {
    this.video = video;
    this.stream = stream;
    this.protocol = protocol; // what the user picked
    this.onChange = onChange;
    this.engine = null; // the engine playing now
    this.state = 'loading';
    this.message = `Loading ${stream}…`;
    this.attempt = 0; // failed attempts since the last time it played, for the backoff
    this.retryTimer = null;
    this.stopped = true;
    this.serverDropped = { events: 0, skippedMs: 0 };
    this.stats = { protocol: null, fps: null, kbps: null, width: 0, height: 0, latency: null, dropped: 0 };
    this.bytes = 0;
    this.lastSample = null; // {at, frames, bytes}
    this.lastMove = { at: 0, time: -1 };
    this.onTime = () => this.timeUpdate();
    this.statsTimer = null;
  }

  start() {
    this.stopped = false;
    this.startedAt = performance.now();
    this.firstPlayingMs = null; // start() → the picture first moves: what a viewer waits
    this.firstFrameMs = null; // start() → the first frame is presented
    this.video.requestVideoFrameCallback?.(() => {
      this.firstFrameMs = Math.round(performance.now() - this.startedAt);
    });
    this.video.addEventListener('timeupdate', this.onTime);
    this.statsTimer = setInterval(() => this.sample(), STATS_MS);
    this.connect();
  }

  /** Stops playing without forgetting the player: state paused, reason shown; resume() starts again. */
  pause(reason) {
    if (!this.stopped) {
      this.stop();
    }
    this.set('paused', reason);
  }

  resume() {
    if (this.stopped) {
      this.attempt = 0;
      this.start();
    }
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.statsTimer);
    this.video.removeEventListener('timeupdate', this.onTime);
    this.engine?.stop();
    this.engine = null;
  }

  /** Switches protocol now (the user picked one). */
  setProtocol(protocol) {
    this.protocol = protocol;
    this.attempt = 0;
    if (!this.stopped) {
      this.restart();
    }
  }

  restart() {
    clearTimeout(this.retryTimer);
    this.engine?.stop();
    this.engine = null;
    this.connect();
  }

  /** The engines to try, in order, for the protocol picked. */
  candidates() {
    const usable = ENGINES.filter((e) => e.available(this.video));
    return this.protocol === 'auto' ? usable : usable.filter((e) => e.name === this.protocol);
  }

  connect(from = 0) {
    const list = this.candidates();
    if (from >= list.length) {
      const picked = this.protocol === 'auto' ? 'any protocol' : protocolLabel(this.protocol);
      const why = this.lastFailure ? ` (${this.lastFailure})` : '';
      if (this.played) { // it played before: most likely the network or the server is away for a while
        this.retry('reconnecting', `Cannot reach ${this.stream}${why}. Retrying…`);
      } else {
        this.retry('error', `Cannot play ${this.stream} with ${picked}${why}.`);
      }
      return;
    }
    const spec = list[from];
    this.set(this.attempt ? 'reconnecting' : 'loading', `${this.attempt ? 'Reconnecting to' : 'Loading'} ${this.stream} (${spec.label})…`);
    this.lastMove = { at: Date.now(), time: -1 };
    let engine;
    const mine = (f) => (...args) => (this.engine === engine && !this.stopped ? f(...args) : undefined);
    engine = spec.create(this.video, this.stream, {
      bytes: mine((n) => { this.bytes += n; }),
      dropped: mine((skippedMs) => {
        this.serverDropped.events++;
        this.serverDropped.skippedMs += skippedMs;
      }),
      offline: mine(() => this.set('offline', `${this.stream}: the camera is offline. Waiting for it…`)),
      online: mine(() => {
        this.lastMove = { at: Date.now(), time: -1 };
        this.set('loading', `${this.stream} is back. Loading…`);
      }),
      failed: mine((failure) => this.failed(failure, from)),
    });
    this.engine = engine;
    this.stats.protocol = spec.name;
    engine.start();
  }

  failed({ kind, message, code }, from) {
    this.engine = null;
    this.lastFailure = message;
    const stream = this.stream;
    switch (kind) {
      case 'unavailable':
        this.connect(from + 1); // auto: the next protocol; picked one: nothing left, retried later
        break;
      case 'denied':
        this.set('denied', code === 401
          ? `You are not allowed to watch ${stream}: your login was not accepted. Log in again.`
          : `You are not allowed to watch ${stream}`);
        break;
      case 'disconnected': // an administrator ended this viewer: no automatic return
        this.set('denied', `${stream}: ${message}.`);
        break;
      case 'notfound':
        this.retry('error', `There is no stream ${stream}.`);
        break;
      case 'throttled':
        this.retry('error', 'Too many refused requests from here. Try again in a while.', THROTTLE_RETRY_MS);
        break;
      case 'limit':
        this.retry('limit', `Too many viewers on ${stream}. Trying again…`, LIMIT_RETRY_MS);
        break;
      default: // lost
        this.retry('reconnecting', `${stream}: ${message}. Reconnecting…`);
    }
  }

  /** Shows the state and tries again after the backoff (at least minMs). */
  retry(state, message, minMs = 0) {
    const backoff = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.attempt);
    const delay = Math.max(minMs, backoff * (0.8 + Math.random() * 0.4)); // jitter: not every tile at once
    this.attempt++;
    this.set(state, message);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => !this.stopped && this.connect(), delay);
  }

  set(state, message) {
    this.state = state;
    this.message = message;
    this.onChange(this);
  }

  timeUpdate() {
    const time = this.video.currentTime;
    if (time !== this.lastMove.time) {
      const moved = this.lastMove.time >= 0 && time > this.lastMove.time && !this.video.paused;
      this.lastMove = { at: Date.now(), time };
      // offline is left only when the engine says online: a WebRTC video's time runs on without pictures
      if (moved && this.engine && ['loading', 'reconnecting'].includes(this.state)) {
        this.attempt = 0;
        this.played = true;
        this.firstPlayingMs ??= Math.round(performance.now() - this.startedAt);
        this.set('playing', `Playing ${this.stream}`);
      }
    }
  }

  /** Once a second: the statistics, and the stall watchdog. */
  sample() {
    const video = this.video;
    const now = Date.now();
    const quality = video.getVideoPlaybackQuality?.() ?? { totalVideoFrames: 0, droppedVideoFrames: 0 };
    const last = this.lastSample;
    this.lastSample = { at: now, frames: quality.totalVideoFrames, bytes: this.bytes };
    if (last && now > last.at) {
      const seconds = (now - last.at) / 1000;
      this.stats.fps = Math.max(0, (quality.totalVideoFrames - last.frames) / seconds);
      this.stats.kbps = Math.max(0, ((this.bytes - last.bytes) * 8) / seconds / 1000);
    }
    this.stats.width = video.videoWidth;
    this.stats.height = video.videoHeight;
    this.stats.latency = this.engine?.latency() ?? null;
    this.stats.dropped = quality.droppedVideoFrames;
    this.stats.serverDropped = { ...this.serverDropped };
    if (document.hidden) { // background tabs may not advance video: no stall verdicts there
      this.lastMove.at = now;
    }
    const still = now - this.lastMove.at;
    if (this.engine && ((this.state === 'playing' && still > STALL_PLAYING_MS)
        || (['loading', 'reconnecting'].includes(this.state) && still > STALL_LOADING_MS))) {
      const engine = this.engine;
      this.engine = null;
      engine.stop();
      this.retry('reconnecting', `${this.stream} stopped moving. Reconnecting…`);
    }
    this.onChange(this);
  }
}

/** The statistics as short lines for an overlay. */
export function describeStats(player) {
  const s = player.stats;
  const n = (v, digits = 0) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));
  const dropped = s.serverDropped?.events
    ? `${s.dropped} decoder, ${s.serverDropped.events}× server (${(s.serverDropped.skippedMs / 1000).toFixed(1)} s)`
    : `${s.dropped}`;
  return [
    ['protocol', s.protocol ? protocolLabel(s.protocol) : '–'],
    ['resolution', s.width ? `${s.width}×${s.height}` : '–'],
    ['fps', n(s.fps, 1)],
    ['bitrate', s.kbps === null ? '–' : `${n(s.kbps)} kbit/s`],
    ['behind live', s.latency === null ? '–' : `${n(s.latency, 2)} s`],
    ['dropped', dropped],
  ];
}
