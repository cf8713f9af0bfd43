// The picture wall (#/wall): every camera the user may watch as a canvas showing a picture a second over the
// frames socket (frames.js) — many cameras at once where as many video players would not fit. A click opens
// the camera's single view.

import { tileStream, mainStream } from './grid.js';
import { el } from './player-box.js';
import { FramesCanvas } from './frames.js';

const WALL_SETTINGS = { fps: 1, width: 320 };

/** Fills container with a canvas tile per camera; returns {tiles: [{camera, stream, frames}], destroy()}. */
export function renderWall(container, cameras, open) {
  const tiles = cameras.map((camera) => {
    const stream = tileStream(camera);
    const canvas = el('canvas', { class: 'wall-picture', width: 320, height: 180, title: `open ${camera.id}` });
    const state = el('span', { class: 'state' }, 'connecting…');
    const element = el('figure', { class: 'tile wall-tile', dataset: { camera: camera.id } },
      el('figcaption', {}, el('a', { href: `#/watch/${camera.id}/${mainStream(camera)}`, class: 'tile-name' }, camera.id), ' ', state),
      canvas);
    canvas.addEventListener('click', () => open(camera.id, mainStream(camera)));
    const frames = new FramesCanvas(canvas, `${camera.id}/${stream}`, WALL_SETTINGS, (s, message) => {
      element.dataset.state = s;
      state.textContent = message;
    });
    frames.start();
    return { camera: camera.id, stream, element, frames };
  });
  container.replaceChildren(...tiles.map((t) => t.element));
  return {
    tiles,
    destroy() {
      tiles.forEach((t) => t.frames.stop());
      container.replaceChildren();
    },
  };
}
