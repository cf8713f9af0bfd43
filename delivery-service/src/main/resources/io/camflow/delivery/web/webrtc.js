// The WebRTC engine: WHEP (POST an SDP offer to /live/<camera>/<stream>/whep, the answer comes back with a
// Location to DELETE at the end). The server is ICE-lite and puts its candidates in the answer, so the offer
// goes out at once, without waiting for our own candidates. A connection that is not up within
// CONNECT_MS counts as "WebRTC cannot connect here" (UDP blocked, no route): the player falls back to MSE.
// The session runs on the access token of the offer: after each refresh the fresh token is POSTed to the
// Location (no body), so the server does not end the session when the old one expires (docs/webrtc.md).

import { accessToken, bearer, onRefresh } from './auth.js';

const CONNECT_MS = 5_000;
const STATS_MS = 1_000;
// A MediaStream's currentTime runs on without pictures: the camera counts as lost when no frame was
// decoded for this long (the session stays; frames flowing again bring the picture back).
const NO_FRAMES_MS = 2_500;

export const webrtcAvailable = () => typeof window.RTCPeerConnection === 'function';

export class WebRtcEngine {
  /**
   * @param events {bytes(n), offline(), online(), failed({kind, message, code})}; failed kinds: unavailable (cannot play WebRTC
   *   here: the player tries the next protocol), denied, throttled, limit, lost (reconnect)
   */
  constructor(video, stream, events) {
    this.name = 'webrtc';
    this.video = video;
    this.stream = stream;
    this.events = events;
    this.pc = null;
    this.location = null;
    this.connected = false;
    this.stopped = false;
    this.timer = null;
    this.connectTimer = null;
    this.lastBytes = 0;
    this.behind = null;
    this.frames = 0;
    this.framesAt = 0;
    this.offline = false;
    this.stopRefresh = null; // unsubscribes from token refreshes
    this.tokenTimer = null; // a renewal that failed for a passing reason, tried again
  }

  async start() {
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
    this.pc = pc;
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    const media = new MediaStream();
    pc.ontrack = (event) => {
      media.addTrack(event.track);
      if (this.video.srcObject !== media) {
        this.video.srcObject = media;
      }
      this.video.play().catch(() => {});
    };
    pc.onconnectionstatechange = () => this.connectionChanged();
    let answer;
    try {
      await pc.setLocalDescription(await pc.createOffer());
      const token = await accessToken();
      if (this.stopped) {
        return;
      }
      const response = await fetch(`/live/${this.stream}/whep`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/sdp', ...bearer(token) },
        body: pc.localDescription.sdp,
      });
      if (this.stopped) {
        return;
      }
      if (response.status !== 201) {
        const why = (await response.text().catch(() => '')).trim().slice(0, 200);
        this.refused(response.status, why);
        return;
      }
      const location = response.headers.get('Location');
      this.location = location ? new URL(location, window.location.href).href : null;
      if (token && this.location) {
        this.stopRefresh = onRefresh(() => this.renew());
      }
      answer = await response.text();
      await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    } catch (e) {
      this.fail('unavailable', `WebRTC could not start: ${e.message}`);
      return;
    }
    this.connectTimer = setTimeout(() => {
      if (!this.connected) {
        this.fail('unavailable', 'WebRTC could not connect (UDP blocked?)');
      }
    }, CONNECT_MS);
    this.timer = setInterval(() => this.sample(), STATS_MS);
  }

  /** The fresh access token to the session's Location: 204, or the server ended the session (401/403). */
  async renew() {
    clearTimeout(this.tokenTimer);
    const session = this.location;
    const token = await accessToken().catch(() => null);
    if (!token || !session || this.stopped) {
      return;
    }
    const response = await fetch(session, { method: 'POST', headers: bearer(token) }).catch(() => null);
    if (this.stopped || response?.status === 204 || response?.status === 404) {
      return; // renewed, or the session is gone already (the connection state says so)
    }
    if (response?.status === 401 || response?.status === 403) {
      this.fail('denied', `the session ended (${response.status}): ${(await response.text().catch(() => '')).trim().slice(0, 200)}`,
        response.status);
    } else { // network trouble or 503: the old token still carries the session for a while
      this.tokenTimer = setTimeout(() => this.renew(), 5_000);
    }
  }

  refused(status, why) {
    const detail = why ? `: ${why}` : '';
    if (status === 401 || status === 403) {
      this.fail('denied', `refused (${status})${detail}`, status);
    } else if (status === 429) {
      this.fail('throttled', 'too many refused requests', status);
    } else if (status === 503 && /viewer/i.test(why)) {
      this.fail('limit', 'too many viewers', status);
    } else {
      // 404 (no WHEP here, or no such stream: MSE says which), 406/415/422 (no common codec, B-frames), 5xx
      this.fail('unavailable', `WebRTC refused (${status})${detail}`, status);
    }
  }

  connectionChanged() {
    const state = this.pc?.connectionState;
    if (state === 'connected') {
      this.connected = true;
      clearTimeout(this.connectTimer);
    } else if (state === 'failed' || state === 'closed') {
      this.fail(this.connected ? 'lost' : 'unavailable', `the WebRTC connection ${state}`);
    }
  }

  async sample() {
    if (!this.pc || this.stopped) {
      return;
    }
    const report = await this.pc.getStats().catch(() => null);
    report?.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        const bytes = s.bytesReceived ?? 0;
        if (bytes > this.lastBytes) {
          this.events.bytes(bytes - this.lastBytes);
        }
        this.lastBytes = bytes;
        // what the jitter buffer holds back on average: the delay this end adds
        this.behind = s.jitterBufferEmittedCount ? s.jitterBufferDelay / s.jitterBufferEmittedCount : null;
        this.watchFrames(s.framesDecoded ?? 0);
      }
    });
  }

  /** Tells offline when decoded frames stop growing, online when they grow again. */
  watchFrames(decoded) {
    const now = Date.now();
    if (decoded > this.frames) {
      this.frames = decoded;
      this.framesAt = now;
      if (this.offline) {
        this.offline = false;
        this.events.online();
      }
    } else if (this.frames > 0 && !this.offline && now - this.framesAt > NO_FRAMES_MS) {
      this.offline = true;
      this.events.offline();
    }
  }

  /** Seconds the receiver holds frames before showing them (its jitter buffer). */
  latency() {
    return this.behind;
  }

  fail(kind, message, code) {
    if (this.stopped) {
      return;
    }
    this.stop();
    this.events.failed({ kind, message, code });
  }

  stop() {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.connectTimer);
    clearTimeout(this.tokenTimer);
    this.stopRefresh?.();
    this.stopRefresh = null;
    const session = this.location; // ends the session now rather than at the consent timeout
    this.location = null;
    if (session) {
      accessToken().catch(() => null).then((token) => fetch(session,
        { method: 'DELETE', headers: bearer(token), keepalive: true }).catch(() => {}));
    }
    this.pc?.close();
    this.pc = null;
    if (this.video.srcObject) {
      this.video.srcObject = null;
    }
  }
}
