/**
 * The gateway alone in its own process for `bench/live.ts`, so its RSS is the
 * gateway's and nobody else's. Configured over IPC by the parent (the subgraphs
 * run there); answers `{ rss: true }` with `process.memoryUsage().rss`.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { createGateway } from '@cockpit/gateway';
import { DEFAULT_CLAIMS } from '../gateway/src/config';
import { loadPrivateKey, loadPublicKey } from '@cockpit/kit/edge';

export interface LiveGatewaySetup {
  supergraph: string;
  subgraphUrls: Record<string, string>;
  internalKeyPem: string;
  identityPublicKeyPem: string;
  masterKey: string;
  maxConnectionsPerAccount: number;
}

process.once('message', async (setup: LiveGatewaySetup) => {
  const gw = await createGateway({
    supergraph: setup.supergraph,
    subgraphUrls: setup.subgraphUrls,
    internalKey: loadPrivateKey(setup.internalKeyPem),
    identityPublicKey: loadPublicKey(setup.identityPublicKeyPem),
    masterKey: setup.masterKey,
    issuers: [],
    claims: DEFAULT_CLAIMS,
    apiKeyCacheSeconds: 30,
    allowedOrigins: [],
    production: false,
    logLevel: 'error',
    rateLimit: { store: 'off', apiKeyRequestsPerMinute: 0, platformRequestsPerMinute: 6000, maxInFlight: 32 },
    live: { maxConnectionsPerAccount: setup.maxConnectionsPerAccount },
  });
  const url = await gw.listen(0, '127.0.0.1');
  // a CPU profile of the measured events alone (not start-up, not the handshakes): BENCH_LIVE_EVENT_PROFILE
  let inspector: Session | null = null;
  const profiler = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) => inspector!.post(method, params, (err, r) => (err ? reject(err) : resolve(r))));
  process.on('message', async (m: { profile?: 'start' | string }) => {
    if (!m.profile) return;
    if (m.profile === 'start') {
      inspector = new Session();
      inspector.connect();
      await profiler('Profiler.enable');
      await profiler('Profiler.setSamplingInterval', { interval: 200 });
      await profiler('Profiler.start');
      return process.send!({ profiling: true });
    }
    const { profile } = await profiler('Profiler.stop');
    inspector!.disconnect();
    inspector = null;
    writeFileSync(m.profile, JSON.stringify(profile));
    process.send!({ profile: m.profile });
  });
  process.on('message', (m: { rss?: boolean; gc?: boolean; snapshot?: string; stop?: boolean }) => {
    if (m.rss) {
      const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, Math.round(s.space_size / 1048576)]));
      const cpu = process.cpuUsage();
      process.send!({
        rss: process.memoryUsage().rss,
        cpuMs: (cpu.user + cpu.system) / 1000,
        systemMs: cpu.system / 1000,
        memory: { ...process.memoryUsage(), spacesMb: spaces },
      });
    }
    if (m.gc) (globalThis as { gc?: () => void }).gc?.();
    if (m.snapshot) process.send!({ snapshot: writeHeapSnapshot(m.snapshot) });
    if (m.stop) void gw.close().then(() => process.exit(0));
  });
  process.send!({ url });
});
