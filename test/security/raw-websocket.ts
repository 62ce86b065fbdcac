/**
 * A WebSocket client on a bare TCP socket, for writing frames no well-behaved
 * library would: wrong lengths, bad UTF-8, unmasked, fragmented without end.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export const OP = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9 } as const;

export interface FrameOptions {
  fin?: boolean;
  mask?: boolean;
  /** The length the header announces, when it should lie about the payload. */
  declaredLength?: number;
}

export function frame(opcode: number, payload: Buffer | string, opts: FrameOptions = {}): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const { fin = true, mask = true } = opts;
  const len = opts.declaredLength ?? body.length;
  let header: Buffer;
  if (len < 126) header = Buffer.from([(fin ? 0x80 : 0) | opcode, (mask ? 0x80 : 0) | len]);
  else if (len < 65536) {
    header = Buffer.alloc(4);
    header[0] = (fin ? 0x80 : 0) | opcode;
    header[1] = (mask ? 0x80 : 0) | 126;
    header.writeUInt16BE(len, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = (fin ? 0x80 : 0) | opcode;
    header[1] = (mask ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  if (!mask) return Buffer.concat([header, body]);
  const key = randomBytes(4);
  const masked = Buffer.alloc(body.length);
  for (let i = 0; i < body.length; i++) masked[i] = body[i] ^ key[i % 4];
  return Buffer.concat([header, key, masked]);
}

export interface RawWebSocket {
  socket: Socket;
  write(b: Buffer | string): void;
  /** Text messages the server sent. */
  messages: string[];
  /** The server's close frame (code and reason), or `code: null` when the TCP connection ended without one. */
  closed: Promise<{ code: number | null; reason: string }>;
}

/** Completes the graphql-transport-ws handshake on `wsUrl` and returns the raw socket. */
export function rawWebSocket(wsUrl: string, protocol = 'graphql-transport-ws'): Promise<RawWebSocket> {
  const url = new URL(wsUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let buf = Buffer.alloc(0);
    let upgraded = false;
    const messages: string[] = [];
    let settleClosed!: (v: { code: number | null; reason: string }) => void;
    const closed = new Promise<{ code: number | null; reason: string }>((r) => (settleClosed = r));
    socket.on('error', () => {}); // resets are what some tests cause
    socket.on('close', () => {
      settleClosed({ code: null, reason: '' });
      if (!upgraded) reject(new Error('connection closed before the handshake completed'));
    });
    socket.on('connect', () =>
      socket.write(
        `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n` +
          `Sec-WebSocket-Protocol: ${protocol}\r\n\r\n`,
      ),
    );
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString();
        if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(`handshake refused: ${head.split('\r\n')[0]}`));
        upgraded = true;
        buf = buf.subarray(end + 4);
        resolve({ socket, write: (b) => socket.write(b), messages, closed });
      }
      // server frames are unmasked; the ones these tests read are short
      for (;;) {
        if (buf.length < 2) return;
        let len = buf[1] & 0x7f;
        let offset = 2;
        if (len === 126) {
          if (buf.length < 4) return;
          len = buf.readUInt16BE(2);
          offset = 4;
        } else if (len === 127) {
          if (buf.length < 10) return;
          len = Number(buf.readBigUInt64BE(2));
          offset = 10;
        }
        if (buf.length < offset + len) return;
        const opcode = buf[0] & 0x0f;
        const payload = buf.subarray(offset, offset + len);
        buf = buf.subarray(offset + len);
        if (opcode === OP.text) messages.push(payload.toString());
        if (opcode === OP.close) {
          settleClosed({ code: payload.length >= 2 ? payload.readUInt16BE(0) : 1005, reason: payload.subarray(2).toString() });
          socket.end();
        }
      }
    });
  });
}
