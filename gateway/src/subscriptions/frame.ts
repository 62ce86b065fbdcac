/**
 * An event's graphql-transport-ws `next` message, built once per (group, event)
 * and written to every subscriber of the group. The message is JSON, whose key
 * order means nothing, so the one part that differs per subscriber — its id — goes
 * last: `{"type":"next","payload":<payload>` is shared, `,"id":"…"}` is the
 * subscription's own (built once when it subscribes). The WebSocket frame header
 * (RFC 6455 §5.2: FIN + text opcode, then the length; server frames are not
 * masked) depends only on the total length, so the header and the shared bytes
 * are one Buffer per id length, and a subscriber's frame is that Buffer and its id
 * suffix — no JSON, no framing, no closure or promise per socket.
 */
const NEXT_START = Buffer.from('{"type":"next","payload":');

/** `,"id":<id>}`: what ends a subscription's `next` messages. */
export function idSuffix(id: string): Buffer {
  return Buffer.from(`,"id":${JSON.stringify(id)}}`);
}

/** The header of an unmasked, unfragmented text frame of `length` bytes. */
export function textFrameHeader(length: number): Buffer {
  if (length < 126) return Buffer.from([0x81, length]);
  if (length < 65536) {
    const h = Buffer.allocUnsafe(4);
    h[0] = 0x81;
    h[1] = 126;
    h.writeUInt16BE(length, 2);
    return h;
  }
  const h = Buffer.allocUnsafe(10);
  h[0] = 0x81;
  h[1] = 127;
  h.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
  h.writeUInt32BE(length >>> 0, 6);
  return h;
}

export class NextFrame {
  /** `{"type":"next","payload":<payload>`. */
  readonly body: Buffer;
  /** Header and body per length of the suffix (ids of one length share it; usually all do). */
  private readonly heads = new Map<number, Buffer>();

  constructor(payload: Buffer) {
    this.body = Buffer.concat([NEXT_START, payload]);
  }

  /** The frame's header and shared bytes for a subscriber whose suffix is `suffixLength` bytes. */
  head(suffixLength: number): Buffer {
    let h = this.heads.get(suffixLength);
    if (!h) {
      h = Buffer.concat([textFrameHeader(this.body.length + suffixLength), this.body]);
      this.heads.set(suffixLength, h);
    }
    return h;
  }

  /** The whole message as text, for a socket that can't take a raw frame (e.g. a negotiated extension). */
  message(suffix: Buffer): Buffer {
    return Buffer.concat([this.body, suffix]);
  }
}
