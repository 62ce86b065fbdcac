#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createGateway,
  DEV_ISSUER,
  DEFAULT_ALGORITHMS,
  DEFAULT_CLAIMS,
  DEFAULT_JWKS_COOLDOWN_SECONDS,
  edgeSettingsFromEnv,
  rateLimitConfigFromEnv,
} from '@cockpit/gateway';
import {
  ConfigError,
  createLogger,
  DEFAULT_ANSWER_CACHE_MB,
  EnvReader,
  LOG_LEVELS,
  SUBGRAPH_NAMES,
  isUuid,
  secretKeysFromEnv,
  tracingConfigFromEnv,
} from '@cockpit/kit/edge';
import { gatewayConfigFor, listenAs, PortInUseError, type StackOptions } from './edge';
import { adminKeyPath, cockpitHome, hasKeyPair, homeSecretKeys, homeSecretKeysPath, keyPair, writeSecret } from './home';
import { processCount, startSubgraphProcess, SUBGRAPH_PROCESS_COMMAND, SubgraphProcessError } from './processes';
import { mintDevToken } from './token';

/*
 * What this file imports is what `cockpit up`'s gateway process holds in memory
 * next to its sockets: the gateway and the CLI's edge, no subgraph, ORM or
 * database driver. Those are required only where a command runs them (one
 * process, migrate, keys, the subgraph process). `require`, not `import()`:
 * `npm start` runs under tsx's CommonJS hook, without an ESM loader for .ts.
 */
const stackModule = () => require('./stack') as typeof import('./stack');
const identityModule = () => require('@cockpit/identity') as typeof import('@cockpit/identity');
const catalogModule = () => require('@cockpit/catalog') as typeof import('@cockpit/catalog');

const USAGE = `cockpit <command>

  up                      start the gateway (PORT, default 4000) and the five subgraphs (PORT+1…PORT+5)
  migrate                 run every subgraph's migrations and exit
  token --role R [--account ID] [--subject S] [--ttl SECONDS]
                          mint a development token from the local dev issuer
  keys recover            create a new platform ADMIN key (needs database access)
  rotate-secrets          re-wrap every connection secret under the first key of
                          COCKPIT_SECRET_KEYS (needs database access; audited)

Environment: COCKPIT_HOME (default .cockpit), DATABASE_URL (embedded PGlite under
$COCKPIT_HOME/data when unset), PORT, HOST, COCKPIT_MASTER_KEY, OIDC_ISSUER,
OIDC_AUDIENCE, OIDC_ALGORITHMS, OIDC_ROLES_CLAIM, OIDC_ACCOUNT_ID_CLAIM,
OIDC_SUPER_ADMIN_ROLES, OIDC_JWKS_COOLDOWN_SECONDS, COCKPIT_RATE_LIMIT_*,
COCKPIT_REDIS_URL, LOG_LEVEL, NODE_ENV, COCKPIT_INTROSPECTION, COCKPIT_GRAPHIQL,
COCKPIT_DEV_ISSUER, COCKPIT_PROCESSES, COCKPIT_ANSWER_CACHE_MB, COCKPIT_SECRET_KEYS (see README.md).`;

/** The longest a development token may live (30 days). */
const MAX_TTL_SECONDS = 30 * 24 * 3600;

