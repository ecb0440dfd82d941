// Draws Tally's app icons (tally marks on a blue tile) into public/ as PNGs, with no dependencies.
// Run `node scripts/make-icons.mjs` after changing the drawing; it overwrites the files it names.
import { writeFileSync } from 'node:fs';
import { deflateSync, crc32 } from 'node:zlib';

const blue = [0x2b, 0x59, 0xc3];
const white = [0xff, 0xff, 0xff];

/** Signed distance (in drawing units, 0..100) from p to a segment a-b, minus its half-width r. */
function capsule(px, py, ax, ay, bx, by, r) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy) - r;
}

/** Signed distance to a square 0..100 with corners rounded by `radius`. */
function tile(px, py, radius) {
  const qx = Math.abs(px - 50) - (50 - radius);
  const qy = Math.abs(py - 50) - (50 - radius);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

/** Four strokes and a strike: the marks, centred, scaled by `scale` around the middle. */
function marks(px, py, scale) {
  const x = 50 + (px - 50) / scale;
  const y = 50 + (py - 50) / scale;
  let d = Infinity;
  for (const bx of [29, 42, 55, 68]) d = Math.min(d, capsule(x, y, bx, 27, bx, 73, 4));
  return Math.min(d, capsule(x, y, 20, 66, 78, 34, 4));
}

/** RGBA pixels of one icon; 4x4 samples per pixel for smooth edges. */
function draw(size, { maskable }) {
  const out = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      let cover = 0;
      let ink = 0;
      for (let sj = 0; sj < n; sj++) {
        for (let si = 0; si < n; si++) {
          const px = ((i + (si + 0.5) / n) / size) * 100;
          const py = ((j + (sj + 0.5) / n) / size) * 100;
          const inTile = maskable || tile(px, py, 22) <= 0;
          if (!inTile) continue;
          cover += 1;
          if (marks(px, py, maskable ? 0.72 : 1) <= 0) ink += 1;
        }
      }
      const a = cover / (n * n);
      const w = cover === 0 ? 0 : ink / cover;
      const o = (j * size + i) * 4;
      for (let c = 0; c < 3; c++) out[o + c] = Math.round(blue[c] * (1 - w) + white[c] * w);
      out[o + 3] = Math.round(a * 255);
    }
  }
  return out;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A truecolour-with-alpha PNG, one filter-0 byte before each row. */
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bits per channel
  ihdr[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let j = 0; j < size; j++) {
    rgba.copy(rows, j * (size * 4 + 1) + 1, j * size * 4, (j + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const icons = [
  ['public/icon-192.png', 192, false],
  ['public/icon-512.png', 512, false],
  ['public/icon-maskable-512.png', 512, true],
  ['public/apple-touch-icon.png', 180, true],
];
for (const [path, size, maskable] of icons) {
  writeFileSync(path, png(size, draw(size, { maskable })));
  console.log(`wrote ${path}`);
}
