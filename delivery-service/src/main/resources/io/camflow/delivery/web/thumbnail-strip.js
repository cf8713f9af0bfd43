// The timeline's pictures (timeline.js): one thumbnail per slot of the visible window, the one the packager
// sampled nearest the slot's first recorded instant, and the picture under the pointer while it hovers over
// the bar. The pictures are small JPEGs the packager took once per interval (docs/pictures.md, "Timeline
// thumbnails"): nothing is decoded for a viewer, and a slot's URL stays the same while it is on screen, so
// the browser asks for each once.

import { el } from './player-box.js';
import { accessToken, authEnabled } from './auth.js';

const TILE_PX = 96;
const SAMPLE_MS = 10_000; // instants round to this (packager.thumbnailInterval's default): URLs repeat

/** The URL of the thumbnail of {@code stream} ("camera/stream") nearest {@code t} (ms). */
export function thumbnailUrl(stream, t, token) {
  const [camera, name] = stream.split('/').map(encodeURIComponent);
  const at = new Date(Math.round(t / SAMPLE_MS) * SAMPLE_MS).toISOString();
  return `/dvr/${camera}/${name}/thumbnail.jpg?at=${at}${token ? `&access_token=${encodeURIComponent(token)}` : ''}`;
}

/**
 * @param stream "camera/stream"
 * @returns {element, preview, url(t), refreshToken(), render(start, windowMs, spans), hover(t, recorded)}:
 *   preview is the hover label's img; spans: [{start, end}] in ms
 */
export function createThumbnailStrip(stream) {
  const element = el('div', { class: 'timeline-thumbs', 'aria-hidden': 'true' });
  const preview = el('img', { class: 'timeline-preview', alt: '', hidden: true });
  preview.addEventListener('error', () => { preview.hidden = true; });
  preview.addEventListener('load', () => { preview.hidden = false; });
  const tiles = new Map(); // instant asked (ms) -> img
  let token = null;

  const url = (t) => thumbnailUrl(stream, t, token);

  function tile(at) {
    const img = el('img', { class: 'timeline-thumb', alt: '', loading: 'lazy', dataset: { at: new Date(at).toISOString() } });
    img.addEventListener('error', () => { img.hidden = true; }); // none taken near it: an empty slot
    img.src = url(at);
    return img;
  }

  return {
    element,
    preview,
    url,
    async refreshToken() {
      token = authEnabled() ? await accessToken() : null;
    },
    /** Lays the tiles out for the window [start, start + windowMs): a tile per slot that has a recording. */
    render(start, windowMs, spans) {
      const width = element.clientWidth;
      if (!width) {
        return;
      }
      const slots = Math.max(1, Math.floor(width / TILE_PX));
      const step = Math.ceil(windowMs / slots / SAMPLE_MS) * SAMPLE_MS;
      const seen = new Set();
      for (let slot = Math.floor(start / step) * step; slot < start + windowMs; slot += step) {
        const span = spans.find((s) => s.end > slot && s.start < slot + step);
        if (!span) {
          continue;
        }
        const at = Math.round(Math.max(slot, span.start) / SAMPLE_MS) * SAMPLE_MS;
        seen.add(at);
        let img = tiles.get(at);
        if (!img) {
          img = tile(at);
          tiles.set(at, img);
          element.append(img);
        }
        img.style.left = `${((slot - start) / windowMs) * 100}%`;
        img.style.width = `${(step / windowMs) * 100}%`;
      }
      for (const [at, img] of tiles) {
        if (!seen.has(at)) {
          img.remove();
          tiles.delete(at);
        }
      }
    },
    /** Shows the picture nearest {@code t} in the hover label, or none outside the recording. */
    hover(t, recorded) {
      if (!recorded) {
        preview.hidden = true;
        return;
      }
      const src = url(t);
      if (preview.getAttribute('src') !== src) {
        preview.src = src;
      }
    },
  };
}
