// Playback of a recording over the MSE socket (docs/mse.md, "Recordings"): one WebSocket per player.
// play(instant) opens it with {"type":"play","at"}; seek(instant) says {"type":"seek"} on the same socket;
// the rate goes as {"type":"rate"} (the server sends keyframes only above 4x); the player's position every
// half second paces what the server sends. Every segment comes with the capture time of its first frame
// and its media time, so the wall clock of the shown frame is exact. Same interface as DvrPlayback (HLS).

import { accessToken, onRefresh } from './auth.js';
import { MediaSink } from './media-sink.js';
import { openMseSocket, playableCodecs, sendFreshToken } from './mse.js';

const KEEP_S = 30; // buffered media older than this behind the playhead is removed
const POSITION_MS = 500; // how often the position goes to the server
const HOLE_S = 1.5; // a hole in the buffer up to this long is jumped over when the video waits at it
const MAX_SEGMENTS = 600; // segment times kept for the shown instant (20 min of 2 s segments)

export class MseDvrPlayback {
  /**
   * @param video the <video> (the live player has let go of it)
   * @param stream "camera/stream"
   * @param onChange(state, message) state: loading, playing, ended, error
   */
  constructor(video, stream, onChange = () => {}) {
    this.video = video;
    this.stream = stream;
    this.onChange = onChange;
    this.rate = 1;
    this.socket = null;
    this.stopped = true;
    this.sink = new MediaSink(video, {
      ready: () => this.ready(),
      failed: (message) => this.onChange('error', `The recording cannot be played: ${message}`),
      urgentKeep: 5,
    });
    this.mime = null;
    this.expectInit = false;
    this.target = null; // media time to show once buffered (a seek's answer)
    this.segments = []; // {time, start (ms), duration} of the segments received, in order
    this.timer = null;
    this.stopRefresh = null;
    this.closeReason = null;
    this.onPlaying = () => {
      this.video.playbackRate = this.rate;
      if (this.target === null) {
        this.onChange('playing', 'Playing the recording');
      }
    };
  }

  /** Plays from {@code instant} (a Date) on, to the live edge of the recording. */
  play(instant) {
    this.stop();
    this.stopped = false;
    this.onChange('loading', `Loading the recording at ${instant.toLocaleString()}…`);
    this.video.addEventListener('playing', this.onPlaying);
    this.open(instant);
  }

  async open(instant) {
    const codecs = playableCodecs();
    let token;
    try {
      token = await accessToken();
    } catch (e) {
      this.onChange('error', `The recording cannot be played: ${e.message}`);
      return;
    }
    if (this.stopped) {
      return;
    }
    const socket = openMseSocket(this.stream, token);
    this.socket = socket;
    socket.onopen = () => {
      socket.send(JSON.stringify({ type: 'play', codecs, at: instant.toISOString(), rate: this.rate }));
      if (token) {
        this.stopRefresh = onRefresh(() => sendFreshToken(socket));
      }
    };
    socket.onmessage = (message) => this.receive(message.data);
    socket.onclose = (event) => {
      if (this.socket === socket && !this.stopped) {
        const said = this.closeReason;
        this.stop();
        this.onChange('error', `The recording stopped: ${said?.message ?? said?.reason ?? `the connection closed (${event.code})`}`);
      }
    };
    this.timer = setInterval(() => this.tick(), POSITION_MS);
  }

  /** Goes to {@code instant} on the same socket (the server starts again from the keyframe before it). */
  seek(instant) {
    if (this.socket?.readyState !== WebSocket.OPEN) {
      this.play(instant);
      return;
    }
    this.onChange('loading', `Loading the recording at ${instant.toLocaleString()}…`);
    this.socket.send(JSON.stringify({ type: 'seek', at: instant.toISOString() }));
  }

