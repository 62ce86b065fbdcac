/**
 * `npx tsx bench/live-floor.ts`: what the live fan-out's writes cost the kernel on this machine,
 * without the gateway. One process writes a 330-byte frame to each of N loopback TCP sockets per
 * "event" (`BENCH_LIVE_FLOOR_SOCKETS`, default 5,000), 20 events every 250 ms, another process
 * reads them; the writer's user and system CPU per event, for one `write` per socket (a copy into a
 * fresh Buffer, as the bridge does) and for `cork` + two `write`s + `uncork` (as ws does), twice each.
 */
import { fork } from 'node:child_process';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { loadavg } from 'node:os';

const N = Number(process.env.BENCH_LIVE_FLOOR_SOCKETS ?? 5000);
const ROUNDS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (process.argv[2] === 'reader') {
  const port = Number(process.argv[3]);
  let open = 0;
  for (let i = 0; i < N; i++) {
    const c = connect(port, '127.0.0.1', () => {
      if (++open === N) process.send!('open');
    });
    c.on('data', () => {});
  }
} else {
  const sockets: Socket[] = [];
  const server = createServer((s) => {
    s.setNoDelay(true); // as ws sets it
    sockets.push(s);
  });
  server.listen(0, '127.0.0.1', async () => {
    const reader = fork(__filename, ['reader', String((server.address() as AddressInfo).port)], { execArgv: ['--require', 'tsx/cjs'] });
    await new Promise((r) => reader.once('message', r));
    await sleep(500);
    const frame = Buffer.alloc(330, 120);
    const [head, tail] = [frame.subarray(0, 290), frame.subarray(290)];
    for (const mode of ['write', 'cork', 'write', 'cork'] as const) {
      const start = process.cpuUsage();
      for (let k = 0; k < ROUNDS; k++) {
        for (const s of sockets) {
          if (mode === 'write') {
            const b = Buffer.allocUnsafe(frame.length);
            frame.copy(b);
            s.write(b);
          } else {
            s.cork();
            s.write(head);
            s.write(tail);
            s.uncork();
          }
        }
        await sleep(250);
      }
      const c = process.cpuUsage(start);
      console.log(
        `${mode}: ${sockets.length} sockets, per event user ${(c.user / 1000 / ROUNDS).toFixed(1)} ms, system ${(c.system / 1000 / ROUNDS).toFixed(1)} ms (load ${loadavg()[0].toFixed(1)})`,
      );
    }
    reader.kill();
    process.exit(0);
  });
}
