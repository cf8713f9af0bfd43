// The web viewer's grid playing its cameras' recordings from one instant, in step, in Debian's headless
// Chromium (delivery with auth off): opens the grid, waits for every tile to play live, types the instant
// into "Recordings at", and once every tile plays its recording reads, for each tile, the clock in the frames
// it presents (requestVideoFrameCallback + canvas, clock-code.mjs) over two seconds; then presses Live and
// waits for every tile to play live again. Reports one JSON line on stdout.
// usage: node dvr-grid.mjs <delivery-url> <tiles> <instant ISO-8601>
//   exit 0 when every step happened (the caller judges the figures), 1 otherwise ("reason" says why)
import { chromium } from 'playwright-core';
import { clockCodeAge, clockCodeArea, decodeClockCode } from './clock-code.mjs';

const [base, count, instant] = process.argv.slice(2);
if (!instant) {
  console.error('usage: node dvr-grid.mjs <delivery-url> <tiles> <instant ISO-8601>');
  process.exit(2);
}
const tiles = Number(count);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const report = { ok: false, reason: null, status: null, tiles: [], live: null, pageErrors: [] };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
});
let page;
try {
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (e) => report.pageErrors.push(e.message));
  await page.goto(new URL('/#/', base).href);
  await page.waitForFunction((n) => {
    const t = window.camflowViewer?.tiles ?? [];
    return t.length === n && t.every((x) => x.state === 'playing');
  }, tiles, { timeout: 30_000 });
  await page.fill('#grid-at', instant);
  await page.press('#grid-at', 'Enter');
  await page.waitForFunction(() => {
    const boxes = [...document.querySelectorAll('.tile .player-box')];
    return boxes.length > 0 && boxes.every((b) => b.dataset.playback === 'playing');
  }, null, { timeout: 20_000 });
  await sleep(1000);
  report.status = await page.evaluate(() => document.getElementById('status').textContent);
  // two seconds of every tile's presented frames: [{at, clock}]
  report.tiles = await page.evaluate(async ({ code }) => {
    const [decode, age, area] = code.map((source) => new Function(`return ${source}`)());
    const videos = [...document.querySelectorAll('.tile video')];
    const seen = videos.map(() => []);
    let collecting = true;
    videos.forEach((video, i) => {
      const canvas = document.createElement('canvas');
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      video.requestVideoFrameCallback(function onFrame(_, meta) {
        const { width, height } = area(meta.height);
        canvas.width = width;
        canvas.height = height;
        ctx.drawImage(video, 0, 0, width, height, 0, 0, width, height);
        const pixels = ctx.getImageData(0, 0, width, height).data;
        const c = decode((x, y) => pixels[(y * width + x) * 4 + 1], meta.height);
        const now = Date.now();
        if (c !== null) {
          seen[i].push({ at: now, clock: now - age(now, c) });
        }
        if (collecting) {
          video.requestVideoFrameCallback(onFrame);
        }
      });
    });
    await new Promise((r) => setTimeout(r, 2000));
    collecting = false;
    const camera = (v) => v.closest('.tile')?.dataset.camera;
    return videos.map((v, i) => ({ camera: camera(v), frames: seen[i] }));
  }, { code: [decodeClockCode.toString(), clockCodeAge.toString(), clockCodeArea.toString()] });

  await page.click('#grid-live');
  await page.waitForFunction((n) => {
    const t = window.camflowViewer?.tiles ?? [];
    return t.length === n && t.every((x) => x.state === 'playing' && !x.recording);
  }, tiles, { timeout: 30_000 });
  report.live = await page.evaluate(() => window.camflowViewer.tiles.map((t) => t.state));
  report.ok = true;
} catch (e) {
  report.reason = `${e.name}: ${e.message.split('\n')[0]}`;
  report.page = await page?.evaluate(() => ({
    status: document.getElementById('status')?.textContent,
    tiles: window.camflowViewer?.tiles,
    boxes: [...document.querySelectorAll('.tile .player-box')].map((b) => ({ ...b.dataset })),
  })).catch((err) => err.message);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
process.exitCode = report.ok ? 0 : 1;
