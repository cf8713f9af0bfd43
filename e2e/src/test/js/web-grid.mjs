// Logs in to camflow's web viewer at its grid (/) through Keycloak's real login page in Debian's headless
// Chromium and checks one scenario, reporting what it saw as one JSON line on stdout:
//   grid   the grid shows tiles; the first one plays (its video advances, decoded frames grow) and says
//          which protocol it uses; its statistics overlay opens; scrolled out of sight it pauses (and its
//          socket closes), back in sight it plays again; a click opens the single view, which plays with
//          the statistics always shown
//   empty  no tile, a message saying so, no request for media
//   admin  the Admin link shows; the admin page opens, lists the cameras (or says the server has no
//          camera API) and shows who may watch camera demo; where the camera API answers, a camera with a
//          bad URL is refused and the page shows the error next to the URL field (nothing is added)
//   add    (an admin) adds camera "webcam" on the admin page from CAMERA_URL, CAMERA_USER, CAMERA_PASSWORD (env:
//          the password is typed into the form, never printed), watches webcam/main until it plays, saves it
//          once more with the password field left empty (keeps the stored one), removes it
//   outage opens the single view of the first tile's camera; once it plays, touches the file READY_FILE (the
//          caller then interrupts the camera) and watches the player: passes when it goes from playing to
//          offline or reconnecting and back to playing by itself, without a reload
//   failover as outage, but the caller kills the delivery instance the page plays from (behind a load balancer)
//          and touches KILLED_FILE: passes when 12 s later the view plays and the video moves (the player may
//          go on unnoticed, or show reconnecting on the way); reports the states and the longest still time
//   bench  opens the single view of the first tile's camera BENCH_RUNS times (default 20) per protocol in
//          BENCH_PROTOCOLS (default mse,hls) and reports open → first frame presented (firstFrameMs) and
//          open → moving picture (firstPlayingMs): p50, p95, max per protocol
// URLs are printed without query string or fragment (they carry codes and tokens); tokens never are.
// usage: node web-grid.mjs <page-url> <username> <password> <grid|empty|admin|add|outage|failover|bench> [seconds=15]
//   seconds: how long the page may take, once back from the login page, for each step
//   exit 0 on the expected outcome, 1 otherwise (the JSON's "reason" says why), 2 on bad arguments
// env: VIEWPORT=<w>x<h> (default 1280x800), SCREENSHOT=<file.png> (the grid or admin page),
//      SCREENSHOT_SINGLE=<file.png> (the single view), PROTOCOL=auto|mse|hls (the player's preference)
import { existsSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const [pageUrl, username, password, expected, seconds = '15'] = process.argv.slice(2);
if (!pageUrl || !username || !password || !['grid', 'empty', 'admin', 'add', 'outage', 'failover', 'bench'].includes(expected) || !(Number(seconds) > 0)) {
  console.error('usage: node web-grid.mjs <page-url> <username> <password> <grid|empty|admin|add|outage|failover|bench> [seconds=15]');
  process.exit(2);
}
const [width, height] = (process.env.VIEWPORT || '1280x800').split('x').map(Number);
const STEP_MS = Number(seconds) * 1000;
const ADVANCE_S = 1.5; // a playing video must move this far
const withoutQuery = (url) => url.replace(/[?#].*$/, '');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const responses = [];
const pageErrors = [];
const sockets = { opened: 0, closed: 0 }; // the page's WebSockets (MSE)
const report = { expected, ok: false, reason: null, user: null, state: null, status: null, view: null, message: null,
  tiles: null, tile: null, wall: null, single: null, admin: null, add: null, outage: null, bench: null, loginMs: null, stateMs: null, requests: [], pageErrors };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
});
let page;
try {
  page = await browser.newPage({ viewport: { width, height } });
  if (process.env.PROTOCOL) {
    const origin = new URL(pageUrl).origin;
    await page.addInitScript(([o, p]) => {
      if (location.origin === o) {
        localStorage.setItem('camflow.protocol', p);
      }
    }, [origin, process.env.PROTOCOL]);
  }
  page.on('response', (r) => r.url().startsWith('http') && responses.push({ url: withoutQuery(r.url()), status: r.status() }));
  page.on('requestfailed', (r) => responses.push({ url: withoutQuery(r.url()), status: `failed ${r.failure()?.errorText}` }));
  page.on('websocket', (ws) => {
    responses.push({ url: withoutQuery(ws.url()), status: 'websocket' });
    sockets.opened++;
    ws.on('close', () => sockets.closed++);
  });
  page.on('dialog', (d) => d.accept()); // "Remove camera …?"
  page.on('pageerror', (e) => pageErrors.push(e.message.replace(/\?\S*/g, '?…')));
  report.reason = await run(page);
  report.ok = report.reason === null;
} catch (e) {
  report.reason = `${e.name}: ${e.message.split('\n')[0].replace(/\?\S*/g, '?…')}`;
} finally {
  if (page && process.env.SCREENSHOT && expected !== 'grid') {
    await page.screenshot({ path: process.env.SCREENSHOT }).catch(() => {});
  }
  report.requests = summarize(responses);
  await browser.close();
}
console.log(JSON.stringify(report));
process.exitCode = report.ok ? 0 : 1;

async function run(page) {
  const pageBase = withoutQuery(new URL(pageUrl).href);
  const t0 = Date.now();
  await page.goto(pageUrl);
  await page.click('#login', { timeout: 10_000 });
  try {
    await page.waitForSelector('#username', { timeout: 20_000 });
  } catch {
    return `no Keycloak login form at ${withoutQuery(page.url())}`;
  }
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#kc-login');
  try {
    await page.waitForURL((url) => withoutQuery(url.href) === pageBase, { timeout: 15_000 });
  } catch {
    return `the login page did not send us back (${withoutQuery(page.url())})`;
  }
  report.loginMs = Date.now() - t0;
  const t1 = Date.now();
  await waitFor(page, () => ['grid', 'empty', 'error', 'denied'].includes(window.camflowViewer?.state));
  report.stateMs = Date.now() - t1;
  await look(page);
  if (!report.user) {
    return 'no user name shown';
  }
  if (expected === 'grid') {
    return grid(page);
  }
  if (expected === 'empty') {
    return empty(page);
  }
  if (expected === 'bench') {
    return bench(page);
  }
  if (expected === 'outage') {
    return outage(page);
  }
  if (expected === 'failover') {
    return failover(page);
  }
  if (expected === 'add') {
    return add(page);
  }
  return admin(page);
}

async function grid(page) {
  if (report.state !== 'grid') {
    return `state ${report.state} (${report.status}), expected grid`;
  }
  if (!(report.tiles?.length > 0)) {
    return 'no tiles';
  }
  // the first tile plays
  await waitFor(page, () => window.camflowViewer.tiles[0]?.state === 'playing');
  const start = await tile(page);
  if (start.state !== 'playing') {
    return `the first tile is ${start.state} (${start.message}), not playing`;
  }
  let now = start;
  const deadline = Date.now() + (ADVANCE_S + 4) * 1000;
  while (Date.now() < deadline && now.currentTime - start.currentTime < ADVANCE_S) {
    await sleep(200);
    now = await tile(page);
  }
  report.tile = { ...now, moved: Number((now.currentTime - start.currentTime).toFixed(2)), framesBefore: start.frames };
  if (now.currentTime - start.currentTime < ADVANCE_S || !(now.frames > start.frames)) {
    return `the first tile does not move: ${JSON.stringify(report.tile)}`;
  }
  if (!['mse', 'hls', 'webrtc'].includes(now.protocol)) {
    return `the tile reports no protocol (${now.protocol})`;
  }
  // its statistics overlay opens on demand
  await page.click('.tile .stats-toggle');
  await sleep(1200); // the overlay fills on the player's next second
  report.tile.overlay = await page.$$eval('.tile:first-child .stats dd', (dds) => Object.fromEntries(dds.map((d) => [d.dataset.stat, d.textContent])));
  if (!report.tile.overlay.protocol || report.tile.overlay.protocol === '–') {
    return `the tile's statistics name no protocol: ${JSON.stringify(report.tile.overlay)}`;
  }
  if (process.env.SCREENSHOT) {
    await page.screenshot({ path: process.env.SCREENSHOT });
  }
  // scrolled out of sight, the tile pauses after a grace period and lets its stream go; seen again, it plays
  const offscreen = { socketsBefore: { ...sockets } };
  report.tile.offscreen = offscreen;
  let t = Date.now();
  await page.evaluate(() => {
    const spacer = Object.assign(document.createElement('div'), { id: 'probe-spacer' });
    spacer.style.height = '5000px';
    document.getElementById('grid').before(spacer);
  });
  await waitFor(page, () => window.camflowViewer.tiles[0]?.state === 'paused');
  offscreen.pausedAfterMs = Date.now() - t;
  await sleep(300);
  offscreen.paused = await tile(page);
  offscreen.socketsPaused = { ...sockets };
  if (offscreen.paused.state !== 'paused') {
    return `the tile out of sight did not pause: ${JSON.stringify(offscreen.paused)}`;
  }
  // a paused tile shows the camera's latest keyframe (its snapshot) as the video's poster
  offscreen.poster = await page.evaluate(async () => {
    const video = document.querySelector('.tile video');
    for (let i = 0; i < 50 && !video.poster; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!video.poster) {
      return { error: 'no poster' };
    }
    const img = new Image();
    img.src = video.poster;
    try {
      await img.decode();
    } catch (e) {
      return { error: `the poster does not load: ${e}` };
    }
    return { width: img.naturalWidth, height: img.naturalHeight };
  });
  // the camera as MJPEG in an <img> (docs/pictures.md): the picture in it moves
  offscreen.mjpeg = await page.evaluate(async () => {
    const pause = (ms) => new Promise((r) => setTimeout(r, ms));
    const video = document.querySelector('.tile video');
    const img = document.createElement('img');
    img.src = video.poster.replace(/snapshot\.jpg\?width=\d+/, 'mjpeg?fps=5&width=320');
    document.body.append(img);
    for (let i = 0; i < 100 && !img.naturalWidth; i++) {
      await pause(100);
    }
    const canvas = Object.assign(document.createElement('canvas'), { width: img.naturalWidth, height: img.naturalHeight });
    const context = canvas.getContext('2d');
    const hashes = [];
    for (let i = 0; i < 6 && img.naturalWidth; i++) {
      context.drawImage(img, 0, 0);
      const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let hash = 0;
      for (let j = 0; j < data.length; j += 16) {
        hash = (hash * 31 + data[j]) >>> 0;
      }
      hashes.push(hash);
      await pause(500);
    }
    img.remove();
    return { width: img.naturalWidth, height: img.naturalHeight, pictures: new Set(hashes).size };
  });
  t = Date.now();
  await page.evaluate(() => document.getElementById('probe-spacer').remove());
  await waitFor(page, () => window.camflowViewer.tiles[0]?.state === 'playing');
  offscreen.playingAgainMs = Date.now() - t;
  offscreen.again = await tile(page);
  if (offscreen.again.state !== 'playing') {
    return `the tile back in sight does not play again: ${JSON.stringify(offscreen.again)}`;
  }
  // the picture wall: each camera a canvas fed over the frames socket, a picture a second
  t = Date.now();
  await page.evaluate(() => { location.hash = '#/wall'; });
  await waitFor(page, () => (window.camflowViewer.wall[0]?.pictures ?? 0) >= 3);
  report.wall = await page.evaluate(() => {
    const canvas = document.querySelector('.wall-picture');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let lit = 0;
    for (let i = 0; i < data.length; i += 4) {
      lit += data[i] + data[i + 1] + data[i + 2] > 60 ? 1 : 0;
    }
    return { ...window.camflowViewer.wall[0], width: canvas.width, height: canvas.height, litShare: lit / (data.length / 4) };
  });
  report.wall.ms = Date.now() - t;
  await page.evaluate(() => { location.hash = '#/'; });
  await waitFor(page, () => window.camflowViewer.tiles[0]?.state === 'playing');
  // a click opens the single view, which plays with its statistics shown
  await page.click('.tile:first-child .screen');
  await waitFor(page, () => window.camflowViewer.view === 'single' && window.camflowViewer.state === 'playing');
  await sleep(2200); // two statistics samples
  const single = await page.evaluate(() => ({
    view: window.camflowViewer.view, state: window.camflowViewer.state, stream: window.camflowViewer.stream,
    hash: location.hash, currentTime: window.camflowViewer.video.currentTime,
    statsVisible: !document.querySelector('#single-player .stats').hidden,
    stats: Object.fromEntries([...document.querySelectorAll('#single-player .stats dd')].map((d) => [d.dataset.stat, d.textContent])),
  }));
  report.single = single;
  if (process.env.SCREENSHOT_SINGLE) {
    await page.screenshot({ path: process.env.SCREENSHOT_SINGLE });
  }
  if (single.view !== 'single' || single.state !== 'playing') {
    return `the single view is ${single.view}/${single.state}, not playing`;
  }
  if (!single.statsVisible || !(Number.parseFloat(single.stats.fps) > 0) || single.stats.resolution === '–') {
    return `the single view's statistics are missing: ${JSON.stringify(single.stats)}`;
  }
  return null;
}

async function empty(page) {
  if (report.state !== 'empty') {
    return `state ${report.state} (${report.status}), expected empty`;
  }
  if (report.tiles.length !== 0) {
    return `${report.tiles.length} tiles although the user may watch nothing`;
  }
  report.message = await page.evaluate(() => (document.getElementById('cameras').hidden ? null : document.getElementById('cameras').textContent));
  if (!report.message) {
    return 'no message saying why the grid is empty';
  }
  await sleep(1000);
  const live = responses.filter((r) => r.url.includes('/live/'));
  if (live.length) {
    return `the page asked for media: ${live[0].url}`;
  }
  return null;
}

async function admin(page) {
  try {
    await page.waitForSelector('#nav-admin:not([hidden])', { timeout: STEP_MS });
  } catch {
    return 'no Admin link for an admin';
  }
  await page.click('#nav-admin');
  await waitFor(page, () => window.camflowViewer.view === 'admin'
    && ['ready', 'unavailable'].includes(document.getElementById('admin-cameras-status')?.dataset.state)
    && document.querySelector('#access-lists .access-list'));
  await page.fill('#access-camera', 'demo');
  await page.click('#access button:has-text("Show access")');
  await waitFor(page, () => document.getElementById('access-status')?.textContent === 'Who may watch demo:');
  const seen = await page.evaluate(() => ({
    view: window.camflowViewer.view,
    camerasState: document.getElementById('admin-cameras-status')?.dataset.state ?? null,
    camerasText: document.getElementById('admin-cameras-status')?.textContent ?? null,
    cameras: [...document.querySelectorAll('#admin-cameras .camera-card')].map((c) => c.dataset.camera),
    accessStatus: document.getElementById('access-status')?.textContent ?? null,
    liveUsers: [...document.querySelectorAll('#access-lists [data-action="live"] li[data-user]')].map((li) => li.dataset.user),
  }));
  report.admin = seen;
  if (seen.camerasState === 'ready') { // the camera API answers: a bad camera gets its errors next to the fields
    await page.click('#admin-add');
    await page.fill('[data-field="id"]', 'webui-check');
    await page.fill('[data-field="streams[0].name"]', 'main');
    await page.fill('[data-field="streams[0].url"]', 'http://not-a-camera');
    await page.click('#camera-form button[type=submit]');
    await waitFor(page, () => [...document.querySelectorAll('#camera-form .field-error')].some((e) => e.textContent));
    seen.fieldErrors = await page.$$eval('#camera-form .field-error', (es) => Object.fromEntries(es
      .filter((e) => e.textContent).map((e) => [e.dataset.errorFor, e.textContent])));
    seen.formMessage = await page.textContent('#camera-form .form-message');
  }
  await look(page);
  if (seen.view !== 'admin') {
    return `view ${seen.view}, expected admin`;
  }
  if (!['ready', 'unavailable'].includes(seen.camerasState)) {
    return `the camera list did not load: ${seen.camerasText}`;
  }
  if (!seen.accessStatus?.includes('demo')) {
    return `no access list for demo: ${seen.accessStatus}`;
  }
  return null;
}

async function add(page) {
  const id = 'webcam';
  const added = { id };
  report.add = added;
  await page.evaluate(() => { location.hash = '#/admin'; });
  await waitFor(page, () => ['ready', 'unavailable', 'error'].includes(document.getElementById('admin-cameras-status')?.dataset.state));
  const listState = await page.$eval('#admin-cameras-status', (e) => e.dataset.state);
  if (listState !== 'ready') {
    return `the camera list is ${listState}: ${await page.textContent('#admin-cameras-status')}`;
  }
  const card = `.camera-card[data-camera="${id}"]`;
  if (await page.$(card)) { // an earlier run's, on the same broker
    await page.click(`${card} button.danger`);
    await page.waitForSelector(card, { state: 'detached', timeout: STEP_MS });
  }
  await page.click('#admin-add');
  await page.fill('[data-field="id"]', id);
  await page.fill('[data-field="streams[0].name"]', 'main');
  await page.fill('[data-field="streams[0].url"]', process.env.CAMERA_URL);
  await page.fill('[data-field="streams[0].username"]', process.env.CAMERA_USER ?? '');
  await page.fill('[data-field="streams[0].password"]', process.env.CAMERA_PASSWORD ?? '');
  await page.selectOption('[name="mode"]', 'always');
  await page.click('#camera-form button[type=submit]');
  try {
    await page.waitForSelector(card, { timeout: STEP_MS });
  } catch {
    return `not added: ${await page.textContent('#camera-form .form-message').catch(() => '')}`;
  }
  added.added = true;
  // watch it: the camera goes through ingest (registry), the packager and delivery
  await page.click(`${card} a:has-text("Watch")`);
  await waitFor(page, () => window.camflowViewer.view === 'single' && window.camflowViewer.state === 'playing');
  await page.waitForFunction(() => window.camflowViewer.state === 'playing', null, { timeout: 4 * STEP_MS, polling: 250 })
    .catch(() => {});
  const watched = await page.evaluate(() => ({ stream: window.camflowViewer.stream, state: window.camflowViewer.state,
    status: document.getElementById('status').textContent, protocol: window.camflowViewer.player?.stats.protocol,
    firstPlayingMs: window.camflowViewer.player?.firstPlayingMs }));
  Object.assign(added, { watched });
  if (watched.state !== 'playing') {
    return `${id}/main is ${watched.state} (${watched.status}), not playing`;
  }
  // edit without typing a password: the stored one stays (the field is left out of the request)
  await page.evaluate(() => { location.hash = '#/admin'; });
  await page.waitForSelector(`${card} button:has-text("Edit")`, { timeout: STEP_MS });
  await page.click(`${card} button:has-text("Edit")`);
  await page.waitForSelector('#camera-form');
  added.passwordFieldOnEdit = await page.$eval('[data-field="streams[0].password"]', (i) => ({ value: i.value, placeholder: i.placeholder }));
  await page.click('#camera-form button[type=submit]');
  await page.waitForSelector('#camera-form', { state: 'detached', timeout: STEP_MS }).catch(() => {});
  added.editMessage = await page.$eval('#camera-form .form-message', (e) => e.textContent).catch(() => null);
  if (added.editMessage) {
    return `the edit was not saved: ${added.editMessage}`;
  }
  added.passwordSetAfterEdit = await page.evaluate((c) => import('/web/api.js')
    .then((m) => m.api('GET', `cameras/${c}`)).then((r) => r.body?.streams?.[0]?.passwordSet ?? null), id);
  if (added.passwordSetAfterEdit !== true) {
    return `the edit lost the stored password (passwordSet ${added.passwordSetAfterEdit})`;
  }
  await page.click(`${card} button.danger`);
  try {
    await page.waitForSelector(card, { state: 'detached', timeout: STEP_MS });
    added.removed = true;
  } catch {
    return `not removed: ${await page.textContent('#admin-cameras-status')}`;
  }
  await look(page);
  return added.passwordFieldOnEdit.value === '' ? null : 'the edit form shows a password';
}

/** Opens the single view of the first tile; once it plays, touches READY_FILE. A watch, or a reason it failed. */
async function watchSingle(page, key) {
  const stream = report.tiles[0]?.stream;
  if (!stream) {
    return 'no tile to open';
  }
  await page.evaluate((s) => { location.hash = `#/watch/${s}`; }, stream);
  await waitFor(page, () => window.camflowViewer.view === 'single' && window.camflowViewer.state === 'playing');
  const states = []; // [{state, at ms since ready, time}] at each change
  const t0 = Date.now();
  const sample = () => page.evaluate(() => ({ state: window.camflowViewer.state, time: window.camflowViewer.video.currentTime,
    protocol: window.camflowViewer.player?.stats.protocol, status: document.getElementById('status').textContent }));
  const seen = await sample();
  if (seen.state !== 'playing') {
    return `the single view is ${seen.state} (${seen.status}), not playing`;
  }
  states.push({ state: seen.state, at: 0, protocol: seen.protocol });
  report[key] = { states };
  if (process.env.READY_FILE) {
    writeFileSync(process.env.READY_FILE, 'playing\n');
  }
  const note = (s) => {
    if (s.state !== states[states.length - 1].state || s.protocol !== states[states.length - 1].protocol) {
      states.push({ state: s.state, at: Date.now() - t0, protocol: s.protocol, status: s.status });
    }
  };
  return { states, sample, note };
}

async function outage(page) {
  const watch = await watchSingle(page, 'outage');
  if (typeof watch === 'string') {
    return watch;
  }
  const { states, sample, note } = watch;
  const deadline = Date.now() + 4 * STEP_MS;
  let interrupted = false;
  while (Date.now() < deadline) {
    await sleep(250);
    let seen = await sample();
    note(seen);
    interrupted ||= ['offline', 'reconnecting'].includes(seen.state);
    if (interrupted && seen.state === 'playing') {
      const before = seen.time;
      await sleep(1500);
      seen = await sample();
      report.outage.movedAfter = Number((seen.time - before).toFixed(2));
      await look(page);
      return seen.time - before > 0.5 ? null : `playing again but the video does not move (${before} → ${seen.time})`;
    }
  }
  return interrupted ? `no recovery: ${JSON.stringify(states)}` : `the interruption was not noticed: ${JSON.stringify(states)}`;
}

// The server the page plays from dies (the caller kills it once READY_FILE exists, then touches KILLED_FILE);
// behind a load balancer the player must go on from another one by itself, noticed or not. Passes when, 12 s
// after the kill, the view plays and the video moves; reports every state it went through and the longest
// time the video stood still.
async function failover(page) {
  const watch = await watchSingle(page, 'failover');
  if (typeof watch === 'string') {
    return watch;
  }
  const { states, sample, note } = watch;
  const deadline = Date.now() + 4 * STEP_MS;
  while (!(process.env.KILLED_FILE && existsSync(process.env.KILLED_FILE)) && Date.now() < deadline) {
    note(await sample());
    await sleep(100);
  }
  if (Date.now() >= deadline) {
    return 'the server was not killed (no KILLED_FILE)';
  }
  const killedAt = Date.now();
  let last = await sample();
  let movedAt = Date.now();
  let longestStill = 0;
  while (Date.now() - killedAt < 12_000) {
    await sleep(200);
    const seen = await sample();
    note(seen);
    if (seen.time > last.time) {
      movedAt = Date.now();
    }
    longestStill = Math.max(longestStill, Date.now() - movedAt);
    last = seen;
  }
  const before = last.time;
  await sleep(1500);
  const after = await sample();
  note(after);
  report.failover.movedAfter = Number((after.time - before).toFixed(2));
  report.failover.longestStillMs = longestStill;
  await look(page);
  if (after.state !== 'playing') {
    return `not playing 12 s after the kill: ${JSON.stringify(states)}`;
  }
  return after.time - before > 0.5 ? null : `playing but the video does not move (${before} → ${after.time})`;
}

async function bench(page) {
  const runs = Number(process.env.BENCH_RUNS || 20);
  const stream = report.tiles[0]?.stream;
  if (!stream) {
    return 'no tile to open';
  }
  report.bench = {};
  for (const protocol of (process.env.BENCH_PROTOCOLS || 'mse,hls').split(',')) {
    const samples = []; // open → moving picture
    const frames = []; // open → first frame presented
    for (let i = 0; i < runs; i++) {
      // leave the single view (its player stops), then open it again: a new player from scratch
      await page.evaluate(([p, s]) => {
        localStorage.setItem('camflow.protocol', p);
        location.hash = '#/';
        location.hash = `#/watch/${s}`;
      }, [protocol, stream]);
      await waitFor(page, () => window.camflowViewer.view === 'single' && window.camflowViewer.player?.firstPlayingMs != null);
      const seen = await page.evaluate(() => ({ ms: window.camflowViewer.player?.firstPlayingMs,
        frameMs: window.camflowViewer.player?.firstFrameMs, protocol: window.camflowViewer.player?.stats.protocol }));
      if (seen.ms == null || seen.protocol !== protocol) {
        return `${protocol} run ${i}: no moving picture (${JSON.stringify(seen)})`;
      }
      samples.push(seen.ms);
      frames.push(seen.frameMs);
      await sleep(500);
    }
    const stats = (list) => {
      const sorted = list.filter((v) => v != null).sort((a, b) => a - b);
      const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
      return { p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
    };
    report.bench[protocol] = { runs, moving: stats(samples), firstFrame: stats(frames), samples };
  }
  return null;
}

async function waitFor(page, predicate) {
  try {
    await page.waitForFunction(predicate, null, { timeout: STEP_MS, polling: 100 });
  } catch {
    // the caller reports what it sees
  }
}

async function tile(page) {
  return page.evaluate(() => {
    const t = window.camflowViewer.tiles[0];
    const box = document.querySelector('.tile .player-box');
    return { ...t, message: box?.querySelector('.state')?.title ?? null };
  });
}

async function look(page) {
  const seen = await page.evaluate(() => ({
    state: window.camflowViewer?.state ?? null,
    view: window.camflowViewer?.view ?? null,
    status: document.getElementById('status')?.textContent ?? null,
    user: document.getElementById('user')?.textContent || null,
    tiles: window.camflowViewer?.tiles ?? [],
  }));
  Object.assign(report, seen);
  return seen;
}

function summarize(list) {
  const counts = new Map();
  for (const { url, status } of list) {
    const folded = url.replace(/\/resources\/.*$/, '/resources/…')
      .replace(/[^/]*$/, (name) => name.replace(/(?<=[-.])\d+(?=\.)/g, 'N'));
    const key = `${status} ${folded}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => (n > 1 ? `${key} ×${n}` : key));
}
