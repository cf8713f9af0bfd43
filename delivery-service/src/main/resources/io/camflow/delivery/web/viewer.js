// camflow's web viewer: logs in through Keycloak (auth.js), then shows one of four views chosen by the
// address: the grid of cameras (#/), the picture wall (#/wall), one camera with its recording's timeline (#/watch/<camera>/<stream>,
// or ?stream=<camera>/<stream> from the older links), the admin page (#/admin, admins only).
// docs/web-viewer.md describes it all.

import {
  LoginError, authEnabled, canLogIn, forget, loggedIn, login, logout, onSessionEnd, redirectUri, secureAddress,
  startSession, userName,
} from './auth.js';
import { watchableCameras } from './api.js';
import { renderGrid } from './grid.js';
import { renderWall } from './wall.js';
import { createPlayerBox, el } from './player-box.js';
import { renderAdmin } from './admin.js';
import { createTimeline } from './timeline.js';
import { playInStep } from './recorded-grid.js';
import { parseInstant } from './dvr.js';

const $ = (id) => document.getElementById(id);
const ui = {
  login: $('login'), logout: $('logout'), user: $('user'), status: $('status'), navAdmin: $('nav-admin'),
  nav: $('nav'), gridView: $('grid-view'), grid: $('grid'), cameras: $('cameras'), openForm: $('player'),
  stream: $('stream'), singleView: $('single-view'), singleTitle: $('single-title'), singleStreams: $('single-streams'),
  singlePlayer: $('single-player'), adminView: $('admin-view'), secure: $('secure'), secureLink: $('secure-link'),
  gridTime: $('grid-time'), gridAt: $('grid-at'), gridLive: $('grid-live'), wallView: $('wall-view'), wall: $('wall'),
};
const PART = '[a-z0-9][a-z0-9_-]{0,63}';
const STREAM_NAME = new RegExp(`^${PART}/${PART}$`); // <camera>/<stream>
const WATCH = new RegExp(`^#/watch/(${PART})/(${PART})$`);
const GRID_REFRESH_MS = 30_000; // the grid asks for the camera list again this often (cameras added, access granted)

let state = 'login';
let view = null; // 'grid' | 'single' | 'wall' | 'admin'
let shown = null; // what the current view must undo: {destroy()}
let generation = 0; // counts views shown: a view that awaited something checks it is still the one shown
let grid = null;
let wall = null; // the picture wall (wall.js)
let single = null; // the single view's player box
let timeline = null; // the single view's recording timeline
let current = ''; // the stream the single view plays
let who = null; // watchableCameras()'s answer
let whoLoading = null; // the call in flight or done

/** The cameras and admin flag; asked again when fresh (the grid shows the newest list). */
function loadWho(fresh = false) {
  if (fresh || !whoLoading) {
    whoLoading = watchableCameras().then((answer) => {
      who = answer;
      ui.navAdmin.hidden = !answer.admin;
      return answer;
    });
  }
  return whoLoading;
}

window.camflowViewer = {
  get state() { return state; },
  get stream() { return current; },
  get view() { return view; },
  /** The single view's video, else the first tile's. */
  get video() { return single?.video ?? grid?.tiles[0]?.box.video ?? $('video'); },
  get player() { return single?.player ?? null; },
  /** The single view's recording timeline: shownInstant() is the wall clock of the frame shown. */
  get timeline() { return timeline; },
  /** The picture wall's tiles as tests see them. */
  get wall() {
    return (wall?.tiles ?? []).map((t) => ({
      camera: t.camera, stream: `${t.camera}/${t.stream}`, pictures: t.frames.pictures, capturedAt: t.frames.capturedAt,
      state: t.frames.state ?? null,
    }));
  },
  /** The grid's tiles as tests see them. */
  get tiles() {
    return (grid?.tiles ?? []).map((t) => ({
      camera: t.camera, stream: `${t.camera}/${t.stream}`, state: t.box.player.state,
      protocol: t.box.player.stats.protocol, currentTime: t.box.video.currentTime,
      firstPlayingMs: t.box.player.firstPlayingMs, latency: t.box.player.stats.latency,
      frames: t.box.video.getVideoPlaybackQuality().totalVideoFrames,
      recording: Boolean(t.dvr), shownInstant: t.dvr?.shownInstant()?.getTime() ?? null,
    }));
  },
};

function setStatus(next, text) {
  state = next;
  ui.status.dataset.state = next;
  ui.status.textContent = text;
}

