import { randomFillSync } from 'node:crypto';

let lastMs = 0;
let seq = 0;

/** Random bytes drawn a few KB at a time (as `crypto.randomUUID` does): an id costs a copy, not a call into the CSPRNG. */
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let poolAt = POOL_SIZE;
function random(n: number): Buffer {
  if (poolAt + n > POOL_SIZE) {
    randomFillSync(pool);
    poolAt = 0;
  }
  poolAt += n;
  return pool.subarray(poolAt - n, poolAt);
}

/** RFC 9562 UUIDv7: time-ordered, so ids sort by creation and serve as keyset cursors. */
export function uuidv7(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    // keep ids strictly increasing within this process even inside one millisecond
    seq = (seq + 1) & 0xfff;
    if (seq === 0) lastMs += 1;
    ms = lastMs;
  } else {
    lastMs = ms;
    seq = random(2).readUInt16BE(0) & 0x7ff;
  }
  const b = random(16); // consumed: the pool never hands these bytes out again
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | (seq >> 8);
  b[7] = seq & 0xff;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID_RE.test(v);
}
