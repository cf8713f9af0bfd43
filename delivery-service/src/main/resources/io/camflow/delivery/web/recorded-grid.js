// The grid's cameras played from one instant of their recordings, in step: the recordings API resolves the
// instant across the tiles' streams (a tile's own stream if it is recorded then, else the camera's main
// stream), each tile's live player stops and its video plays the recording from the instant (DvrPlayback),
// and every 2 s a tile that drifted more than 0.4 s from the first is moved back to it. stop() returns
// every tile to live. docs/web-viewer.md.

import { DvrPlayback, recordingsAt } from './dvr.js';
import { mainStream } from './grid.js';

const STEP_CHECK_MS = 2_000;
const MAX_DRIFT_MS = 400;
const BATCH = 16; // streams per recordings call

/**
 * @param grid renderGrid's grid: its tiles {camera, stream, box}
 * @param cameras the cameras as the grid got them (for their main streams)
 * @param instant a Date
 * @param onStatus(text) what the grid's status line says
 * @returns {stop()}
 */
export async function playInStep(grid, cameras, instant, onStatus) {
  const tiles = grid.tiles.slice();
  const candidates = (tile) => {
    const camera = cameras.find((c) => c.id === tile.camera);
    return [...new Set([tile.stream, camera ? mainStream(camera) : 'main'])].map((s) => `${tile.camera}/${s}`);
  };
  const names = [...new Set(tiles.flatMap(candidates))];
  const answers = new Map();
  for (let i = 0; i < names.length; i += BATCH) {
    const answer = await recordingsAt(names.slice(i, i + BATCH), instant);
    if (answer.status !== 200) {
      onStatus(`Cannot look up the recordings (HTTP ${answer.status}).`);
      return { stop() {} };
    }
    answer.body.streams.forEach((s) => answers.set(`${s.camera}/${s.stream}`, s));
  }
  const playing = [];
  const missing = [];
  for (const tile of tiles) {
    const stream = candidates(tile).find((n) => answers.get(n)?.recorded);
    if (!stream) {
      missing.push(tile.camera);
      continue;
    }
    tile.box.player.pause('Playing the recording');
    tile.box.element.dataset.recording = 'true';
    tile.dvr = new DvrPlayback(tile.box.video, stream, (state) => { tile.box.element.dataset.playback = state; });
    tile.dvr.play(instant);
    playing.push(tile);
  }
  onStatus(`Recordings at ${instant.toLocaleString()}: ${playing.length} playing`
    + (missing.length ? `; not recorded then: ${missing.join(', ')}` : ''));
  const keepInStep = setInterval(() => {
    const [lead, ...others] = playing.filter((t) => t.dvr?.shownInstant());
    if (!lead) {
      return;
    }
    const at = lead.dvr.shownInstant();
    for (const tile of others) {
      if (Math.abs(tile.dvr.shownInstant() - at) > MAX_DRIFT_MS) {
        tile.dvr.seek(new Date(at.getTime() + 150)); // the lead moves on while this one seeks
      }
    }
  }, STEP_CHECK_MS);
  return {
    stop() {
      clearInterval(keepInStep);
      for (const tile of playing) {
        tile.dvr?.stop();
        tile.dvr = null;
        delete tile.box.element.dataset.recording;
        delete tile.box.element.dataset.playback;
        tile.box.player.resume();
      }
    },
  };
}
