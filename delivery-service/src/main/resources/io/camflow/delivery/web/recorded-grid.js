// The grid's cameras played from one instant of their recordings, in step: the recordings API resolves the
// instant across the tiles' streams (a tile's own stream if it is recorded then, else the camera's main
// stream), each tile's live player stops and its video plays the recording from the instant (recordingPlayer),
// and twice a second a tile more than half a frame from the first plays up to 20 % faster or slower to close
// the gap within a second (more than 0.4 s: it seeks). stop() returns every tile to live. docs/web-viewer.md.

import { recordingPlayer, recordingsAt } from './dvr.js';
import { mainStream } from './grid.js';

const STEP_CHECK_MS = 500;
const MAX_DRIFT_MS = 400; // further apart than this: seek
const SEEK_SETTLE_MS = 2_000; // a tile that seeked is left alone this long
const NUDGE_DRIFT_MS = 20; // further apart than this (half a frame): play a little faster or slower
const NUDGE_OVER_MS = 1_000; // a nudge closes the drift over this long
const MAX_NUDGE = 0.2; // at most 20 % faster or slower
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
    tile.dvr = recordingPlayer(tile.box.video, stream, (state) => { tile.box.element.dataset.playback = state; });
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
      if (Date.now() - (tile.seekedAt ?? 0) < SEEK_SETTLE_MS) {
        continue;
      }
      const drift = tile.dvr.shownInstant() - at; // ms this tile is ahead of the lead
      if (Math.abs(drift) > MAX_DRIFT_MS) {
        tile.dvr.nudge(1);
        tile.seekedAt = Date.now();
        tile.dvr.seek(new Date(at.getTime() + 300)); // the lead moves on while this one seeks
      } else if (Math.abs(drift) > NUDGE_DRIFT_MS) {
        tile.dvr.nudge(1 - Math.max(-MAX_NUDGE, Math.min(MAX_NUDGE, drift / NUDGE_OVER_MS)));
      } else {
        tile.dvr.nudge(1);
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
