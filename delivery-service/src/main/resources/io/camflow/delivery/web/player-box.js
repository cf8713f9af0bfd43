// The DOM around one Player: the video, a state line, the protocol picker (auto / MSE / HLS / what
// registerEngine adds) and the statistics overlay. Tiles and the single view differ only in options.

import { accessToken } from './auth.js';
import { Player, PROTOCOLS, describeStats, protocolLabel } from './player.js';

const PROTOCOL_KEY = 'camflow.protocol'; // the last protocol picked, a preference, not a secret
const POSTER_WIDTH = 640; // a tile's still picture: the latest keyframe, this wide at most (docs/pictures.md)

/** The URL of a stream's latest keyframe as a picture (an <img> or poster cannot send a header). */
export async function snapshotUrl(stream, width = POSTER_WIDTH) {
  const token = await accessToken().catch(() => null);
  return `/live/${stream}/snapshot.jpg?width=${width}${token ? `&access_token=${encodeURIComponent(token)}` : ''}`;
}

export const preferredProtocol = () => {
  const saved = localStorage.getItem(PROTOCOL_KEY);
  return PROTOCOLS().includes(saved) ? saved : 'auto';
};

/** Makes an element: el('div', {class: 'x', onclick: f}, child, 'text', …). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on')) {
      node.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (value === true) {
      node.setAttribute(name, '');
    } else {
      node.setAttribute(name, value);
    }
  }
  node.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

/**
 * @param stream "camera/stream"
 * @param options {tile: grid tile (stats hidden until toggled, no controls), videoId, protocol,
 *   onOpen: click on a tile's video, onChange(player)}
 * @returns {element, player, video, destroy()}
 */
export function createPlayerBox(stream, { tile = false, videoId, protocol = preferredProtocol(), onOpen, onChange } = {}) {
  const video = el('video', { id: videoId, muted: true, playsinline: true, autoplay: true, controls: !tile });
  video.muted = true; // the attribute alone does not mute a video made by script
  const stateLine = el('span', { class: 'state' });
  const stats = el('dl', { class: 'stats', hidden: tile });
  const picker = el('select', { class: 'protocol', 'aria-label': 'protocol', title: 'protocol' },
    PROTOCOLS().map((p) => el('option', { value: p, selected: p === protocol }, protocolLabel(p))));
  const statsToggle = el('button', {
    type: 'button', class: 'stats-toggle', title: 'statistics', 'aria-pressed': String(!tile),
    onclick: () => {
      stats.hidden = !stats.hidden;
      statsToggle.setAttribute('aria-pressed', String(!stats.hidden));
    },
  }, 'i');
  const notice = el('div', { class: 'notice', 'aria-hidden': 'true' }); // what keeps the picture from moving
  const screen = el('div', { class: 'screen' }, video, notice, stats);
  if (tile && onOpen) {
    screen.classList.add('clickable');
    screen.title = `open ${stream}`;
    screen.addEventListener('click', onOpen);
  }
  const element = el('div', { class: tile ? 'player-box tile-player' : 'player-box', dataset: { stream, state: 'loading' } },
    screen, el('div', { class: 'controls' }, stateLine, picker, tile ? statsToggle : null));

  const player = new Player(video, stream, {
    protocol,
    onChange: (p) => {
      element.dataset.state = p.state;
      element.dataset.protocol = p.stats.protocol ?? '';
      stateLine.textContent = tile ? shortState(p) : p.message;
      stateLine.title = p.message;
      notice.textContent = p.state === 'playing' ? '' : p.message;
      notice.hidden = p.state === 'playing' || (p.state === 'loading' && !p.attempt);
      if (!stats.hidden) {
        stats.replaceChildren(...describeStats(p).flatMap(([name, value]) =>
          [el('dt', {}, name), el('dd', { dataset: { stat: name } }, value)]));
      }
      onChange?.(p);
    },
  });
  picker.addEventListener('change', () => {
    localStorage.setItem(PROTOCOL_KEY, picker.value);
    player.setProtocol(picker.value);
  });
  // a tile shows the camera's latest keyframe while its video starts, and again when it is paused
  const showPoster = () => snapshotUrl(stream).then((url) => { video.poster = url; }, () => {});
  if (tile) {
    showPoster();
  }
  player.start();
  return {
    element, player, video, showPoster,
    destroy() {
      player.stop();
      element.remove();
    },
  };
}

function shortState(player) {
  switch (player.state) {
    case 'playing': return 'live';
    case 'offline': return 'camera offline';
    case 'limit': return 'too many viewers';
    case 'paused': return 'paused';
    case 'denied': return 'not allowed';
    case 'reconnecting': return 'reconnecting…';
    case 'error': return 'unavailable';
    default: return 'loading…';
  }
}
