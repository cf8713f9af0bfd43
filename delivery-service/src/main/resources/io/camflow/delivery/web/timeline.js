// The recording's timeline under the single view's player: the recorded spans and gaps of the visible
// window (a minute to a day), click or drag to play the recording from an instant, a box to go to a typed
// instant, speed, "Live" to return, the wall-clock time of the frame shown, export of a stretch as MP4, and the
// recording's thumbnails along it and under the pointer (thumbnail-strip.js).
// Keys: space pauses and plays, ← and → step 10 s. Shown only where the user may watch recordings (the
// recordings API answers); docs/dvr.md.

import { el } from './player-box.js';
import { dvrAvailable, parseInstant, recordingPlayer, recordings } from './dvr.js';
import { accessToken, authEnabled } from './auth.js';
import { createThumbnailStrip } from './thumbnail-strip.js';

const WINDOWS = [
  { label: '1 min', ms: 60_000 }, { label: '10 min', ms: 600_000 }, { label: '1 h', ms: 3_600_000 },
  { label: '6 h', ms: 21_600_000 }, { label: '24 h', ms: 86_400_000 },
];
const SPEEDS = [0.5, 1, 2, 4, 8];
const EXPORTS = [1, 5, 10, 30, 60]; // minutes
const STEP_MS = 10_000;
const REFRESH_MS = 10_000;
const LIVE_EDGE_MS = 3_000; // closer to now than this: live

/**
 * @param stream "camera/stream"
 * @param box the player box of the single view ({element, player, video})
 * @returns {element, shownInstant(), destroy()}: the element stays hidden unless the user may watch
 *   recordings; shownInstant: the wall clock (ms) of the frame shown, or null
 */
