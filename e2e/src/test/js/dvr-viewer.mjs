// The web viewer's recording timeline in Debian's headless Chromium (delivery with auth off): opens the single
// view of a camera whose picture carries the clock code (clock-code.mjs), waits for live and for the thumbnails
// along the timeline, then goes to each
// instant given by typing it into the timeline's "go to" box (the first loads the recording from there with
// hls.js, a later one inside it moves within the loaded playlist, one before it loads again), and for each
// reads the clock in the first frames presented after the move (requestVideoFrameCallback + canvas) and the
// timeline's own wall clock of the shown frame. Then exports a minute as MP4 (the download's name, size and
// first boxes), presses Live and checks the player plays live again and the picture's clock is fresh.
// Reports one JSON line on stdout.
// usage: node dvr-viewer.mjs <delivery-url> <camera/stream> <instant ISO-8601>…
//   exit 0 when every step happened (the caller judges the figures), 1 otherwise ("reason" says why)
import { chromium } from 'playwright-core';
import { clockCodeAge, clockCodeArea, decodeClockCode } from './clock-code.mjs';

const [base, stream, ...instants] = process.argv.slice(2);
if (!stream || instants.length === 0) {
  console.error('usage: node dvr-viewer.mjs <delivery-url> <camera/stream> <instant ISO-8601>…');
  process.exit(2);
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const report = { ok: false, reason: null, thumbnails: [], seeks: [], live: null, pageErrors: [] };

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
  await page.goto(new URL(`/#/watch/${stream}`, base).href);
  await page.waitForFunction(() => window.camflowViewer?.player?.state === 'playing', null, { timeout: 30_000 });
  await page.waitForSelector('.timeline:not([hidden])', { timeout: 15_000 });
  // the recording's thumbnails along the timeline: JPEGs the packager sampled, loaded
  await page.waitForFunction(() => [...document.querySelectorAll('.timeline-thumb')]
    .some((img) => img.complete && img.naturalWidth > 0), null, { timeout: 20_000 });
  report.thumbnails = await page.evaluate(() => [...document.querySelectorAll('.timeline-thumb')]
    .filter((img) => img.complete && img.naturalWidth > 0)
    .map((img) => ({ at: img.dataset.at, width: img.naturalWidth, height: img.naturalHeight })));
  // every presented frame's clock, the media time, and the timeline's wall clock at that moment
  await page.evaluate(({ code }) => {
    const [decode, age, area] = code.map((source) => new Function(`return ${source}`)());
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    window.frames_ = [];
    window.seeked_ = []; // when the video finished each seek (hls.js's start position is one)
    const watch = () => {
      const video = window.camflowViewer.video;
      video.addEventListener('seeked', () => window.seeked_.push(Date.now()));
      video.requestVideoFrameCallback(function onFrame(_, meta) {
        const { width, height } = area(meta.height);
        canvas.width = width;
        canvas.height = height;
        ctx.drawImage(video, 0, 0, width, height, 0, 0, width, height);
        const pixels = ctx.getImageData(0, 0, width, height).data;
        const code = decode((x, y) => pixels[(y * width + x) * 4 + 1], meta.height);
        const now = Date.now();
        const clock = code === null ? null : now - age(now, code); // the code holds 40 bits of it
        const shown = window.camflowViewer.timeline?.shownInstant() ?? null;
        window.frames_.push({ at: now, clock, mediaTime: meta.mediaTime, shown });
        video.requestVideoFrameCallback(onFrame);
      });
    };
    watch();
  }, { code: [decodeClockCode.toString(), clockCodeAge.toString(), clockCodeArea.toString()] });

  for (const instant of instants) {
    const issued = await page.evaluate(() => Date.now());
    await page.fill('input[name=goto]', instant);
    await page.press('input[name=goto]', 'Enter');
    await page.waitForFunction(() => document.querySelector('.timeline')?.dataset.playback === 'playing',
      null, { timeout: 20_000 });
    await sleep(1500); // a second and a half of playback from there
    const seen = await page.evaluate((since) => {
      const video = window.camflowViewer.video;
      const seeked = window.seeked_.filter((t) => t > since);
      return { frames: window.frames_.filter((f) => f.at > since), seeking: video.seeking, rate: video.playbackRate,
        mode: document.querySelector('.timeline')?.dataset.mode, seekedAt: seeked.length ? seeked.at(-1) : null };
    }, issued);
    // the first frame presented once the move was done: the first after the video's last seek (a new
    // recording shows its first keyframe for a moment before hls.js moves to the start position)
    const coded = seen.frames.filter((f) => f.clock !== null);
    const first = seen.seekedAt === null ? -1 : coded.findIndex((f) => f.at >= seen.seekedAt);
    const frame = first >= 0 ? coded[first] : null;
    const later = coded[Math.min(coded.length - 1, first + 10)] ?? null;
    report.seeks.push({
      asked: instant, mode: seen.mode, frames: seen.frames.length, coded: coded.length,
      beforeSeeked: first, preroll: first > 0 ? coded[0].clock : null,
      firstClock: frame?.clock ?? null, firstShown: frame?.shown ?? null,
      laterClock: later?.clock ?? null, laterShown: later?.shown ?? null,
    });
  }

  // Export MP4 of a minute from the frame shown: a download of an MP4 file
  await page.selectOption('.timeline-export-length', '1');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }),
    page.click('.timeline-export')]);
  const saved = await download.path();
  const { readFileSync } = await import('node:fs');
  const bytes = readFileSync(saved);
  report.export = { name: download.suggestedFilename(), bytes: bytes.length,
    type: bytes.subarray(4, 8).toString('latin1'), next: bytes.subarray(bytes.readUInt32BE(0) + 4,
      bytes.readUInt32BE(0) + 8).toString('latin1') };

  await page.click('.timeline-live');
  await page.waitForFunction(() => window.camflowViewer?.player?.state === 'playing'
    && document.querySelector('.timeline')?.dataset.mode === 'live', null, { timeout: 30_000 });
  await sleep(1500);
  report.live = await page.evaluate(() => {
    const last = window.frames_.filter((f) => f.clock !== null).at(-1);
    return { state: window.camflowViewer.player.state, mode: document.querySelector('.timeline').dataset.mode,
      clockAgeMs: last ? Date.now() - last.clock : null };
  });
  report.ok = true;
} catch (e) {
  report.reason = `${e.name}: ${e.message.split('\n')[0]}`;
  report.page = await page?.evaluate(() => ({
    status: document.getElementById('status')?.textContent, view: window.camflowViewer?.view,
    player: window.camflowViewer?.player ? { state: window.camflowViewer.player.state,
      message: window.camflowViewer.player.message } : null,
    timeline: document.querySelector('.timeline')?.outerHTML?.slice(0, 600) ?? null,
  })).catch((err) => err.message);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
process.exitCode = report.ok ? 0 : 1;