function clearView() {
  generation++;
  shown?.destroy();
  shown = grid = single = timeline = wall = null;
  current = '';
  ui.gridView.hidden = ui.singleView.hidden = ui.adminView.hidden = ui.wallView.hidden = true;
}

// ---- views ----------------------------------------------------------------------------------------

async function showGrid() {
  clearView();
  const mine = generation;
  view = 'grid';
  ui.gridView.hidden = false;
  setStatus('loading', 'Loading your cameras…');
  await loadWho(true);
  if (mine !== generation) {
    return; // another view (or another grid) was shown while loading
  }
  ui.openForm.hidden = !who.admin;
  if (who.source === 'none') {
    setStatus(who.status === 401 || who.status === 403 ? 'denied' : 'error',
      who.status === 401 ? 'This server did not accept your login. Log in again.' : `Cannot load your cameras (${who.error}).`);
    return;
  }
  grid = renderGrid(ui.grid, who.cameras, (camera, stream) => { location.hash = `#/watch/${camera}/${stream}`; });
  const tiles = grid;
  const refresh = setInterval(async () => {
    const answer = await loadWho(true);
    if (mine === generation && answer.source !== 'none') {
      tiles.update(answer.cameras);
      if (!inStep) {
        showGridState(answer);
      }
    }
  }, GRID_REFRESH_MS);
  let inStep = null; // the tiles playing recordings from one instant (recorded-grid.js)
  const live = () => {
    inStep?.stop();
    inStep = null;
    ui.gridLive.hidden = true;
    showGridState(who);
  };
  const onTime = async (event) => {
    event.preventDefault();
    const t = parseInstant(ui.gridAt.value);
    if (Number.isNaN(t) || t > Date.now()) {
      setStatus('error', `Not an instant in the past: ${ui.gridAt.value} (e.g. 2026-12-07 14:30:00, local time)`);
      return;
    }
    inStep?.stop();
    ui.gridLive.hidden = false;
    const started = await playInStep(tiles, who.cameras, new Date(t), (text) => setStatus('recordings', text));
    if (mine === generation && !ui.gridLive.hidden) {
      inStep = started;
    } else {
      started.stop();
    }
  };
  ui.gridTime.addEventListener('submit', onTime);
  ui.gridLive.addEventListener('click', live);
  shown = {
    destroy() {
      ui.gridTime.removeEventListener('submit', onTime);
      ui.gridLive.removeEventListener('click', live);
      inStep?.stop();
      ui.gridLive.hidden = true;
      clearInterval(refresh);
      tiles.destroy();
    },
  };
  showGridState(who);
}

async function showWall() {
  clearView();
  const mine = generation;
  view = 'wall';
  ui.wallView.hidden = false;
  setStatus('loading', 'Loading your cameras…');
  await loadWho(true);
  if (mine !== generation) {
    return;
  }
  if (who.source === 'none') {
    setStatus('error', `Cannot load your cameras (${who.error ?? who.status}).`);
    return;
  }
  wall = renderWall(ui.wall, who.cameras, (camera, stream) => { location.hash = `#/watch/${camera}/${stream}`; });
  shown = wall;
  setStatus('wall', `${who.cameras.length} camera${who.cameras.length === 1 ? '' : 's'}, a picture a second`);
}

function showGridState(list) {
  if (list.cameras.length) {
    ui.cameras.hidden = true;
    setStatus('grid', `${list.cameras.length} camera${list.cameras.length > 1 ? 's' : ''}`);
  } else {
    ui.cameras.hidden = false;
    ui.cameras.textContent = list.admin
      ? 'No camera is listed for you: as an administrator you may open any stream by name above.'
      : 'You may not watch any camera yet. Ask an administrator for access.';
    setStatus('empty', 'No cameras.'); // #cameras says why
  }
}

function showSingle(stream) {
  clearView();
  view = 'single';
  current = stream;
  ui.singleView.hidden = false;
  const [camera, streamName] = stream.split('/');
  ui.singleTitle.textContent = camera;
  const known = who?.cameras.find((c) => c.id === camera)?.streams ?? [];
  const names = [...new Set([streamName, ...known.map((s) => s.name)])];
  ui.singleStreams.replaceChildren(...names.map((n) => el('option', { value: n, selected: n === streamName }, n)));
  ui.singleStreams.hidden = names.length < 2;
  setStatus('loading', `Loading ${stream}…`);
  single = createPlayerBox(stream, {
    videoId: 'video',
    onChange: (p) => {
      if (single?.player === p && p.state !== state) {
        setStatus(p.state, p.message);
      } else if (single?.player === p && p.message !== ui.status.textContent) {
        ui.status.textContent = p.message;
      }
    },
  });
  const box = single;
  const line = createTimeline(stream, box);
  timeline = line;
  ui.singlePlayer.replaceChildren(box.element, line.element);
  shown = {
    destroy() {
      line.destroy();
      box.destroy();
    },
  };
}

