// The grid: one live tile (muted, autoplay) per camera the user may watch; a click opens the single view.
// A tile plays the camera's smallest stream (the "sub" stream NVRs keep for grids), the single view its
// main stream. A tile scrolled out of sight, or in a tab left in the background, stops after a grace
// period so a grid of many cameras only pulls what is on screen; it starts again when seen.

import { createPlayerBox, el } from './player-box.js';

const OFF_SCREEN_STOP_MS = 5_000; // a tile out of sight this long stops playing
const HIDDEN_TAB_STOP_MS = 30_000; // a tab in the background this long stops all its tiles

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
  const visible = new Set(); // tiles' elements now on screen
  const timers = new Map(); // element → timer that pauses its tile
  const tileOf = (element) => grid.tiles.find((t) => t.element === element);
  const shouldPlay = (element) => (!observer || visible.has(element)) && !document.hidden;
  // Called whenever visibility may have changed: starts what is seen, schedules a pause for the rest.
  const settle = (element) => {
    const tile = tileOf(element);
    if (!tile || tile.dvr) {
      return; // a tile playing a recording (recorded-grid.js) is left alone
    }
    clearTimeout(timers.get(element));
    timers.delete(element);
    if (shouldPlay(element)) {
      tile.box.player.resume();
    } else if (!tile.box.player.stopped) {
      const why = document.hidden ? 'in a background tab' : 'off screen';
      timers.set(element, setTimeout(() => {
        timers.delete(element);
        if (!shouldPlay(element)) {
          tile.box.player.pause(`Paused while ${why}.`);
          tile.box.showPoster(); // the picture as it is now, not the one from when the tile began
        }
      }, document.hidden ? HIDDEN_TAB_STOP_MS : OFF_SCREEN_STOP_MS));
    }
  };
  const observer = typeof IntersectionObserver === 'function'
    ? new IntersectionObserver((entries) => entries.forEach((entry) => {
      if (entry.isIntersecting) {
        visible.add(entry.target);
      } else {
        visible.delete(entry.target);
      }
      settle(entry.target);
    }))
    : null;
  const onVisibility = () => grid.tiles.forEach((t) => settle(t.element));
  document.addEventListener('visibilitychange', onVisibility);
  const forget = (tile) => {
    observer?.unobserve(tile.element);
    visible.delete(tile.element);
    clearTimeout(timers.get(tile.element));
    timers.delete(tile.element);
    tile.box.destroy();
  };
  const grid = {
    tiles: [],
    update(next) {
      const kept = new Map(grid.tiles.map((t) => [`${t.camera}/${t.stream}`, t]));
      grid.tiles = next.map((camera) => {
        const key = `${camera.id}/${tileStream(camera)}`;
        let tile = kept.get(key);
        if (!tile) {
          tile = makeTile(camera);
          if (observer) {
            visible.add(tile.element); // until the observer says otherwise: a new tile starts at once
            observer.observe(tile.element);
          }
        }
        kept.delete(key);
        return tile;
      });
      kept.forEach(forget);
      const elements = grid.tiles.map((t) => t.element);
      if (elements.length !== container.children.length || elements.some((e, i) => container.children[i] !== e)) {
        container.replaceChildren(...elements); // a moved video is back in the page at once: it plays on
      }
    },
    destroy() {
      document.removeEventListener('visibilitychange', onVisibility);
      grid.tiles.forEach(forget);
      observer?.disconnect();
      grid.tiles = [];
      container.replaceChildren();
    },
  };
  grid.update(cameras);
  return grid;
}
