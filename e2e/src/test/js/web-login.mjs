// Logs in to camflow's web viewer through Keycloak's real login page in Debian's headless Chromium, then
// checks that the page plays its stream (play) or is refused it (denied), and reports what it saw as one
// JSON line on stdout: the viewer's state, video position and decoded frames, and every URL the page
// requested with its status. URLs are printed without query string or fragment (they carry codes and
// tokens); tokens are never printed.
// usage: node web-login.mjs <page-url> <username> <password> <play|denied|needs-https> [seconds=8]
//   needs-https: the page (plain HTTP, not a secure context) must offer no login and point to its HTTPS address
//   seconds: how long the page may take, once back from the login page, to reach the expected state
//   exit 0 on the expected outcome, 1 otherwise (the JSON's "reason" says why), 2 on bad arguments
// (playwright gives every launch a fresh, temporary profile); SCREENSHOT=<file.png> saves the page at the end;
// CHROMIUM_ARGS='["--host-resolver-rules=MAP camflow.lan 127.0.0.1", …]' adds switches (a JSON array);
// HOLD_SECONDS=<n> (play): once playing, watch n seconds more — the report's "hold" has the states seen, the
// longest time the video stood still, the token refreshes, WebSockets opened and WHEP offers made meanwhile
// The report also names the protocol the page's player uses (mse, hls, …) and firstPlayingMs (player start →
// the picture first moves), when the page exposes them through window.camflowViewer.player.
import { chromium } from 'playwright-core';

const [pageUrl, username, password, expected, seconds = '8'] = process.argv.slice(2);
if (!pageUrl || !username || !password || !['play', 'denied', 'needs-https'].includes(expected)
  || !(Number(seconds) > 0)) {
  console.error('usage: node web-login.mjs <page-url> <username> <password> <play|denied|needs-https> [seconds=8]');
  process.exit(2);
}

const ADVANCE_S = 2; // play: the video must move this far after the state says playing
const withoutQuery = (url) => url.replace(/[?#].*$/, '');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const responses = []; // {url, status, method} in order, URLs without query
let sockets = 0; // WebSockets the page opened
const pageErrors = [];
const report = { expected, ok: false, reason: null, user: null, state: null, status: null, currentTime: null,
  frames: null, protocol: null, firstPlayingMs: null, loginMs: null, stateMs: null, requests: [], pageErrors };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required',
    ...JSON.parse(process.env.CHROMIUM_ARGS || '[]')],
});
let page;
try {
  page = await browser.newPage();
  page.on('response', (r) => r.url().startsWith('http')
    && responses.push({ url: withoutQuery(r.url()), status: r.status(), method: r.request().method() }));
  page.on('websocket', () => { sockets += 1; });
  page.on('requestfailed', (r) => responses.push({ url: withoutQuery(r.url()), status: `failed ${r.failure()?.errorText}` }));
  page.on('pageerror', (e) => pageErrors.push(e.message.replace(/\?\S*/g, '?…')));
  report.reason = await run(page);
  report.ok = report.reason === null;
} catch (e) {
  report.reason = `${e.name}: ${e.message.split('\n')[0].replace(/\?\S*/g, '?…')}`;
} finally {
  if (page && process.env.SCREENSHOT) {
    await page.screenshot({ path: process.env.SCREENSHOT }).catch(() => {});
  }
  report.requests = summarize(responses);
  await browser.close();
}
console.log(JSON.stringify(report));
process.exitCode = report.ok ? 0 : 1;

/** Runs the scenario; the reason it failed, or null. */
async function run(page) {
  const pageBase = withoutQuery(new URL(pageUrl).href); // as the browser spells it (http://h:p → http://h:p/)
  const t0 = Date.now();
  await page.goto(pageUrl);
  if (expected === 'needs-https') {
    return needsHttps(page);
  }
  await page.click('#login', { timeout: 10_000 });
  try {
    await page.waitForSelector('#username', { timeout: 20_000 });
  } catch {
    return `no Keycloak login form at ${withoutQuery(page.url())}: ${await pageText(page)}`;
  }
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#kc-login');
  try {
    await page.waitForURL((url) => withoutQuery(url.href) === pageBase, { timeout: 15_000 });
  } catch {
    return `the login page did not send us back (${withoutQuery(page.url())}): ${await pageText(page)}`;
  }
  report.loginMs = Date.now() - t0;

  const wanted = expected === 'play' ? 'playing' : 'denied';
  const t1 = Date.now();
  try {
    await page.waitForFunction(() => ['playing', 'denied', 'error'].includes(window.camflowViewer?.state), null,
      { timeout: Number(seconds) * 1000, polling: 100 });
  } catch {
    // reported below with the state it stayed in
  }
  report.stateMs = Date.now() - t1;
  let seen = await look(page);
  if (seen.state !== wanted) {
    return `state ${seen.state} after ${report.stateMs} ms, expected ${wanted}`;
  }
  if (!seen.user) {
    return 'no user name shown';
  }
  if (expected === 'play') {
    const start = seen;
    const deadline = Date.now() + (ADVANCE_S + 3) * 1000;
    while (Date.now() < deadline && seen.currentTime - start.currentTime < ADVANCE_S) {
      await sleep(200);
      seen = await look(page);
    }
    const middle = seen;
    await sleep(500);
    seen = await look(page);
    if (middle.currentTime - start.currentTime < ADVANCE_S) {
      return `the video moved only ${(middle.currentTime - start.currentTime).toFixed(2)} s in ${ADVANCE_S + 3} s`;
    }
    if (!(middle.frames > start.frames && seen.frames > middle.frames)) {
      return `decoded frames do not keep growing: ${start.frames}, ${middle.frames}, ${seen.frames}`;
    }
    if (seen.state !== 'playing' && seen.state !== 'loading') {
      return `state ${seen.state} while playing`;
    }
    if (Number(process.env.HOLD_SECONDS) > 0) {
      return hold(page, Number(process.env.HOLD_SECONDS));
    }
  } else {
    await sleep(1000); // anything still in flight when the page gave up
    seen = await look(page);
    if (seen.currentTime !== 0) {
      return `the video moved to ${seen.currentTime} although denied`;
    }
    const media = responses.filter((r) => /\.(m4s|mp4)$/.test(r.url) && r.status === 200);
    if (media.length > 0) {
      return `media was served although denied: ${media[0].url}`;
    }
  }
  return null;
}