function showAdmin() {
  clearView();
  view = 'admin';
  ui.adminView.hidden = false;
  setStatus('admin', 'Administration');
  shown = renderAdmin(ui.adminView);
}

async function route() {
  if (!loggedIn()) {
    return;
  }
  const hash = location.hash;
  const watch = WATCH.exec(hash);
  const legacy = new URLSearchParams(location.search).get('stream');
  if (watch) {
    showSingle(`${watch[1]}/${watch[2]}`);
  } else if (hash === '#/wall') {
    showWall();
  } else if (hash === '#/admin') {
    const before = generation;
    await loadWho();
    if (before !== generation) {
      return; // another view was shown meanwhile
    }
    if (who.admin) {
      showAdmin();
    } else {
      location.hash = '#/';
    }
  } else if ((!hash || hash === '#') && legacy) {
    if (STREAM_NAME.test(legacy)) {
      showSingle(legacy);
    } else {
      clearView();
      setStatus('error', 'Enter a stream as camera/stream, e.g. demo/main');
    }
  } else {
    showGrid();
  }
}

// ---- login state ----------------------------------------------------------------------------------

function showLoggedIn() {
  ui.user.textContent = userName();
  ui.login.hidden = true;
  ui.user.hidden = ui.logout.hidden = !authEnabled();
  ui.nav.hidden = false;
}

function showLoggedOut(status, message) {
  clearView();
  view = null;
  ui.user.textContent = '';
  ui.login.hidden = false;
  ui.user.hidden = ui.logout.hidden = ui.nav.hidden = ui.navAdmin.hidden = ui.openForm.hidden = true;
  ui.cameras.hidden = true;
  setStatus(status, message);
}

/**
 * A page opened over plain HTTP from another machine cannot log in (no Web Crypto outside secure contexts):
 * say so, and where the same page is served over HTTPS, instead of a login that would fail.
 */
function showNeedsHttps() {
  showLoggedOut('insecure', 'Logging in needs a secure connection: this page came over plain HTTP from another '
    + 'machine, and browsers keep the cryptography the login uses from such pages.');
  ui.login.hidden = true;
  const https = secureAddress();
  if (https) {
    ui.secureLink.href = https;
    ui.secureLink.textContent = https;
    ui.secure.hidden = false;
  }
}

async function start() {
  ui.login.addEventListener('click', () => login().catch((e) => setStatus('error', `Login failed: ${e.message}`)));
  ui.logout.addEventListener('click', () => {
    clearView();
    logout();
  });
  ui.openForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = ui.stream.value.trim();
    if (STREAM_NAME.test(name)) {
      location.hash = `#/watch/${name}`;
    } else {
      setStatus('error', 'Enter a stream as camera/stream, e.g. demo/main');
    }
  });
  ui.singleStreams.addEventListener('change', () => {
    location.hash = `#/watch/${current.split('/')[0]}/${ui.singleStreams.value}`;
  });
  onSessionEnd((message) => showLoggedOut('login', message));
  window.addEventListener('hashchange', () => {
    if (new URLSearchParams(location.search).has('stream')) { // an old ?stream= link: the hash rules now
      history.replaceState(null, '', redirectUri() + location.hash);
    }
    route();
  });
  try {
    await startSession(() => setStatus('loading', 'Logging in…'));
  } catch (e) {
    if (!(e instanceof LoginError)) {
      setStatus('error', e.message);
      return;
    }
    if (!e.sessionEnded) { // else the session-end listener has said so
      forget();
      showLoggedOut('error', `Login failed: ${e.message}`);
    }
    return;
  }
  if (!loggedIn()) {
    if (canLogIn()) {
      showLoggedOut('login', 'Log in to watch.');
    } else {
      showNeedsHttps();
    }
    return;
  }
  showLoggedIn();
  ui.stream.value = 'demo/main';
  route();
  loadWho(); // the admin link, whatever the first view is
}

start();
