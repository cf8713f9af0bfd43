// Glass latency (issue 6): how old the picture is when the browser shows it. The camera draws its wall
// clock into every frame (TestCamera --clock-code, read by clock-code.mjs); this page plays the stream with
// the web viewer's own player (delivery's /web/player.js: the WebRTC, MSE or LL-HLS engine a viewer gets)
// in Debian's headless Chromium and, for every frame it presents (requestVideoFrameCallback), copies the
// code's corner into a canvas, reads the time and subtracts it from the page's wall clock at the frame's
// expected display time (Date.now() in the callback plus the callback's lead on expectedDisplayTime).
// Camera and browser run on the same machine: one clock. Reports JSON on stdout: per-frame ages (p50/p95/max), frames presented, frames
// without a readable code (misses), frames the page never saw (unseen), the engine's own "behind live".
// The delivery must run with auth off (the benchmark's does): the viewer's player asks no token then.
// usage: [WARMUP=10] node glass-latency.mjs <delivery-url> <camera/stream> <webrtc|mse|hls> <seconds>
//   exit 0 when codes were read, 1 otherwise ("reason" says why)
import { chromium } from 'playwright-core';
import { clockCodeAge, clockCodeArea, decodeClockCode } from './clock-code.mjs';

const [base, stream, protocol, seconds = '30'] = process.argv.slice(2);
if (!protocol || !['webrtc', 'mse', 'hls'].includes(protocol)) {
  console.error('usage: [WARMUP=10] node glass-latency.mjs <delivery-url> <camera/stream> <webrtc|mse|hls> <seconds>');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
});
let result;
try {
  const page = await browser.newPage();
  await page.goto(new URL('/healthz', base).href); // delivery's origin, where /web/ and /live/ are
  await page.setContent('<video id="v" muted autoplay playsinline></video>');
  await page.addScriptTag({ url: new URL('/web/vendor/hls.js/dist/hls.min.js', base).href });
  result = await page.evaluate(async ({ stream, protocol, seconds, warmup, code }) => {
    const [decode, age, area] = code.map((source) => new Function(`return ${source}`)());
    const { Player } = await import('/web/player.js');
    const video = document.getElementById('v');
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const t0 = performance.now();
    let firstCodeMs = null;
    let collecting = false;
    let presented = 0;
    let misses = 0;
    let unseen = 0;
    let lastPresented = null;
    const ages = [];
    const callbackAges = []; // the same against the clock when the callback ran
    const onFrame = (_, meta) => {
      // the wall clock (what the camera wrote) now, and moved on to the display time on the monotonic clock
      const wall = Date.now();
      const atDisplay = wall + (meta.expectedDisplayTime - performance.now());
      const { width, height } = area(meta.height);
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
      ctx.drawImage(video, 0, 0, width, height, 0, 0, width, height);
      const pixels = ctx.getImageData(0, 0, width, height).data;
      const time = decode((x, y) => pixels[(y * width + x) * 4 + 1], meta.height); // green: close to luma
      if (time !== null && firstCodeMs === null) {
        firstCodeMs = Math.round(performance.now() - t0);
      }
      if (collecting) {
        presented++;
        if (lastPresented !== null && meta.presentedFrames > lastPresented + 1) {
          unseen += meta.presentedFrames - lastPresented - 1;
        }
        if (time === null) {
          misses++;
        } else {
          ages.push(age(atDisplay, time));
          callbackAges.push(age(wall, time));
        }
      }
      lastPresented = meta.presentedFrames;
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    const player = new Player(video, stream, { protocol });
    player.start();
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    while (firstCodeMs === null && performance.now() - t0 < 30_000) {
      await sleep(50);
    }
    if (firstCodeMs === null) {
      const reason = `no clock code read within 30 s (player ${player.state}: ${player.message})`;
      player.stop();
      return { ok: false, reason };
    }
    await sleep(warmup * 1000); // start-up is another benchmark's: the GOP burst, catching up with live
    const engine = []; // the engine's own estimate of how far behind live it plays, once a second
    const states = new Set();
    const quality0 = video.getVideoPlaybackQuality();
    collecting = true;
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
      await sleep(1000);
      states.add(player.state);
      if (player.stats.latency !== null) {
        engine.push(Math.round(player.stats.latency * 1000));
      }
    }
    collecting = false;
    const quality1 = video.getVideoPlaybackQuality();
    const { videoWidth: width, videoHeight: height } = video;
    player.stop();
    const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
    const summary = (values) => {
      const s = values.slice().sort((a, b) => a - b);
      return s.length ? { n: s.length, min: s[0], p50: pct(s, 50), p95: pct(s, 95), max: s[s.length - 1],
        mean: Math.round(s.reduce((a, b) => a + b, 0) / s.length) } : null;
    };
    return { ok: ages.length > 0, reason: ages.length ? null : 'no frame with a readable code while measuring',
      protocol: player.stats.protocol, width, height, firstCodeMs,
      seconds, presented, decoded: ages.length, misses, unseen,
      droppedByDecoder: quality1.droppedVideoFrames - quality0.droppedVideoFrames,
      ageMs: summary(ages), callbackAgeMs: summary(callbackAges), engineBehindLiveMs: summary(engine),
      states: [...states] };
  }, { stream, protocol, seconds: Number(seconds), warmup: Number(process.env.WARMUP ?? 10),
    code: [decodeClockCode.toString(), clockCodeAge.toString(), clockCodeArea.toString()] });
} catch (e) {
  result = { ok: false, reason: `${e.name}: ${e.message.split('\n')[0]}` };
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
process.exitCode = result?.ok ? 0 : 1;
