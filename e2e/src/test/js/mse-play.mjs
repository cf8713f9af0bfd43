// Plays a camflow WebSocket/MSE stream (docs/mse.md) in Debian's headless Chromium with a minimal
// MSE client, and reports what the page saw as JSON on stdout: the protocol's events (with the
// decoded-frame count at each), time from socket creation / open to the first rendered frame
// (requestVideoFrameCallback), playback position and frames over time, and the bytes of audio
// Chromium decoded (webkitAudioDecodedByteCount, over every MediaSource of the run).
// usage: [TOKEN=<access token>] [UNTIL_BACK=1] node mse-play.mjs <ws-url> <seconds>
//   UNTIL_BACK=1: stop early once the stream went offline, came back online and played 50 frames.
// The page runs on the stream's origin (delivery's /healthz, open on loopback).
import { chromium } from 'playwright-core';

const [url, seconds = '10'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
});
try {
  const page = await browser.newPage();
  const origin = new URL(url);
  origin.protocol = origin.protocol === 'wss:' ? 'https:' : 'http:';
  await page.goto(new URL('/healthz', origin).href);
  await page.setContent('<video id="v" muted autoplay playsinline></video>');
  const result = await page.evaluate(async ({ url, seconds, token, untilBack }) => {
    const CANDIDATES = ['avc1.640028', 'avc1.64001f', 'avc1.4d401f', 'avc1.42e01e', 'hvc1.1.6.L93.B0',
      'hev1.1.6.L93.B0', 'mp4a.40.2'];
    const video = document.getElementById('v');
    const t0 = performance.now();
    const at = () => Math.round(performance.now() - t0);
    // decoded frames over the whole run: a new MediaSource (new init) starts the element's count anew
    let framesBefore = 0;
    const frames = () => framesBefore + video.getVideoPlaybackQuality().totalVideoFrames;
    let audioBytesBefore = 0;
    const audioBytes = () => audioBytesBefore + (video.webkitAudioDecodedByteCount || 0);
    const events = [];
    const errors = [];
    let openMs = null;
    let firstFrameMs = null;
    let rendered = 0;
    let sb = null;
    let queue = [];
    let seekLive = false;
    let startNew = false;
    let wentOffline = false;
    let onlineFrames = null;

    const onFrame = () => {
      rendered++;
      if (firstFrameMs === null) firstFrameMs = at();
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);

    // a new init segment (start, or the camera back): a fresh MediaSource, no reload of the page
    const newSource = (mime) => {
      sb = null;
      queue = [];
      startNew = true;
      framesBefore = frames();
      audioBytesBefore = audioBytes();
      const ms = new MediaSource();
      video.src = URL.createObjectURL(ms);
      ms.addEventListener('sourceopen', () => {
        sb = ms.addSourceBuffer(mime);
        sb.mode = 'segments';
        sb.addEventListener('updateend', pump);
        sb.addEventListener('error', () => errors.push(`sourcebuffer error at ${at()}`));
        pump();
      }, { once: true });
      video.play().catch(() => {});
    };

    const pump = () => {
      if (!sb || sb.updating) return;
      const b = video.buffered;
      if (b.length) {
        const end = b.end(b.length - 1);
        if (seekLive && !queue.length) {
          seekLive = false; // the GOP burst is in: jump to the live edge
          video.currentTime = Math.max(b.start(b.length - 1), end - 0.1);
        } else if (startNew || video.currentTime < b.start(0) || video.currentTime > end + 1) {
          video.currentTime = b.start(b.length - 1); // a new source: start where its data starts
        }
        startNew = false;
        if (video.paused) video.play().catch(() => {});
        if (!queue.length && b.start(0) < video.currentTime - 20) {
          sb.remove(b.start(0), video.currentTime - 10); // keep memory flat
          return;
        }
      }
      if (queue.length) {
        try {
          sb.appendBuffer(queue.shift());
        } catch (e) {
          errors.push(`append: ${e.name} at ${at()}`);
        }
      }
    };

    const ws = new WebSocket(token ? `${url}${url.includes('?') ? '&' : '?'}access_token=${token}` : url);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      openMs = at();
      const codecs = CANDIDATES.filter((c) => MediaSource.isTypeSupported(`video/mp4; codecs="${c}"`));
      ws.send(JSON.stringify({ type: 'play', codecs }));
    };
    ws.onmessage = (m) => {
      if (typeof m.data !== 'string') {
        queue.push(m.data);
        pump();
        return;
      }
      const e = JSON.parse(m.data);
      events.push({ ...e, atMs: at(), frames: frames() });
      if (e.type === 'init') newSource(e.mime);
      if (e.type === 'live') { seekLive = true; pump(); }
      if (e.type === 'offline') wentOffline = true;
      if (e.type === 'online' && wentOffline) onlineFrames = frames();
    };
    ws.onclose = (c) => events.push({ type: 'closed', code: c.code, atMs: at() });

    const samples = [];
    let advancedS = 0; // playback position advanced, summed over sources (a new one starts its own timeline)
    while (performance.now() - t0 < seconds * 1000) {
      await new Promise((r) => setTimeout(r, 250));
      const b = video.buffered;
      const prev = samples[samples.length - 1];
      const delta = prev ? video.currentTime - prev.currentTime : 0;
      if (delta > 0 && delta < 2) advancedS += delta;
      samples.push({ atMs: at(), currentTime: video.currentTime, frames: frames(), rendered,
        bufferedEnd: b.length ? b.end(b.length - 1) : null, paused: video.paused, state: video.readyState });
      if (untilBack && onlineFrames !== null && frames() - onlineFrames >= 50) break;
    }
    ws.close();
    return { events, errors, openMs, firstFrameMs, firstFrameFromOpenMs: firstFrameMs === null ? null : firstFrameMs - openMs,
      width: video.videoWidth, height: video.videoHeight,
      first: samples.find((s) => s.frames > 0) || null, last: samples[samples.length - 1],
      advancedS, framesAfterOnline: onlineFrames === null ? null : frames() - onlineFrames, samples: samples.length,
      audioDecodedBytes: audioBytes(),
      trace: samples.filter((s, i) => i % 8 === 0) };
  }, { url, seconds: Number(seconds), token: process.env.TOKEN || '', untilBack: !!process.env.UNTIL_BACK });
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