  /** The wall clock of the frame shown (a Date), or null before the first. */
  shownInstant() {
    const t = this.video.currentTime;
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const s = this.segments[i];
      if (t >= s.time && t < s.time + s.duration + 0.05) {
        return new Date(s.start + (t - s.time) * 1000);
      }
    }
    return null;
  }

  /** Plays {@code factor} times the rate for a while (keeping tiles in step); 1 ends it. */
  nudge(factor) {
    this.video.playbackRate = this.rate * factor;
  }

  setRate(rate) {
    this.rate = rate;
    this.video.playbackRate = rate;
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ type: 'rate', rate }));
    }
  }

  stop() {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = null;
    this.stopRefresh?.();
    this.stopRefresh = null;
    this.video.removeEventListener('playing', this.onPlaying);
    if (this.socket) {
      this.socket.onclose = this.socket.onmessage = this.socket.onopen = null;
      this.socket.close(1000);
      this.socket = null;
    }
    this.sink.detach();
    this.video.playbackRate = 1;
    this.closeReason = null;
  }

  receive(data) {
    if (this.stopped) {
      return;
    }
    if (typeof data !== 'string') {
      if (this.expectInit) {
        this.expectInit = false;
        this.sink.attach(this.mime, data);
      } else if (this.sink.attached) {
        this.sink.append(data);
      }
      return;
    }
    let event;
    try {
      event = JSON.parse(data);
    } catch {
      return;
    }
    switch (event.type) {
      case 'init': // a seek, or the camera's configuration changed: a fresh MediaSource
        this.mime = event.mime || `video/mp4; codecs="${event.codecs}"`;
        this.expectInit = true;
        this.segments = [];
        break;
      case 'recording':
        this.target = Number(event.time);
        if (event.clamped) {
          this.onChange('loading', `Recorded only from ${new Date(event.at).toLocaleString()} on`);
        }
        break;
      case 'segment':
        this.segments.push({ time: Number(event.time), start: Date.parse(event.start), duration: Number(event.duration) });
        if (this.segments.length > MAX_SEGMENTS) {
          this.segments.shift();
        }
        if (this.target === null && this.segments.length === 1) {
          this.target = Number(event.time); // the first segment after a new init mid-recording
        }
        break;
      case 'retention':
        this.onChange('loading', `Retention deleted that part; playing from ${new Date(event.oldest).toLocaleString()}`);
        break;
      case 'refused':
        this.onChange('error', `The recording cannot be played: ${event.message}`);
        break;
      case 'stalled':
        this.onChange('loading', event.message);
        break;
      case 'ended':
      case 'error':
      case 'limit':
      case 'disconnected':
      case 'shutdown':
        this.closeReason = event; // the close that follows says it
        break;
      default:
        break; // edge, renewed, live-only events and events added later
    }
  }

  /** The SourceBuffer is free: show the seek's target once it is buffered. */
  ready() {
    if (this.target !== null && this.sink.buffered(this.target)) {
      this.video.currentTime = this.target;
      this.target = null;
      this.video.playbackRate = this.rate;
      this.video.play().catch(() => {});
    }
  }

  /** Twice a second: the position to the server (it sends a few seconds ahead of it), holes, trimming. */
  tick() {
    if (this.socket?.readyState !== WebSocket.OPEN || !this.sink.sourceBuffer) {
      return;
    }
    const video = this.video;
    if (this.target === null) {
      this.socket.send(JSON.stringify({ type: 'position', time: video.currentTime }));
    }
    if (video.readyState < HTMLMediaElement.HAVE_FUTURE_DATA && !video.paused && this.target === null) {
      const b = video.buffered;
      for (let i = 0; i < b.length; i++) { // waiting at a hole (a camera's stall): jump it
        if (b.start(i) > video.currentTime && b.start(i) - video.currentTime <= HOLE_S) {
          video.currentTime = b.start(i) + 0.01;
          break;
        }
      }
    }
    if (this.target === null) {
      this.sink.trim(KEEP_S);
    }
  }
}
