// Plays an HLS URL with hls.js in Debian's headless Chromium and reports what the page saw, as
// JSON on stdout: start time, frames decoded, playback position over time, fatal errors, stalls
// after the first frame (the video waited for data: 'waiting' events and hls.js's buffer-stalled
// errors, and stalledMs, how long the video stood waiting in all, from 'waiting' to 'playing'; 'at':
// where playback stood and what was buffered at the first waits), the delay behind live (program
// date time of the playing position vs. the page's clock),
// and the audio: the SourceBuffer codecs hls.js took from the init segment (BUFFER_CODECS), the
// audio bytes Chromium decoded.
// usage: [TOKEN=<access token>] node hls-play.mjs <playlist-url> <seconds>
// (playwright gives every launch a fresh, temporary profile); SCREENSHOT=<file.png> saves the page;
// HLS_PLAY_SAMPLES=1 adds every 200 ms sample, with the buffered ranges, to the report.
// The page runs on the playlist's origin (so no CORS is needed); TOKEN is sent as a bearer token.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';

const [url, seconds = '10'] = process.argv.slice(2);
const hlsPath = createRequire(import.meta.url).resolve('hls.js/dist/hls.min.js');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
});
try {
  const page = await browser.newPage();
  await page.goto(new URL('/healthz', url).href); // the playlist's origin (healthz: open on loopback)
  await page.setContent('<video id="v" muted autoplay playsinline></video>');
  await page.addScriptTag({ path: hlsPath });
  const result = await page.evaluate(async ({ url, seconds, token, debug }) => {
    const video = document.getElementById('v');
    const fatal = [];
    const t0 = performance.now();
    let firstFrameMs = null;
    const hls = new Hls({ lowLatencyMode: true,
      xhrSetup: (xhr) => { if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`); } });
    const stalls = { waiting: 0, bufferStalled: 0, stalledMs: 0, at: [] };
    let waitingSince = null;
    // where playback stood when it waited, and what was buffered then: a gap, or the live edge
    const buffered = () => Array.from({ length: video.buffered.length },
      (_, i) => [+video.buffered.start(i).toFixed(3), +video.buffered.end(i).toFixed(3)]);
    hls.on(Hls.Events.ERROR, (_, d) => {
      if (d.fatal) fatal.push(`${d.type}:${d.details}`);
      if (firstFrameMs !== null && d.details === Hls.ErrorDetails.BUFFER_STALLED_ERROR) stalls.bufferStalled++;
    });
    video.addEventListener('waiting', () => {
      if (firstFrameMs !== null) {
        stalls.waiting++;
        waitingSince ??= performance.now();
        if (stalls.at.length < 5) {
          stalls.at.push({ atMs: Math.round(performance.now() - t0), currentTime: +video.currentTime.toFixed(3),
            buffered: buffered() });
        }
      }
    });
    video.addEventListener('playing', () => {
      if (waitingSince !== null) { stalls.stalledMs += performance.now() - waitingSince; waitingSince = null; }
    });
    // the SourceBuffers hls.js makes from the init segment: camflow's fMP4 holds video and audio in one
    // ('audiovideo'), a demuxed rendition would have them apart ('audio', 'video')
    let bufferCodecs = {};
    hls.on(Hls.Events.BUFFER_CODECS, (_, d) => {
      for (const [kind, track] of Object.entries(d)) {
        if (track && (track.codec || track.levelCodec)) bufferCodecs[kind] = track.codec || track.levelCodec;
      }
    });
    hls.loadSource(url);
    hls.attachMedia(video);
    video.play().catch(() => {});
    const samples = [];
    while (performance.now() - t0 < seconds * 1000) {
      await new Promise((r) => setTimeout(r, 200));
      const q = video.getVideoPlaybackQuality();
      if (firstFrameMs === null && q.totalVideoFrames > 0) firstFrameMs = Math.round(performance.now() - t0);
      const playing = hls.playingDate ? hls.playingDate.getTime() : null;
      samples.push({ atMs: Math.round(performance.now() - t0), currentTime: video.currentTime,
        frames: q.totalVideoFrames, dropped: q.droppedVideoFrames, behindLiveMs: playing ? Date.now() - playing : null,
        audioBytes: video.webkitAudioDecodedByteCount, ...(debug ? { buffered: buffered() } : {}) });
    }
    if (waitingSince !== null) stalls.stalledMs += performance.now() - waitingSince; // still waiting
    stalls.stalledMs = Math.round(stalls.stalledMs);
    const late = samples.filter((s) => s.atMs > seconds * 500 && s.behindLiveMs !== null).map((s) => s.behindLiveMs);
    return { fatal, stalls, firstFrameMs, width: video.videoWidth, height: video.videoHeight,
      first: samples.find((s) => s.frames > 0) || null, last: samples[samples.length - 1],
      behindLiveMs: late.length ? late.sort((a, b) => a - b)[Math.floor(late.length / 2)] : null,
      lowLatencyMode: hls.lowLatencyMode, ...(debug ? { samples } : {}),
      audio: { bufferCodecs, decodedBytes: video.webkitAudioDecodedByteCount } };
  }, { url, seconds: Number(seconds), token: process.env.TOKEN || '', debug: !!process.env.HLS_PLAY_SAMPLES });
  if (process.env.SCREENSHOT) {
    await page.screenshot({ path: process.env.SCREENSHOT }); // what a viewer sees at the end
  }
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