function env() {
  const r = new EnvReader(process.env);
  const cfg = {
    home: cockpitHome(),
    databaseUrl: r.url('DATABASE_URL'),
    port: r.int('PORT', 4000, 0, 65535),
    host: r.string('HOST', '127.0.0.1'),
    masterKey: r.optional('COCKPIT_MASTER_KEY'),
    oidcIssuer: r.url('OIDC_ISSUER'),
    oidcAudience: r.optional('OIDC_AUDIENCE'),
    oidcAlgorithms: r.list('OIDC_ALGORITHMS', DEFAULT_ALGORITHMS),
    jwksCooldownSeconds: r.int('OIDC_JWKS_COOLDOWN_SECONDS', DEFAULT_JWKS_COOLDOWN_SECONDS, 0, 3600),
    claims: {
      rolesClaim: r.string('OIDC_ROLES_CLAIM', DEFAULT_CLAIMS.rolesClaim),
      accountIdClaim: r.string('OIDC_ACCOUNT_ID_CLAIM', DEFAULT_CLAIMS.accountIdClaim),
      superAdminRoles: r.list('OIDC_SUPER_ADMIN_ROLES', DEFAULT_CLAIMS.superAdminRoles),
    },
    logLevel: r.oneOf('LOG_LEVEL', LOG_LEVELS, 'warn'),
    edge: edgeSettingsFromEnv(r),
    devIssuer: false,
    rateLimit: rateLimitConfigFromEnv(r),
    processes: processCount(r),
    answerCacheMb: r.int('COCKPIT_ANSWER_CACHE_MB', DEFAULT_ANSWER_CACHE_MB, 0, 64 * 1024),
    // as the catalog service reads them: inline or from COCKPIT_SECRET_KEYS_FILE
    secretKeys: secretKeysFromEnv(r),
    // the standard OTEL_* variables; the subgraph process reads the same environment
    tracing: tracingConfigFromEnv(r),
  };
  // the local dev issuer mints tokens for any role: in production only when asked for
  cfg.devIssuer = r.oneOf('COCKPIT_DEV_ISSUER', ['on', 'off'], cfg.edge.production ? 'off' : 'on') === 'on';
  r.done();
  return cfg;
}

function stackOptions(cfg: ReturnType<typeof env>): StackOptions {
  const internal = keyPair(cfg.home, 'gateway');
  // one key pair per service, so that no service holds a key another trusts to speak for users
  const serviceKeys = {} as NonNullable<StackOptions['serviceKeys']>;
  for (const n of SUBGRAPH_NAMES) serviceKeys[n] = keyPair(cfg.home, n);
  const dev = keyPair(cfg.home, 'dev-issuer');
  return {
    databaseUrl: cfg.databaseUrl,
    dataDir: join(cfg.home, 'data'),
    socketDir: join(cfg.home, 'run'),
    host: cfg.host,
    port: cfg.port,
    randomPorts: cfg.port === 0, // PORT=0: every service on a free port (tests, side-by-side installs)
    internalKey: internal,
    serviceKeys,
    masterKey: cfg.masterKey,
    issuers: [
      ...(cfg.devIssuer ? [{ issuer: DEV_ISSUER, audience: 'cockpit', publicKey: dev.publicKey, algorithms: ['EdDSA'] }] : []),
      ...(cfg.oidcIssuer ? [{ issuer: cfg.oidcIssuer, audience: cfg.oidcAudience, algorithms: cfg.oidcAlgorithms }] : []),
    ],
    claims: cfg.claims,
    jwksCooldownSeconds: cfg.jwksCooldownSeconds,
    logLevel: cfg.logLevel,
    edge: cfg.edge,
    rateLimit: cfg.rateLimit,
    answerCacheMb: cfg.answerCacheMb,
    secretKeys: cfg.secretKeys?.keys ?? homeSecretKeys(cfg.home),
    tracing: cfg.tracing,
  };
}

/** Writes a new admin key to $COCKPIT_HOME/admin-key (0600); the literal goes only to a terminal. */
function reportKey(home: string, secret: string, what: string) {
  const file = adminKeyPath(home);
  writeSecret(file, `${secret}\n`);
  console.log(`${what}: written to ${file} (mode 0600)`);
  if (process.stdout.isTTY) console.log(`  ${secret}`);
}

