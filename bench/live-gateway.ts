/**
 * The gateway alone in its own process for `bench/live.ts`, so its RSS is the
 * gateway's and nobody else's. Configured over IPC by the parent (the subgraphs
 * run there); answers `{ rss: true }` with `process.memoryUsage().rss`.
 */
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
  process.on('message', (m: { rss?: boolean; gc?: boolean; snapshot?: string; stop?: boolean }) => {
    if (m.rss) {
      const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, Math.round(s.space_size / 1048576)]));
      const cpu = process.cpuUsage();
      process.send!({
        rss: process.memoryUsage().rss,
        cpuMs: (cpu.user + cpu.system) / 1000,
        memory: { ...process.memoryUsage(), spacesMb: spaces },
      });
    }
    if (m.gc) (globalThis as { gc?: () => void }).gc?.();
    if (m.snapshot) process.send!({ snapshot: writeHeapSnapshot(m.snapshot) });
    if (m.stop) void gw.close().then(() => process.exit(0));
  });
  process.send!({ url });
});
