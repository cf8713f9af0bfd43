// Plays a camflow stream over WebRTC (WHEP, docs/webrtc.md) in Debian's headless Chromium with a minimal
// WHEP client, and reports as JSON on stdout what the browser's own statistics (getStats) said: time from
// the POST to the answer and to the first decoded frame, and per second frames decoded, freezes, NACKs
// sent, packets lost, PLIs, jitter-buffer delay. Ends the session with DELETE.
// usage: [TOKEN=<access token>] [RUNS=n] [AUDIO=1] node whep-play.mjs <whep-url> <seconds>
//   exit 0 when a session was made and frames were decoded, 1 otherwise ("reason" says why)
//   RUNS=n (benchmark): n sessions one after another in the same page, each for <seconds>; the report is
//   the last one's plus "runs": POST → first decoded frame of each, and its p50/p95/max
//   AUDIO=1: the audio track plays in an <audio> element (the browser decodes audio only for a sink)
//   and each sample, and the report, get "audio": the audio inbound-rtp's packets, samples received,
//   concealed samples and level
// The page runs on the stream's origin (delivery's /healthz, open on loopback).
import { chromium } from 'playwright-core';

const [url, seconds = '10'] = process.argv.slice(2);
if (!url) {
  console.error('usage: [TOKEN=…] node whep-play.mjs <whep-url> <seconds>');
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
  await page.goto(new URL('/healthz', url).href);
  await page.setContent('<video id="v" muted autoplay playsinline></video>');
  const firstFrames = [];
  for (let run = Number(process.env.RUNS || 1); run > 0; run--) {
    result = await page.evaluate(async ({ url, seconds, token, withAudio }) => {
      const out = { ok: false, reason: null, status: null, answerMs: null, firstFrameMs: null, location: null,
        samples: [], final: null, connection: [] };
      const t0 = performance.now();
      const at = () => Math.round(performance.now() - t0);
      const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
      pc.addTransceiver('video', { direction: 'recvonly' });
      pc.addTransceiver('audio', { direction: 'recvonly' });
      pc.onconnectionstatechange = () => out.connection.push([at(), pc.connectionState]);
      const video = document.getElementById('v');
      pc.ontrack = (e) => {
        if (e.track.kind === 'video') {
          video.srcObject = new MediaStream([e.track]);
          video.play().catch(() => {});
        } else if (e.track.kind === 'audio' && withAudio) {
          const sink = document.createElement('audio');
          sink.autoplay = true;
          sink.srcObject = new MediaStream([e.track]);
          document.body.appendChild(sink);
          sink.play().catch(() => {});
        }
      };
      await pc.setLocalDescription(await pc.createOffer());
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/sdp', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: pc.localDescription.sdp,
      });
      out.status = response.status;
      const body = await response.text();
      out.answerMs = at();
      if (response.status !== 201) {
        out.reason = `WHEP answered ${response.status}: ${body.trim().slice(0, 200)}`;
        pc.close();
        return out;
      }
      out.location = response.headers.get('Location');
      await pc.setRemoteDescription({ type: 'answer', sdp: body });
      const inbound = async (kind) => {
        let found = null;
        (await pc.getStats()).forEach((s) => {
          if (s.type === 'inbound-rtp' && s.kind === kind) {
            found = s;
          }
        });
        return found;
      };
      const videoStats = () => inbound('video');
      const audioPick = (s) => (s ? {
        packetsReceived: s.packetsReceived ?? 0, packetsLost: s.packetsLost ?? 0,
        totalSamplesReceived: s.totalSamplesReceived ?? 0, concealedSamples: s.concealedSamples ?? 0,
        audioLevel: s.audioLevel ?? 0, totalAudioEnergy: s.totalAudioEnergy ?? 0,
      } : null);
      const withAudioStats = async (sample) => (withAudio ? { ...sample, audio: audioPick(await inbound('audio')) } : sample);
      const pick = (s) => (s ? {
        framesDecoded: s.framesDecoded ?? 0, framesDropped: s.framesDropped ?? 0, freezeCount: s.freezeCount ?? 0,
        totalFreezesDuration: s.totalFreezesDuration ?? 0, nackCount: s.nackCount ?? 0, pliCount: s.pliCount ?? 0,
        packetsLost: s.packetsLost ?? 0, packetsReceived: s.packetsReceived ?? 0, bytesReceived: s.bytesReceived ?? 0,
        frameWidth: s.frameWidth ?? 0, frameHeight: s.frameHeight ?? 0, keyFramesDecoded: s.keyFramesDecoded ?? 0,
        jitterBufferMs: s.jitterBufferEmittedCount ? Math.round((1000 * s.jitterBufferDelay) / s.jitterBufferEmittedCount) : null,
      } : null);
      const end = t0 + seconds * 1000;
      // the first decoded frame, watched closely
      while (performance.now() < Math.min(end, t0 + 10_000)) {
        const s = await videoStats();
        if (s && s.framesDecoded > 0) {
          out.firstFrameMs = at();
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      let next = performance.now() + 1000;
      while (performance.now() < end) {
        await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
        next += 1000;
        out.samples.push(await withAudioStats({ t: at(), ...pick(await videoStats()) }));
      }
      out.final = pick(await videoStats());
      if (withAudio) {
        out.audio = audioPick(await inbound('audio'));
      }
      const del = await fetch(new URL(out.location, location.href).href,
        { method: 'DELETE', headers: token ? { Authorization: `Bearer ${token}` } : {} });
      out.deleteStatus = del.status;
      pc.close();
      out.ok = out.firstFrameMs !== null && (out.final?.framesDecoded ?? 0) > 0;
      if (!out.ok) {
        out.reason = 'no frame was decoded';
      }
      return out;
    }, { url, seconds: Number(seconds), token: process.env.TOKEN || null, withAudio: process.env.AUDIO === '1' });
    firstFrames.push(result.firstFrameMs);
    if (!result.ok) {
      break;
    }
  }
  if (firstFrames.length > 1) {
    const sorted = firstFrames.filter((v) => v !== null).sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    result.runs = { firstFrameMs: firstFrames, p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
  }
} catch (e) {
  result = { ok: false, reason: `${e.name}: ${e.message.split('\n')[0]}` };
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
process.exitCode = result?.ok ? 0 : 1;
