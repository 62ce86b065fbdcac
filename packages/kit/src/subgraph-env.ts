import { readFileSync } from 'node:fs';
import { DEFAULT_ANSWER_CACHE_MB, DEFAULT_DB_BOUNDS, DEFAULT_POOL_MAX, EnvReader, LOG_LEVELS } from './config';
import { DEFAULT_DRAIN_MS } from './http';
import { DEFAULT_ENTITIES_CAP } from './entities-cap';
import { loadPrivateKey, loadPublicKey } from './internal-token';
import { createLogger } from './log';
import type { SubgraphConfig } from './subgraph';
import { tracingConfigFromEnv } from './tracing';

export const SUBGRAPH_NAMES = ['identity', 'budgets', 'catalog', 'guardrails', 'observability'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/**
 * Which subgraph calls which other's internal routes (`ctx.callService`), stated once: the caller is
 * given the callee's URL (`COCKPIT_<CALLEE>_URL`), the callee accepts the caller's key
 * (`COCKPIT_<CALLER>_PUBLIC_KEY`). Observability's ingest, called by all four, is apart (the outbox).
 */
export const SERVICE_CALLS: Readonly<Partial<Record<SubgraphName, readonly SubgraphName[]>>> = {
  // where a node sits, the user's teams (BU2, BU4, BU5); a model's price (BU5)
  budgets: ['identity', 'catalog'],
  // grant scopes, a user's teams and orgs (CA3); that guardrail presets exist (CA6)
  catalog: ['identity', 'guardrails'],
};
/** The services that call `name`'s internal routes (observability: the other four, for ingest). */
export const callersOf = (name: SubgraphName): SubgraphName[] =>
  name === 'observability' ? SUBGRAPH_NAMES.filter((n) => n !== name) : SUBGRAPH_NAMES.filter((n) => SERVICE_CALLS[n]?.includes(name));
export const DEFAULT_PORTS: Record<SubgraphName | 'gateway', number> = {
  gateway: 4000,
  identity: 4001,
  budgets: 4002,
  catalog: 4003,
  guardrails: 4004,
  observability: 4005,
};

const pem = (r: EnvReader, name: string) => {
  const inline = r.optional(name);
  if (inline) return inline.replace(/\\n/g, '\n');
  const file = r.optional(`${name}_FILE`);
  if (file) return readFileSync(file, 'utf8');
  r.string(`${name}_FILE`); // records "required"
  return '';
};

/**
 * Catalog's key-encryption keys of connection secrets (CA7): `COCKPIT_SECRET_KEYS` inline, or the file
 * `COCKPIT_SECRET_KEYS_FILE` names (a mounted Secret). `from` names where they came from, for messages; undefined
 * when neither is set. Read by the catalog service and by `cockpit up` / `cockpit rotate-secrets` alike.
 */
export function secretKeysFromEnv(r: EnvReader): { keys: string; from: string } | undefined {
  const inline = r.optional('COCKPIT_SECRET_KEYS')?.trim();
  if (inline) return { keys: inline, from: 'COCKPIT_SECRET_KEYS' };
  const file = r.optional('COCKPIT_SECRET_KEYS_FILE');
  if (!file) return undefined;
  const from = `COCKPIT_SECRET_KEYS_FILE (${file})`;
  try {
    const keys = readFileSync(file, 'utf8').trim();
    if (keys) return { keys, from };
    r.invalid(`${from} is empty`);
  } catch (e) {
    r.invalid(`${from} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return undefined;
}

/** A standalone subgraph's configuration, read once from the environment (main.ts). */
export function subgraphConfigFromEnv(name: SubgraphName, env = process.env): { config: SubgraphConfig; port: number; host: string } {
  const r = new EnvReader(env);
  const upper = name.toUpperCase();
  const databaseUrl = r.optional(`${upper}_DATABASE_URL`) ?? r.string('DATABASE_URL');
  const port = r.int('PORT', DEFAULT_PORTS[name], 0, 65535);
  const host = r.string('HOST', '127.0.0.1');
  const logLevel = r.oneOf('LOG_LEVEL', LOG_LEVELS, 'info');
  const publicPem = pem(r, 'COCKPIT_GATEWAY_PUBLIC_KEY');
  const servicePem = pem(r, 'COCKPIT_SERVICE_KEY');
  const callerPems = callersOf(name).map((n) => [n, pem(r, `COCKPIT_${n.toUpperCase()}_PUBLIC_KEY`)] as const);
  const drainMs = r.int('COCKPIT_DRAIN_MS', DEFAULT_DRAIN_MS, 0, 600_000);
  const answerCacheMb = r.int('COCKPIT_ANSWER_CACHE_MB', DEFAULT_ANSWER_CACHE_MB, 0, 64 * 1024);
  const entitiesCap = {
    maxRepresentations: r.int('COCKPIT_ENTITIES_MAX', DEFAULT_ENTITIES_CAP.maxRepresentations, 1, 1_000_000),
    maxPerType: r.int('COCKPIT_ENTITIES_MAX_PER_TYPE', DEFAULT_ENTITIES_CAP.maxPerType, 1, 1_000_000),
  };
  const dbPoolMax = r.int('COCKPIT_DB_POOL_MAX', DEFAULT_POOL_MAX, 1, 1000);
  const dbBounds = {
    acquireTimeoutMs: r.int('COCKPIT_DB_ACQUIRE_TIMEOUT_MS', DEFAULT_DB_BOUNDS.acquireTimeoutMs, 1, 600_000),
    statementTimeoutMs: r.int('COCKPIT_DB_STATEMENT_TIMEOUT_MS', DEFAULT_DB_BOUNDS.statementTimeoutMs, 0, 3_600_000),
    lockTimeoutMs: r.int('COCKPIT_DB_LOCK_TIMEOUT_MS', DEFAULT_DB_BOUNDS.lockTimeoutMs, 0, 3_600_000),
  };
  const observabilityUrl = r.url('COCKPIT_OBSERVABILITY_URL', `http://127.0.0.1:${DEFAULT_PORTS.observability}`)!;
  const callees = SERVICE_CALLS[name] ?? [];
  // catalog seals connection secrets under these (CA7); required there, read nowhere else
  // catalog's key-encryption keys, inline or from a mounted file (COCKPIT_SECRET_KEYS_FILE)
  let secretKeys: string | undefined;
  if (name === 'catalog') {
    const read = secretKeysFromEnv(r);
    if (read) secretKeys = read.keys;
    else if (!r.optional('COCKPIT_SECRET_KEYS_FILE')) r.string('COCKPIT_SECRET_KEYS_FILE'); // records "required"
  }
  const serviceUrls = callees.map((n) => [n, r.url(`COCKPIT_${n.toUpperCase()}_URL`, `http://127.0.0.1:${DEFAULT_PORTS[n]}`)!] as const);
  const tracing = tracingConfigFromEnv(r);
  r.done();
  return {
    port,
    host,
    config: {
      databaseUrl,
      gatewayPublicKey: loadPublicKey(publicPem),
      serviceKey: loadPrivateKey(servicePem),
      serviceKeys: callerPems.length ? Object.fromEntries(callerPems.map(([n, p]) => [n, loadPublicKey(p)])) : undefined,
      observabilityUrl,
      serviceUrls: serviceUrls.length ? Object.fromEntries(serviceUrls) : undefined,
      answerCacheMb,
      drainMs,
      dbPoolMax,
      dbBounds,
      entitiesCap,
      secretKeys,
      tracing,
      log: createLogger(name, logLevel),
    },
  };
}
