// Pictures over a WebSocket onto a <canvas> (docs/pictures.md, "Frames socket"): where a wall of many
// cameras would need as many video decoders, each tile is a canvas fed a small JPEG a second or two. The
// newest picture wins here too: one still being decoded, the next replaces any that wait.

import { accessToken, onRefresh } from './auth.js';
import { sendFreshToken } from './mse.js';

const RECONNECT_MS = 2_000;

export class FramesCanvas {
  /**
   * @param canvas the <canvas> to draw on (sized to each picture)
   * @param stream "camera/stream"
   * @param settings {fps, width, height, quality, format: 'jpeg' | 'webp'}
   * @param onState (state, message) — 'connecting', 'showing', 'limit', 'ended', 'error'
   */
  constructor(canvas, stream, settings = { fps: 1, width: 320 }, onState = () => {}) {
    this.canvas = canvas;
    this.stream = stream;
    this.settings = settings;
    this.onState = onState;
    this.pictures = 0; // drawn so far
    this.capturedAt = null; // the capture time of the picture shown, ms since the epoch
    this.stopped = false;
    this.waiting = null; // the newest picture not drawn yet
    this.drawing = false;
  }

  async start() {
    this.stopped = false;
    this.onState('connecting', 'Connecting…');
    const token = await accessToken().catch(() => null);
    if (this.stopped) {
      return;
    }
    const query = new URLSearchParams(Object.entries(this.settings).map(([k, v]) => [k, String(v)]));
    if (token) {
      query.set('access_token', token);
    }
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}/live/${this.stream}/frames?${query}`);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    this.stopRefresh = onRefresh(() => sendFreshToken(socket));
    socket.onmessage = (event) => (typeof event.data === 'string' ? this.text(event.data) : this.picture(event.data));
    socket.onclose = () => {
      this.stopRefresh?.();
      if (!this.stopped && this.state !== 'limit' && this.state !== 'ended') {
        this.onState('connecting', 'Reconnecting…');
        this.retry = setTimeout(() => this.start(), RECONNECT_MS);
      }
    };
  }

  text(data) {
    const message = JSON.parse(data);
    if (message.type === 'limit') {
      this.state = 'limit';
      this.onState('limit', 'Too many viewers.');
    } else if (message.type === 'ended' || message.type === 'disconnected') {
      this.state = 'ended';
      this.onState('ended', message.message ?? 'Disconnected.');
    } else if (message.type === 'error') {
      this.onState('error', message.message);
    }
  }

  picture(data) {
    const capture = Number(new DataView(data).getBigInt64(0));
    const type = this.settings.format === 'webp' ? 'image/webp' : 'image/jpeg';
    this.waiting = { capture, blob: new Blob([data.slice(8)], { type }) };
    this.draw();
  }

  async draw() {
    if (this.drawing || !this.waiting) {
      return;
    }
    const { capture, blob } = this.waiting;
    this.waiting = null;
    this.drawing = true;
    try {
      const bitmap = await createImageBitmap(blob);
      if (!this.stopped && (this.capturedAt === null || capture >= this.capturedAt)) {
        this.canvas.width = bitmap.width;
        this.canvas.height = bitmap.height;
        this.canvas.getContext('2d').drawImage(bitmap, 0, 0);
        this.capturedAt = capture;
        this.pictures++;
        this.state = 'showing';
        this.onState('showing', new Date(capture).toLocaleTimeString());
      }
      bitmap.close();
    } catch {
      // a picture the browser cannot decode: the next one may
    } finally {
      this.drawing = false;
    }
    this.draw();
  }

  /** Other settings while connected (any of fps, width, height, quality, format). */
  set(settings) {
    this.settings = { ...this.settings, ...settings };
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ type: 'settings', ...settings }));
    }
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retry);
    this.stopRefresh?.();
    this.socket?.close();
  }
}
