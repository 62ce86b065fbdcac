import WebSocket from 'ws';
import { idSuffix, NextFrame, textFrameHeader } from '../src/subscriptions/frame';

/**
 * The live fan-out's shared `next` frame (subscriptions/frame.ts): its header is
 * the one ws itself writes for a server's text frame of that length, and
 * header + shared bytes + a subscription's id suffix is the graphql-transport-ws
 * message ws would have framed, with that subscription's id.
 */
/** ws's own framing (exported by ws, not by its types). */
const { Sender } = WebSocket as unknown as {
  Sender: { frame(data: Buffer, options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean }): Buffer[] };
};

describe("an event's shared next frame", () => {
  it.each([0, 1, 125, 126, 127, 65_535, 65_536, 70_000])('frames %i bytes as ws does', (n) => {
    const [header] = Sender.frame(Buffer.alloc(n), { fin: true, opcode: 1, mask: false, readOnly: true, rsv1: false });
    expect(textFrameHeader(n)).toEqual(header);
  });

  it("carries each subscription's own id, escaped, after the payload the group shares", () => {
    const payload = Buffer.from(JSON.stringify({ data: { events: { seq: 7, type: 'a.b', note: 'é ✓ "q"' } } }));
    const frame = new NextFrame(payload);
    for (const id of ['1', '4a0c2f4e-6f2b-4b8e-9b7e-0f5d1c2a3b4c', 'id "quoted" \\ é ✓', 'x'.repeat(300)]) {
      const suffix = idSuffix(id);
      const head = frame.head(suffix.length);
      const wire = Buffer.concat([head, suffix]);
      // what a client reads: the header, then exactly the announced length of JSON
      const [header] = Sender.frame(frame.message(suffix), { fin: true, opcode: 1, mask: false, readOnly: true, rsv1: false });
      expect(wire.subarray(0, header.length)).toEqual(header);
      expect(wire.length - header.length).toBe(frame.body.length + suffix.length);
      expect(JSON.parse(wire.subarray(header.length).toString())).toEqual({ type: 'next', id, payload: JSON.parse(payload.toString()) });
    }
    // ids of one length share one header and body
    expect(frame.head(idSuffix('a').length)).toBe(frame.head(idSuffix('b').length));
  });
});
