// Playback of a recording in a <video>: hls.js on delivery's DVR playlists (docs/dvr.md), where a browser
// has no MSE (recordingPlayer picks; mse-dvr.js plays over the MSE socket). play(instant)
// loads the EVENT playlist from that instant to the live edge (its EXT-X-START puts hls.js on the very
// frame); seek(instant) moves within the loaded playlist when it holds the instant, else loads another;
// the wall clock of the shown frame comes from the segments' PROGRAM-DATE-TIME. Every request carries the
// current access token (segments also carry the DVR stream token the playlist gives them).

import { accessToken, bearer } from './auth.js';
import { mseAvailable } from './mse.js';
import { MseDvrPlayback } from './mse-dvr.js';

export const dvrAvailable = () => mseAvailable() || Boolean(window.Hls?.isSupported());

/**
 * A player of recordings in {@code video}: over the MSE socket where the browser has Media Source
 * Extensions (one connection for every seek and rate, keyframes only above 4x: docs/mse.md), else hls.js
 * on the DVR playlists. Both have play(instant), seek(instant), setRate(rate), shownInstant(), stop().
 */
export function recordingPlayer(video, stream, onChange) {
  return mseAvailable() ? new MseDvrPlayback(video, stream, onChange) : new DvrPlayback(video, stream, onChange);
}

/**
 * An instant typed by a user: "2026-12-07 14:30:00" (local time) or ISO-8601; ms since the epoch, or NaN.
 */
export function parseInstant(text) {
  const t = text.trim();
  return Date.parse(/^\d{4}-\d\d-\d\d \d/.test(t) ? t.replace(' ', 'T') : t);
}

/**
 * The recordings API's answer for several streams at one instant (docs/api.md): {status, body}, body
 * {at, streams: [{camera, stream, recorded, segment, offset, playlist, next}]}.
 */
export async function recordingsAt(streams, instant) {
  const query = `at=${instant.toISOString()}&streams=${streams.map(encodeURIComponent).join(',')}`;
  try {
    const response = await fetch(`/api/v1/recordings?${query}`, { headers: bearer(await accessToken()) });
    const body = await response.json().catch(() => null);
    return { status: response.status, body };
  } catch (e) {
    return { status: 0, body: { message: e.message } };
  }
}

/** The recordings API's answer for a stream over [from, to): {status, body}. */
export async function recordings(stream, from, to) {
  const [camera, name] = stream.split('/').map(encodeURIComponent);
  const query = `from=${from.toISOString()}&to=${to.toISOString()}`;
  try {
    const response = await fetch(`/api/v1/recordings/${camera}/${name}?${query}`, {
      headers: bearer(await accessToken()),
    });
    const body = await response.json().catch(() => null);
    return { status: response.status, body };
  } catch (e) {
    return { status: 0, body: { message: e.message } };
  }
}

export class DvrPlayback {
  /**
   * @param video the <video> (the live player has let go of it)
   * @param stream "camera/stream"
   * @param onChange(state, message) state: loading, playing, ended, error
   */
  constructor(video, stream, onChange = () => {}) {
    this.video = video;
    this.stream = stream;
    this.onChange = onChange;
    this.hls = null;
    this.rate = 1;
    this.onPlaying = () => {
      this.video.playbackRate = this.rate;
      this.onChange('playing', 'Playing the recording');
    };
  }

  /** Plays from {@code instant} (a Date) on, to the live edge. */
  play(instant) {
    this.stop();
    this.onChange('loading', `Loading the recording at ${instant.toLocaleString()}…`);
    const hls = new window.Hls({
      xhrSetup: async (xhr, url) => {
        const headers = bearer(await accessToken());
        xhr.open('GET', url, true);
        Object.entries(headers).forEach(([name, value]) => xhr.setRequestHeader(name, value));
      },
    });
    this.hls = hls;
    hls.on(window.Hls.Events.ERROR, (_, data) => {
      if (!data.fatal || this.hls !== hls) {
        return;
      }
      const code = data.response?.code;
      const message = code === 403 ? 'you may not watch recordings of this camera'
        : code === 404 ? 'nothing is recorded from there on'
          : code ? `HTTP ${code}` : data.details;
      this.stop();
      this.onChange('error', `The recording cannot be played: ${message}`);
    });
    this.video.addEventListener('playing', this.onPlaying);
    const [camera, name] = this.stream.split('/').map(encodeURIComponent);
    hls.loadSource(`/dvr/${camera}/${name}/index.m3u8?start=${instant.toISOString()}`);
    hls.attachMedia(this.video);
    this.video.play().catch(() => {});
  }

  /** Goes to {@code instant}: within the loaded recording if it holds it, else loads it from there. */
  seek(instant) {
    const at = this.position(instant);
    if (at === null) {
      this.play(instant);
    } else {
      this.video.currentTime = at;
      this.video.play().catch(() => {});
    }
  }

  /** The media time of {@code instant} in the loaded playlist, or null when it does not hold it. */
  position(instant) {
    const fragments = this.hls?.levels?.[this.hls.currentLevel >= 0 ? this.hls.currentLevel : 0]?.details?.fragments;
    const t = instant.getTime();
    for (const f of fragments ?? []) {
      if (f.programDateTime !== null && t >= f.programDateTime && t < f.programDateTime + f.duration * 1000) {
        return f.start + (t - f.programDateTime) / 1000;
      }
    }
    return null;
  }

  /** The wall clock of the frame shown (a Date), or null before the first. */
  shownInstant() {
    return this.hls?.playingDate ?? null;
  }

  /** Plays {@code factor} times the rate for a while (keeping tiles in step); 1 ends it. */
  nudge(factor) {
    this.video.playbackRate = this.rate * factor;
  }

  setRate(rate) {
    this.rate = rate;
    this.video.playbackRate = rate;
  }

  stop() {
    this.video.removeEventListener('playing', this.onPlaying);
    this.hls?.destroy();
    this.hls = null;
    this.video.playbackRate = 1;
  }
}