/** Keeps watching a playing page: it must go on playing, whatever happens to its tokens meanwhile. */
async function hold(page, seconds) {
  const from = responses.length;
  const socketsBefore = sockets;
  const states = new Set();
  let last = await look(page);
  let stillSince = Date.now();
  let stalledMaxMs = 0;
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    await sleep(250);
    const seen = await look(page);
    states.add(seen.state);
    if (seen.currentTime > last.currentTime) {
      stillSince = Date.now();
    } else {
      stalledMaxMs = Math.max(stalledMaxMs, Date.now() - stillSince);
    }
    last = seen;
  }
  const during = responses.slice(from);
  report.hold = {
    seconds, states: [...states], stalledMaxMs,
    refreshes: during.filter((r) => r.url.endsWith('/protocol/openid-connect/token') && r.method === 'POST').length,
    socketsOpened: sockets - socketsBefore,
    whepOffers: during.filter((r) => r.url.endsWith('/whep') && r.method === 'POST').length,
    whepRenewals: during.filter((r) => /\/whep\/[^/]+$/.test(r.url) && r.method === 'POST').map((r) => r.status),
  };
  return null;
}

/** A page that cannot log in here: no login button, the reason said, the HTTPS address offered. */
async function needsHttps(page) {
  try {
    await page.waitForFunction(() => document.getElementById('status')?.dataset.state === 'insecure', null,
      { timeout: 10_000, polling: 100 });
  } catch {
    return `the page did not say it needs HTTPS: ${await pageText(page)}`;
  }
  const seen = await page.evaluate(() => ({
    secureContext: window.isSecureContext,
    loginShown: !document.getElementById('login').hidden,
    status: document.getElementById('status').textContent,
    link: document.getElementById('secure').hidden ? null : document.getElementById('secure-link').href,
  }));
  Object.assign(report, { state: 'insecure', status: seen.status, secureContext: seen.secureContext, link: seen.link });
  if (seen.secureContext) {
    return 'the page is a secure context: nothing to explain';
  }
  if (seen.loginShown) {
    return 'a login button is offered although it cannot work here';
  }
  return seen.link ? null : 'no HTTPS address offered';
}

/** The viewer as a test sees it; also copied into the report. */
async function look(page) {
  const seen = await page.evaluate(() => {
    const video = window.camflowViewer?.video ?? document.getElementById('video');
    const status = document.getElementById('status');
    return {
      state: status?.dataset.state ?? null,
      exposedState: window.camflowViewer?.state ?? null,
      status: status?.textContent ?? null,
      user: document.getElementById('user')?.textContent || null,
      currentTime: video ? video.currentTime : null,
      frames: video ? video.getVideoPlaybackQuality().totalVideoFrames : null,
      protocol: window.camflowViewer?.player?.stats?.protocol ?? null, // the player's, when the page has one
      firstPlayingMs: window.camflowViewer?.player?.firstPlayingMs ?? null,
    };
  });
  if (seen.state !== seen.exposedState) {
    seen.state = `${seen.state} (data-state) / ${seen.exposedState} (camflowViewer.state)`;
  }
  Object.assign(report, { user: seen.user, state: seen.state, status: seen.status,
    currentTime: seen.currentTime, frames: seen.frames, protocol: seen.protocol, firstPlayingMs: seen.firstPlayingMs });
  return seen;
}

async function pageText(page) {
  const text = await page.evaluate(() => document.body?.innerText ?? '').catch(() => '');
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}

/**
 * Requests in first-seen order with their statuses; numbers in file names folded (part-N.N.m4s ×40),
 * the login page's static files (Keycloak's /resources/) in one line.
 */
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