async function up() {
  const cfg = env();
  const t0 = Date.now();
  console.log(`starting Cockpit (${cfg.databaseUrl ? 'PostgreSQL' : `embedded database in ${join(cfg.home, 'data')}`}) …`);
  const { url, boot, close, processes } = cfg.processes > 1 ? await upAcrossProcesses(cfg) : await upInOneProcess(cfg);
  console.log(`\nCockpit is up in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${url}  (WebSocket ${url.replace(/^http/, 'ws')})`);
  console.log(processes);
  if (boot.created) reportKey(cfg.home, boot.secret, 'bootstrap admin key (platform ADMIN tier)');
  else console.log(`admin key: an ADMIN-tier key already exists (the first one was written to ${adminKeyPath(cfg.home)})`);
  console.log(`
try it:
  curl -s ${url} -H "authorization: Bearer $(cat ${adminKeyPath(cfg.home)})" \\
    -H 'content-type: application/json' -d '{"query":"{ accounts { totalCount } }"}'${
      cfg.devIssuer ? '\n  a dev token for a role:  npm run cockpit -- token --role OWNER --account <account id>' : ''
    }`);
  const stop = async () => {
    console.log('\nstopping …');
    await close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('cockpit did not stop cleanly:', err instanceof Error ? err.message : err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

interface Running {
  url: string;
  boot: { created: true; secret: string } | { created: false };
  /** One line naming what runs where. */
  processes: string;
  close(): Promise<void>;
}

/** `COCKPIT_PROCESSES=1`: database, subgraphs and gateway in this process. */
async function upInOneProcess(cfg: ReturnType<typeof env>): Promise<Running> {
  const stack = await stackModule().startStack(stackOptions(cfg));
  const boot = await identityModule().bootstrapAdminKey(stack.subgraphs.identity.orm);
  return { url: stack.url, boot, processes: `one process (${process.pid}; COCKPIT_PROCESSES=1)`, close: () => stack.close() };
}

/**
 * The gateway in this process, the database and the subgraphs in a child
 * (src/processes.ts). The gateway starts only once the subgraphs listen, so its
 * /readyz is never up before they are; if the child dies, so does `cockpit up`
 * (exit 1, with the reason) rather than serving errors — a supervisor restarts it.
 */
async function upAcrossProcesses(cfg: ReturnType<typeof env>): Promise<Running> {
  const opts = stackOptions(cfg);
  const sub = await startSubgraphProcess(__filename);
  try {
    const log = createLogger('cockpit', cfg.logLevel);
    const gateway = await createGateway(
      gatewayConfigFor(opts, sub.urls, opts.serviceKeys!.identity.publicKey),
      log.child({ service: 'gateway' }),
    );
    sub.onUnexpectedExit((why) => {
      console.error(`the subgraph process (${sub.pid}) stopped unexpectedly (${why}): stopping Cockpit`);
      void gateway.close().finally(() => process.exit(1));
    });
    const url = await listenAs('gateway', (p) => gateway.listen(p, cfg.host), cfg.port).catch(async (err) => {
      await gateway.close().catch(() => {});
      throw err;
    });
    return {
      url,
      boot: sub.boot,
      processes: `gateway in process ${process.pid}; database and subgraphs in process ${sub.pid} (COCKPIT_PROCESSES=${cfg.processes})`,
      async close() {
        await gateway.close();
        await sub.stop();
      },
    };
  } catch (err) {
    await sub.stop();
    throw err;
  }
}

async function migrate() {
  const cfg = env();
  const stack = await stackModule().startStack({ ...stackOptions(cfg), port: 0, randomPorts: true });
  console.log('migrations applied for identity, budgets, catalog, guardrails, observability');
  await stack.close();
}

async function token(args: string[]) {
  let values: { role?: string; account?: string; subject?: string; ttl?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: { role: { type: 'string' }, account: { type: 'string' }, subject: { type: 'string' }, ttl: { type: 'string' } },
    }));
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\nusage: cockpit token --role R [--account ID] [--subject S] [--ttl SECONDS]`);
  }
  const role = values.role?.toUpperCase();
  if (!role || !['SUPER_ADMIN', 'OWNER', 'ADMIN', 'OPERATOR', 'VIEWER', 'END_USER'].includes(role)) {
    throw new ConfigError('token needs --role SUPER_ADMIN|OWNER|ADMIN|OPERATOR|VIEWER|END_USER');
  }
  if (values.account && !isUuid(values.account)) throw new ConfigError('--account must be an account id (UUID)');
  if (role !== 'SUPER_ADMIN' && !values.account) throw new ConfigError(`--account is required for ${role}`);
  const ttl = values.ttl === undefined ? undefined : Number(values.ttl);
  if (ttl !== undefined && (!/^\d+$/.test(values.ttl!) || ttl < 1 || ttl > MAX_TTL_SECONDS))
    throw new ConfigError(`--ttl must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS} (got "${values.ttl}")`);
  const cfg = env();
  // a key minted here would be one no running gateway trusts: it is created by `cockpit up`, never by `token`
  if (!hasKeyPair(cfg.home, 'dev-issuer'))
    throw new ConfigError(
      `no dev-issuer key in ${cfg.home}: run \`cockpit up\` once with this COCKPIT_HOME (it creates the key the gateway trusts), then mint tokens`,
    );
  const dev = keyPair(cfg.home, 'dev-issuer');
  console.log(
    await mintDevToken(dev.privateKey, {
      role,
      accountId: values.account,
      subject: values.subject,
      ttlSeconds: ttl,
    }),
  );
}

