// The grid: one live tile (muted, autoplay) per camera the user may watch; a click opens the single view.
// A tile plays the camera's smallest stream (the "sub" stream NVRs keep for grids), the single view its
// main stream.

import { createPlayerBox, el } from './player-box.js';

/** The stream a tile plays: the one with the fewest pixels when sizes are known, else the first. */
export function tileStream(camera) {
  const streams = camera.streams?.length ? camera.streams : [{ name: 'main' }];
  const area = (s) => (s.width && s.height ? s.width * s.height : Infinity);
  return [...streams].sort((a, b) => area(a) - area(b))[0].name;
}

/** The stream the single view starts with: "main" if there is one, else the first. */
export function mainStream(camera) {
  const streams = camera.streams?.length ? camera.streams : [{ name: 'main' }];
  return (streams.find((s) => s.name === 'main') ?? streams[0]).name;
}

/**
 * Fills container with a tile per camera, in the order given.
 * @param cameras [{id, streams}] as api.watchableCameras gives them
 * @param open (camera id, stream name) → shows the single view
 * @returns {tiles: [{camera, stream, box, element}], update(cameras), destroy()}; update keeps the tiles
 *   of cameras still listed (their players go on) and adds and removes the others
 */
export function renderGrid(container, cameras, open) {
  const makeTile = (camera) => {
    const stream = tileStream(camera);
    const box = createPlayerBox(`${camera.id}/${stream}`, { tile: true, onOpen: () => open(camera.id, mainStream(camera)) });
    const title = el('a', { href: `#/watch/${camera.id}/${mainStream(camera)}`, class: 'tile-name' }, camera.id);
    const element = el('figure', { class: 'tile', dataset: { camera: camera.id } }, el('figcaption', {}, title), box.element);
    return { camera: camera.id, stream, box, element };
  };
  const grid = {
    tiles: [],
    update(next) {
      const kept = new Map(grid.tiles.map((t) => [`${t.camera}/${t.stream}`, t]));
      grid.tiles = next.map((camera) => {
        const key = `${camera.id}/${tileStream(camera)}`;
        const tile = kept.get(key) ?? makeTile(camera);
        kept.delete(key);
        return tile;
      });
      kept.forEach((t) => t.box.destroy());
      const elements = grid.tiles.map((t) => t.element);
      if (elements.length !== container.children.length || elements.some((e, i) => container.children[i] !== e)) {
        container.replaceChildren(...elements); // a moved video is back in the page at once: it plays on
      }
    },
    destroy() {
      grid.tiles.forEach((t) => t.box.destroy());
      grid.tiles = [];
      container.replaceChildren();
    },
  };
  grid.update(cameras);
  return grid;
}