export function createTimeline(stream, box) {
  const video = box.video;
  let windowMs = WINDOWS[2].ms;
  let windowEnd = Date.now(); // follows now while live
  let spans = [];
  let playback = null; // a recording player (recordingPlayer) while the recording plays
  let destroyed = false;

  const bar = el('div', { class: 'timeline-bar', tabindex: '0', role: 'slider', 'aria-label': 'recording timeline' });
  const playhead = el('div', { class: 'timeline-playhead' });
  const thumbs = createThumbnailStrip(stream);
  const hoverTime = el('span', { class: 'timeline-hover-time' });
  const hover = el('div', { class: 'timeline-hover', hidden: true }, thumbs.preview, hoverTime);
  const from = el('span', { class: 'timeline-from' });
  const to = el('span', { class: 'timeline-to' });
  const clock = el('span', { class: 'timeline-clock', 'aria-live': 'off' });
  const live = el('button', { type: 'button', class: 'timeline-live', 'aria-pressed': 'true' }, 'Live');
  const zoom = el('select', { class: 'timeline-zoom', 'aria-label': 'timeline window' },
    WINDOWS.map((w) => el('option', { value: String(w.ms), selected: w.ms === windowMs }, w.label)));
  const speed = el('select', { class: 'timeline-speed', 'aria-label': 'speed', disabled: true },
    SPEEDS.map((s) => el('option', { value: String(s), selected: s === 1 }, `${s}×`)));
  const gotoInput = el('input', {
    name: 'goto', class: 'timeline-goto', placeholder: 'go to: 2026-12-07 14:30:00 or ISO-8601',
    autocomplete: 'off', spellcheck: 'false', 'aria-label': 'go to instant',
  });
  const gotoForm = el('form', { class: 'timeline-goto-form' }, gotoInput, el('button', { type: 'submit' }, 'Go'));
  const exportLength = el('select', { class: 'timeline-export-length', 'aria-label': 'export length' },
    EXPORTS.map((m) => el('option', { value: String(m), selected: m === 5 }, `${m} min`)));
  const exportButton = el('button', { type: 'button', class: 'timeline-export' }, 'Export MP4');
  const status = el('p', { class: 'timeline-status', role: 'status' });
  bar.append(playhead, hover);
  const element = el('div', { class: 'timeline', hidden: true, dataset: { mode: 'live' } },
    thumbs.element, bar, el('div', { class: 'timeline-scale' }, from, to),
    el('div', { class: 'timeline-controls' }, live, clock, speed, zoom, gotoForm, exportLength, exportButton),
    status);

  const isLive = () => playback === null;
  const windowStart = () => windowEnd - windowMs;
  const instantAt = (clientX) => {
    const r = bar.getBoundingClientRect();
    const x = Math.min(Math.max(clientX - r.left, 0), r.width);
    return windowStart() + (x / r.width) * windowMs;
  };
  const percent = (t) => `${((t - windowStart()) / windowMs) * 100}%`;
  const shown = () => (isLive() ? Date.now() - 1000 * (box.player.stats.latency ?? 0) : playback.shownInstant()?.getTime() ?? null);

  function render() {
    if (isLive()) {
      windowEnd = Date.now();
    } else {
      const t = shown();
      if (t !== null && (t < windowStart() || t > windowEnd)) {
        windowEnd = Math.min(Date.now(), t + windowMs / 2);
      }
    }
    const start = windowStart();
    const visible = spans.filter((s) => s.end > start && s.start < windowEnd);
    bar.replaceChildren(...visible.map((s) => el('div', {
      class: 'timeline-span',
      style: `left:${percent(Math.max(s.start, start))};width:${((Math.min(s.end, windowEnd) - Math.max(s.start, start)) / windowMs) * 100}%`,
      title: `recorded ${new Date(s.start).toLocaleString()} – ${new Date(s.end).toLocaleTimeString()}`,
    })), playhead, hover);
    thumbs.render(start, windowMs, spans);
    const t = shown();
    playhead.hidden = t === null;
    if (t !== null) {
      playhead.style.left = percent(Math.min(Math.max(t, start), windowEnd));
    }
    from.textContent = new Date(start).toLocaleString();
    to.textContent = isLive() ? 'now' : new Date(windowEnd).toLocaleString();
    clock.textContent = isLive() ? 'Live' : (t === null ? '…' : new Date(t).toLocaleString());
    clock.dataset.instant = t === null ? '' : new Date(t).toISOString();
    element.dataset.mode = isLive() ? 'live' : 'recording';
    live.setAttribute('aria-pressed', String(isLive()));
    speed.disabled = isLive();
  }

  async function refresh() {
    const answer = await recordings(stream, new Date(windowStart() - windowMs), new Date());
    if (destroyed) {
      return;
    }
    if (answer.status !== 200) {
      // 403: no dvr permission; 404: the stream is not recorded. Either way no timeline.
      element.hidden = true;
      return;
    }
    element.hidden = !dvrAvailable();
    await thumbs.refreshToken();
    spans = (answer.body.spans ?? []).map((s) => ({ start: Date.parse(s.start), end: Date.parse(s.end) }));
    render();
  }

  /** Plays the recording from {@code t} (ms), or live when {@code t} is at the live edge. */
  function seekTo(t, { paused = false } = {}) {
    if (t >= Date.now() - LIVE_EDGE_MS) {
      goLive();
      return;
    }
    if (isLive()) {
      box.player.pause('Playing the recording');
      box.element.dataset.recording = 'true'; // the live player's notice does not cover it
      playback = recordingPlayer(video, stream, (state, message) => {
        status.textContent = state === 'playing' ? '' : message;
        element.dataset.playback = state;
      });
      playback.setRate(Number(speed.value));
      playback.play(new Date(t));
    } else {
      playback.seek(new Date(t));
    }
    if (paused) {
      video.addEventListener('canplay', () => video.pause(), { once: true });
    }
    render();
  }

  function goLive() {
    if (!isLive()) {
      playback.stop();
      playback = null;
      speed.value = '1';
      status.textContent = '';
      delete element.dataset.playback;
      delete box.element.dataset.recording;
      box.player.resume();
    }
    render();
  }

  function exportClip() {
    const minutes = Number(exportLength.value);
    const end = Math.min(Date.now(), (isLive() ? Date.now() : shown() ?? Date.now()) + (isLive() ? 0 : minutes * 60_000));
    const start = end - minutes * 60_000;
    const [camera, name] = stream.split('/').map(encodeURIComponent);
    accessToken().then((token) => {
      const query = `start=${new Date(start).toISOString()}&end=${new Date(end).toISOString()}`
        + (authEnabled() && token ? `&access_token=${encodeURIComponent(token)}` : '');
      el('a', { href: `/dvr/${camera}/${name}/clip.mp4?${query}`, download: '' }).click();
    });
  }

  function onKey(event) {
    if (element.hidden || ['INPUT', 'SELECT', 'TEXTAREA'].includes(event.target?.tagName)) {
      return;
    }
    if (event.key === ' ') {
      event.preventDefault();
      if (isLive()) {
        seekTo(shown(), { paused: true }); // pausing live: the recording holds the picture
      } else if (video.paused) {
        video.play().catch(() => {});
      } else {
        video.pause();
      }
    } else if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      event.preventDefault();
      const t = shown();
      if (t !== null) {
        seekTo(t + (event.key === 'ArrowLeft' ? -STEP_MS : STEP_MS));
      }
    }
  }

  let dragging = false;
  bar.addEventListener('pointerdown', (e) => {
    dragging = true;
    bar.setPointerCapture(e.pointerId);
  });
  bar.addEventListener('pointermove', (e) => {
    const t = instantAt(e.clientX);
    hover.hidden = false;
    hover.style.left = percent(t);
    hoverTime.textContent = new Date(t).toLocaleTimeString();
    thumbs.hover(t, spans.some((s) => s.start <= t && t < s.end));
  });
  bar.addEventListener('pointerleave', () => { hover.hidden = !dragging; });
  bar.addEventListener('pointerup', (e) => {
    if (dragging) {
      dragging = false;
      hover.hidden = true;
      seekTo(instantAt(e.clientX));
    }
  });
  live.addEventListener('click', goLive);
  zoom.addEventListener('change', () => {
    windowMs = Number(zoom.value);
    refresh();
  });
  speed.addEventListener('change', () => playback?.setRate(Number(speed.value)));
  gotoForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = gotoInput.value.trim();
    const t = parseInstant(text);
    if (Number.isNaN(t)) {
      status.textContent = `Not an instant: ${text} (e.g. 2026-12-07 14:30:00, local time, or ISO-8601)`;
      return;
    }
    if (t < windowStart() || t > windowEnd) {
      windowEnd = Math.min(Date.now(), t + windowMs / 2);
    }
    seekTo(t);
  });
  exportButton.addEventListener('click', exportClip);
  document.addEventListener('keydown', onKey);
  const ticker = setInterval(render, 250);
  const refresher = setInterval(refresh, REFRESH_MS);
  refresh();

  return {
    element,
    shownInstant: shown,
    destroy() {
      destroyed = true;
      clearInterval(ticker);
      clearInterval(refresher);
      document.removeEventListener('keydown', onKey);
      playback?.stop();
      element.remove();
    },
  };
}
