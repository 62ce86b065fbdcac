import { readFileSync } from 'node:fs';
import { DEFAULT_ANSWER_CACHE_MB, EnvReader, LOG_LEVELS } from './config';
import { loadPrivateKey, loadPublicKey } from './internal-token';
import { createLogger } from './log';
import type { SubgraphConfig } from './subgraph';

export const SUBGRAPH_NAMES = ['identity', 'budgets', 'catalog', 'guardrails', 'observability'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];
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
  // observability's ingest is called by the other four, each signing with its own key; identity's directory scopes by budgets and catalog
  const callers =
    name === 'observability' ? SUBGRAPH_NAMES.filter((n) => n !== name) : name === 'identity' ? (['budgets', 'catalog'] as const) : [];
  const callerPems = callers.map((n) => [n, pem(r, `COCKPIT_${n.toUpperCase()}_PUBLIC_KEY`)] as const);
  const answerCacheMb = r.int('COCKPIT_ANSWER_CACHE_MB', DEFAULT_ANSWER_CACHE_MB, 0, 64 * 1024);
  const observabilityUrl = r.url('COCKPIT_OBSERVABILITY_URL', `http://127.0.0.1:${DEFAULT_PORTS.observability}`)!;
  // budgets (where a node sits) and catalog (grant scopes, a user's teams and orgs) read the directory from identity's internal route
  const identityUrl =
    name === 'catalog' || name === 'budgets' ? r.url('COCKPIT_IDENTITY_URL', `http://127.0.0.1:${DEFAULT_PORTS.identity}`)! : undefined;
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
      serviceUrls: identityUrl ? { identity: identityUrl } : undefined,
      answerCacheMb,
      log: createLogger(name, logLevel),
    },
  };
}
