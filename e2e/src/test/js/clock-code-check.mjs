// Checks the clock code without a browser: Debian's FFmpeg pulls the camera's RTSP stream and decodes
// it to grey frames, clock-code.mjs reads each one. Reports as JSON on stdout: frames, frames with a
// valid code, the picture's age when FFmpeg handed it over (now − code), the step between the codes of
// consecutive frames (one frame interval when the code is right) and the span from the first to the last.
// usage: node clock-code-check.mjs <rtsp-url> <width> <height> <frames>  (FFmpeg is stopped after 30 s)
import { spawn } from 'node:child_process';
import { clockCodeAge, decodeClockCode } from './clock-code.mjs';

const [url, width, height, count = '100'] = process.argv.slice(2);
if (!height) {
  console.error('usage: node clock-code-check.mjs <rtsp-url> <width> <height> <frames>');
  process.exit(2);
}
const w = Number(width);
const h = Number(height);
const size = w * h;
const ffmpeg = spawn('ffmpeg', ['-loglevel', 'error', '-fflags', 'nobuffer', '-flags', 'low_delay',
  '-rtsp_transport', 'tcp', '-i', url, '-frames:v', count, '-an', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'],
{ stdio: ['ignore', 'pipe', 'inherit'] });

let pending = Buffer.alloc(0);
let frames = 0;
const codes = []; // [code, age] of each frame with a valid code
ffmpeg.stdout.on('data', (chunk) => {
  pending = Buffer.concat([pending, chunk]);
  while (pending.length >= size) {
    const frame = pending.subarray(0, size);
    pending = pending.subarray(size);
    frames++;
    const code = decodeClockCode((x, y) => frame[y * w + x], h);
    if (code !== null) {
      codes.push([code, clockCodeAge(Date.now(), code)]);
    }
  }
});
const timer = setTimeout(() => ffmpeg.kill(), 30_000);
const code = await new Promise((resolve) => ffmpeg.on('close', resolve));
clearTimeout(timer);
const sorted = (values) => values.slice().sort((a, b) => a - b);
const summary = (values) => {
  const s = sorted(values);
  return s.length ? { min: s[0], p50: s[Math.floor(s.length / 2)], max: s[s.length - 1] } : null;
};
const steps = codes.slice(1).map(([c], i) => c - codes[i][0]);
console.log(JSON.stringify({ ffmpegExit: code, frames, decoded: codes.length,
  ageMs: summary(codes.map(([, age]) => age)), stepMs: summary(steps),
  spanMs: codes.length ? codes[codes.length - 1][0] - codes[0][0] : null }));