async function keys(args: string[]) {
  if (args[0] !== 'recover') throw new ConfigError('usage: cockpit keys recover');
  const cfg = env();
  const stack = await stackModule().startStack({ ...stackOptions(cfg), port: 0, randomPorts: true });
  try {
    const { secret } = await identityModule().recoverAdminKey(stack.subgraphs.identity.orm);
    reportKey(cfg.home, secret, 'recovery admin key (platform ADMIN tier, audited)');
  } finally {
    await stack.close();
  }
}

/**
 * CA7 key rotation without a token (as `keys recover`: the stack in-process, on the database): what
 * `mutation { rotateConnectionSecrets }` does, under the keys `cockpit up` would use.
 */
async function rotateSecrets(args: string[]) {
  if (args.length) throw new ConfigError('usage: cockpit rotate-secrets');
  const cfg = env();
  // the home's generated keys count only if they exist: a fresh key would open nothing that is stored
  if (!cfg.secretKeys && !existsSync(homeSecretKeysPath(cfg.home)))
    throw new ConfigError(
      `no connection-secret keys: set COCKPIT_SECRET_KEYS to the stack's keys with the new one first (<new kid>:<base64 of 32 bytes>,<old kid>:<…>) or COCKPIT_SECRET_KEYS_FILE to a file holding them, or run with the COCKPIT_HOME whose secret-keys file holds them`,
    );
  const options = stackOptions(cfg);
  const from = cfg.secretKeys?.from ?? homeSecretKeysPath(cfg.home);
  const catalog = catalogModule();
  // a bad value is named before the stack starts: which entry and what is wrong, never the key material
  let primary: string;
  try {
    primary = catalog.SecretBox.fromConfig(options.secretKeys!).primary.id;
  } catch (e) {
    const what = (e as Error).message.replace(/^COCKPIT_SECRET_KEYS: /, '');
    throw new ConfigError(`${from}: ${what}; fix it (<new kid>:<base64 of 32 bytes>,<old kid>:<…>, new key first) and run again`);
  }
  const stack = await stackModule().startStack({ ...options, port: 0, randomPorts: true });
  try {
    const r = await catalog.rotateConnectionSecretsAsSystem(stack.subgraphs.catalog.orm, options.secretKeys!).catch((e: unknown) => {
      // a stored secret's key is not listed: the keys are not the stack's (or its old key was dropped too early)
      if (!(e instanceof catalog.UnlistedSecretKeyError)) throw e;
      throw new ConfigError(
        `${from}: connection secrets are sealed under key ${e.keyId}, which is not listed; list it after the new key (<new kid>:<…>,${e.keyId}:<…>) and run again`,
      );
    });
    const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
    console.log(`rotated ${plural(r.rotated, 'connection secret')} under key ${primary} (${plural(r.accounts, 'account')})`);
    if (r.rotated === 0) console.log(`every connection secret is already under ${primary}: keys listed after it may be removed`);
  } finally {
    await stack.close();
  }
}

async function main(argv: string[]) {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'up':
      return up();
    case 'migrate':
      return migrate();
    case 'token':
      return token(rest);
    case 'keys':
      return keys(rest);
    case 'rotate-secrets':
      return rotateSecrets(rest);
    case SUBGRAPH_PROCESS_COMMAND:
      if (!process.send) throw new ConfigError(`${SUBGRAPH_PROCESS_COMMAND} is started by \`cockpit up\`, not by hand`);
      return (require('./subgraph-process') as typeof import('./subgraph-process')).serveSubgraphs(stackOptions(env()));
    default:
      console.log(USAGE);
      if (cmd && cmd !== 'help' && cmd !== '--help') process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((err) => {
  if (err instanceof ConfigError || err instanceof PortInUseError || err instanceof SubgraphProcessError) console.error(err.message);
  else if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
    console.error(`port in use: ${(err as Error).message}. Set PORT to another base port, or stop the other instance.`);
  else console.error(err);
  process.exit(1);
});
