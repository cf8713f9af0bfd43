// Reads the clock code that the RTSP test camera draws into each frame with --clock-code (the layout is
// described in test-support's rtsp-camera.py): the camera's wall clock, in ms since the epoch, when the
// frame was made. Used in node (frames from FFmpeg) and in the browser (frames from a canvas): the
// function is self-contained, so that its source can be handed to a page.

/**
 * @param luma (x, y) => brightness 0..255 of the pixel at x, y of the frame
 * @param height the frame's height in pixels (the cell size follows from it)
 * @returns the low 40 bits of the time in ms, or null when no valid code is there (sync or CRC wrong)
 */
export function decodeClockCode(luma, height) {
  const COLS = 13;
  const ROWS = 4;
  const SYNC = [1, 0, 1, 0];
  const TIME_BITS = 40;
  const cell = 16 * Math.max(1, Math.floor((height + 180) / 360));
  const bits = [];
  for (let i = 0; i < COLS * ROWS; i++) {
    const x0 = (1 + (i % COLS)) * cell;
    const y0 = (1 + Math.floor(i / COLS)) * cell;
    // the middle half of the cell: its edges blur into the neighbours after a lossy encoder
    let sum = 0;
    let n = 0;
    for (let y = y0 + cell / 4; y < y0 + (3 * cell) / 4; y += 2) {
      for (let x = x0 + cell / 4; x < x0 + (3 * cell) / 4; x += 2) {
        sum += luma(x, y);
        n++;
      }
    }
    bits.push(sum / n >= 128 ? 1 : 0);
  }
  if (SYNC.some((b, i) => bits[i] !== b)) {
    return null;
  }
  let value = 0;
  const bytes = [0, 0, 0, 0, 0];
  for (let i = 0; i < TIME_BITS; i++) {
    const bit = bits[SYNC.length + i];
    value = value * 2 + bit; // not <<: 40 bits do not fit an int32
    bytes[i >> 3] = (bytes[i >> 3] << 1) | bit;
  }
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) {
      crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
    }
  }
  let sent = 0;
  for (let i = 0; i < 8; i++) {
    sent = (sent << 1) | bits[SYNC.length + TIME_BITS + i];
  }
  return sent === crc ? value : null;
}

/** now (ms since the epoch) minus a decoded 40-bit time: the age of the picture in ms (negative: from the future). */
export function clockCodeAge(nowMs, code) {
  const WRAP = 2 ** 40;
  const age = (((nowMs - code) % WRAP) + WRAP) % WRAP;
  return age >= WRAP / 2 ? age - WRAP : age;
}

/** The pixel area the code takes for a frame height: what a player needs to copy out of a frame. */
export function clockCodeArea(height) {
  const cell = 16 * Math.max(1, Math.floor((height + 180) / 360));
  return { width: 15 * cell, height: 6 * cell };
}
