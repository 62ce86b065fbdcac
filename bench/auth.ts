/**
 * `npm run bench:auth` (never part of `npm test`): what API-key authentication
 * costs per request once the gateway's key cache is warm, against the master
 * key — a sha256 and a constant-time compare, the nearest to "no auth" the
 * gateway accepts — and against no auth at all, estimated as the API-key
 * request less authenticate()'s own time. Two measurements:
 *   1. `{ __typename }` through the gateway over HTTP (the gateway answers it
 *      without a subgraph call, so auth is a visible share of the request);
 *   2. `authenticate()` alone, in process, for both credentials.
 * Requests alternate between the two credentials so drift hits both equally.
 */
import { performance } from 'node:perf_hooks';
import { startBenchStack } from './stack';
import { ApiKeyCache } from '../gateway/src/auth/api-keys';
import { identityClient } from '../gateway/src/auth/identity-client';
import { createAuthenticator } from '../gateway/src/auth/authenticate';
import { OidcVerifier } from '../gateway/src/auth/oidc';
import { DEFAULT_CLAIMS } from '../gateway/src/config';
import { gatewayPoster } from './gql';

const N = Number(process.env.BENCH_AUTH_REQUESTS ?? 2000);
const N_IN_PROCESS = Number(process.env.BENCH_AUTH_CALLS ?? 20_000);
const WARMUP = 100;
const MASTER_KEY = 'bench-master-key';

interface Summary {
  p50: number;
  p99: number;
  mean: number;
}
function summarize(samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  return {
    p50: s[Math.floor(s.length / 2)],
    p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))],
    mean: s.reduce((a, b) => a + b, 0) / s.length,
  };
}

/** Times `a` and `b` alternately, `n` samples each, after a warm-up of both. */
async function alternate(n: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[Summary, Summary]> {
  for (let i = 0; i < WARMUP; i++) {
    await a();
    await b();
  }
  const sa: number[] = [];
  const sb: number[] = [];
  for (let i = 0; i < n; i++) {
    for (const [fn, out] of i % 2 === 0
      ? ([
          [a, sa],
          [b, sb],
        ] as const)
      : ([
          [b, sb],
          [a, sa],
        ] as const)) {
      const t = performance.now();
      await fn();
      out.push(performance.now() - t);
    }
  }
  return [summarize(sa), summarize(sb)];
}

async function main() {
  // a 30 s cache: the longest the gateway allows, so the run stays warm (a refresh would show in p99 only)
  const stack = await startBenchStack({ masterKey: MASTER_KEY, apiKeyCacheSeconds: 30 });
  const keys = stack.keys.gateway;
  const post = gatewayPoster(stack.url);
  try {
    const account = (
      await post(MASTER_KEY, `mutation { createAccount(input: { name: "Bench", emailDomain: "bench.example", planTier: TEAM }) { id } }`)
    ).createAccount.id;
    const secret: string = (
      await post(MASTER_KEY, `mutation { createApiKey(input: { name: "bench", tier: ADMIN }) { secret } }`, {}, account)
    ).createApiKey.secret;
    const TRIVIAL = `{ __typename }`;

    // 1. through the gateway
    const [viaKey, viaMaster] = await alternate(
      N,
      () => post(secret, TRIVIAL),
      () => post(MASTER_KEY, TRIVIAL),
    );

    // 2. authenticate() alone, with a cache of its own pointing at the same identity
    const cache = new ApiKeyCache(
      identityClient(() => stack.subgraphUrls.identity, keys.privateKey),
      30_000,
    );
    const auth = createAuthenticator({ masterKey: MASTER_KEY, apiKeys: cache, oidc: new OidcVerifier([]), claims: DEFAULT_CLAIMS });
    const [inKey, inMaster] = await alternate(
      N_IN_PROCESS,
      () => auth.authenticate({ authorization: `Bearer ${secret}`, requestId: 'bench' }),
      () => auth.authenticate({ authorization: `Bearer ${MASTER_KEY}`, requestId: 'bench' }),
    );

    const ms = (n: number) => `${n.toFixed(3)} ms`;
    const us = (n: number) => `${(n * 1000).toFixed(2)} µs`;
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    console.log(`\nAPI-key authentication, warm cache (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'})`);
    console.log(`{ __typename } via the gateway, ${N} requests each:`);
    console.log(`  API key     p50 ${ms(viaKey.p50)}  p99 ${ms(viaKey.p99)}  mean ${ms(viaKey.mean)}`);
    console.log(`  master key  p50 ${ms(viaMaster.p50)}  p99 ${ms(viaMaster.p99)}  mean ${ms(viaMaster.mean)}`);
    console.log(
      `  ratio key/master  p50 ${ratio(viaKey.p50, viaMaster.p50)}  p99 ${ratio(viaKey.p99, viaMaster.p99)}  (p50 difference ${us(viaKey.p50 - viaMaster.p50)})`,
    );
    console.log(`authenticate() in process, ${N_IN_PROCESS} calls each:`);
    console.log(`  API key     p50 ${us(inKey.p50)}  p99 ${us(inKey.p99)}  mean ${us(inKey.mean)}`);
    console.log(`  master key  p50 ${us(inMaster.p50)}  p99 ${us(inMaster.p99)}  mean ${us(inMaster.mean)}`);
    console.log(`  ratio key/master  p50 ${ratio(inKey.p50, inMaster.p50)}  p99 ${ratio(inKey.p99, inMaster.p99)}`);
    // the gateway refuses unauthenticated requests, so "no auth" is the API-key request less what authenticate() takes
    const noAuth = viaKey.p50 - inKey.p50;
    console.log(`vs. no auth (the API-key request less authenticate()'s p50):`);
    console.log(
      `  no auth ≈ ${ms(noAuth)}  ratio with/without auth p50 ${(viaKey.p50 / noAuth).toFixed(4)}  (auth is ${((inKey.p50 / viaKey.p50) * 100).toFixed(2)}% of the request)`,
    );
  } finally {
    await stack.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
