// Reads the clock code of every frame of a recording: Debian's FFmpeg decodes a URL (an HLS playlist
// of delivery's DVR, or any input FFmpeg opens) to grey frames, clock-code.mjs reads each one. The
// frames are FFmpeg's decoded frames as they are (-fps_mode passthrough: none duplicated or dropped to
// fill a constant frame rate, which rawvideo output would otherwise do across a timestamp jump).
// Prints JSON on stdout: FFmpeg's exit code and the tail of its stderr, how many frames, how many had a
// valid code, the clock (ms since the epoch) of the first and the last frame, and every frame's clock
// (null where no valid code was read). The code holds the low 40 bits of the clock; the full value is
// the one nearest to now (the recording is minutes old, 2^40 ms is 35 years).
// usage: node clock-code-read.mjs <url> <width> <height>  (FFmpeg is stopped after 60 s)
import { spawn } from 'node:child_process';
import { clockCodeAge, decodeClockCode } from './clock-code.mjs';

const [url, width, height] = process.argv.slice(2);
if (!height) {
  console.error('usage: node clock-code-read.mjs <url> <width> <height>');
  process.exit(2);
}
const w = Number(width);
const h = Number(height);
const size = w * h;
const ffmpeg = spawn('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-i', url,
  '-an', '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'],
{ stdio: ['ignore', 'pipe', 'pipe'] });

let pending = Buffer.alloc(0);
const clocks = [];
ffmpeg.stdout.on('data', (chunk) => {
  pending = Buffer.concat([pending, chunk]);
  while (pending.length >= size) {
    const frame = pending.subarray(0, size);
    pending = pending.subarray(size);
    const code = decodeClockCode((x, y) => frame[y * w + x], h);
    const now = Date.now();
    clocks.push(code === null ? null : now - clockCodeAge(now, code));
  }
});
let stderr = '';
ffmpeg.stderr.on('data', (chunk) => {
  stderr = (stderr + chunk.toString()).slice(-4000);
});
let timedOut = false;
const timer = setTimeout(() => {
  timedOut = true;
  ffmpeg.kill();
}, 60_000);
const exit = await new Promise((resolve) => ffmpeg.on('close', (code, signal) => resolve(code ?? signal)));
clearTimeout(timer);
const decoded = clocks.filter((c) => c !== null).length;
console.log(JSON.stringify({ ffmpegExit: exit, timedOut, frames: clocks.length, decoded,
  leftoverBytes: pending.length, first: clocks.length ? clocks[0] : null,
  last: clocks.length ? clocks[clocks.length - 1] : null, stderr, clocks }));
