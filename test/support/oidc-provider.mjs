#!/usr/bin/env node
/**
 * A real OpenID provider (oidc-provider v9) for end-to-end tests.
 *
 *   PORT=0 node test/support/oidc-provider.mjs
 *
 * Once listening on 127.0.0.1 it prints exactly one JSON line to stdout:
 *   {"issuer":"http://127.0.0.1:<port>","port":<port>}
 * Everything else (oidc-provider notices/warnings, errors) goes to stderr.
 *
 * Environment:
 *   PORT         port to listen on (0 = any free port, default 0)
 *   TOKEN_TTL    lifetime in seconds of client_credentials access tokens (default 3600)
 *   SIGNING_ALG  JWS algorithm of the generated signing keys: RS256 (default), PS256 or ES256
 *   DEFAULT_AUDIENCE  audience of tokens requested without a `resource` parameter (default cockpit)
 *   EXIT_WITH_STDIN   when "1", exit as soon as stdin closes (set by test/support/oidc.ts so the
 *                     server dies with the test process even if that one is SIGKILLed)
 *
 * Tests:
 *   1. register a client (dynamic registration, open) with
 *        { grant_types: ['client_credentials'], response_types: [], redirect_uris: [],
 *          token_endpoint_auth_method: 'client_secret_post',
 *          cockpit_claims: { ...claims },          // copied verbatim into every access token
 *          cockpit_token_ttl: 60 }                 // optional, overrides TOKEN_TTL for this client
 *   2. POST /token grant_type=client_credentials&resource=<resource indicator>
 *      The resource indicator must be an absolute URI (RFC 8707). The JWT's `aud` is the
 *      resource itself, except for `urn:cockpit:test-audience:<percent-encoded audience>`,
 *      which yields aud=<audience>; that is how a non-URI audience such as `cockpit` is obtained.
 *
 * Test-only endpoints:
 *   POST /__test/rotate          new signing key first, old keys stay published -> {"kid":"..."}
 *   POST /__test/drop-old-keys   keep only the current signing key                -> {"kids":["..."]}
 *   GET  /__test/stats           requests served so far                           -> {"jwksRequests":n}
 *   POST /__test/sign {payload}  a JWT with exactly these claims, signed with the current key
 *                                (for tokens the provider would never issue: no exp, another iss)
 *                                -> {"token":"..."}
 */
import * as crypto from 'node:crypto';
import * as http from 'node:http';

// oidc-provider prints its NOTICEs with console.info (stdout). stdout is reserved for the ready
// line, so route every console method that targets stdout to stderr before loading it.
console.log = console.error;
console.info = console.error;
console.debug = console.error;

const { default: Provider, errors } = await import('oidc-provider');
const { exportJWK, generateKeyPair, importJWK, SignJWT } = await import('jose');

const AUDIENCE_URN_PREFIX = 'urn:cockpit:test-audience:';
const RESERVED_CLAIMS = new Set(['iss', 'aud', 'exp', 'iat', 'nbf', 'jti']);

const PORT = Number(process.env.PORT ?? 0);
const TOKEN_TTL = Number(process.env.TOKEN_TTL ?? 3600);
const SIGNING_ALG = process.env.SIGNING_ALG || 'RS256';
const DEFAULT_AUDIENCE = process.env.DEFAULT_AUDIENCE || 'cockpit';

if (!Number.isInteger(PORT) || PORT < 0 || PORT > 65535) fatal(`invalid PORT ${process.env.PORT}`);
if (!Number.isSafeInteger(TOKEN_TTL) || TOKEN_TTL <= 0) fatal(`invalid TOKEN_TTL ${process.env.TOKEN_TTL}`);
if (!['RS256', 'PS256', 'ES256'].includes(SIGNING_ALG)) fatal(`unsupported SIGNING_ALG ${SIGNING_ALG}`);

function fatal(message) {
  process.stderr.write(`oidc-provider test server: ${message}\n`);
  process.exit(1);
}

function isPlainObject(value) {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/* ------------------------------------------------------------------------------------------ */
/* Storage shared by every Provider instance (survives key rotation).                         */
/* ------------------------------------------------------------------------------------------ */

const store = new Map(); // `${model}:${id}` -> { payload, expiresAt }

class SharedMemoryAdapter {
  constructor(model) {
    this.model = model;
  }

  key(id) {
    return `${this.model}:${id}`;
  }

  async upsert(id, payload, expiresIn) {
    const expiresAt = typeof expiresIn === 'number' && expiresIn > 0 ? Date.now() + expiresIn * 1000 : Infinity;
    store.set(this.key(id), { payload: structuredClone(payload), expiresAt });
  }

  async find(id) {
    const entry = store.get(this.key(id));
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      store.delete(this.key(id));
      return undefined;
    }
    return structuredClone(entry.payload);
  }

  async #findBy(property, value) {
    const prefix = `${this.model}:`;
    for (const [key, entry] of store) {
      if (key.startsWith(prefix) && entry.payload[property] === value && entry.expiresAt > Date.now()) {
        return structuredClone(entry.payload);
      }
    }
    return undefined;
  }

  async findByUid(uid) {
    return this.#findBy('uid', uid);
  }

  async findByUserCode(userCode) {
    return this.#findBy('userCode', userCode);
  }

  async consume(id) {
    const entry = store.get(this.key(id));
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id) {
    store.delete(this.key(id));
  }

  async revokeByGrantId(grantId) {
    for (const [key, entry] of store) {
      if (entry.payload.grantId === grantId) store.delete(key);
    }
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Keys                                                                                       */
/* ------------------------------------------------------------------------------------------ */

/** Private JWKs; keys[0] is the signing key, the rest are only published for verification. */
let keys = [];

async function newKey() {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: `test-${crypto.randomUUID()}`, alg: SIGNING_ALG, use: 'sig' };
}

/* ------------------------------------------------------------------------------------------ */
/* Provider                                                                                   */
/* ------------------------------------------------------------------------------------------ */

const cookieKeys = [crypto.randomBytes(32).toString('base64url')];

function clientTtl(client) {
  const ttl = client?.cockpit_token_ttl;
  return Number.isSafeInteger(ttl) && ttl > 0 ? ttl : TOKEN_TTL;
}

function buildProvider(issuer) {
  const provider = new Provider(issuer, {
    adapter: SharedMemoryAdapter,
    jwks: { keys: keys.map((k) => ({ ...k })) },
    cookies: { keys: cookieKeys },
    clientDefaults: {
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: SIGNING_ALG,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      registration: { enabled: true, initialAccessToken: false },
      resourceIndicators: {
        enabled: true,
        // Without a `resource` parameter the token would be opaque; default to DEFAULT_AUDIENCE.
        defaultResource: async (_ctx, _client, oneOf) => oneOf ?? `${AUDIENCE_URN_PREFIX}${encodeURIComponent(DEFAULT_AUDIENCE)}`,
        getResourceServerInfo: async (_ctx, resourceIndicator) => {
          const audience = resourceIndicator.startsWith(AUDIENCE_URN_PREFIX)
            ? decodeURIComponent(resourceIndicator.slice(AUDIENCE_URN_PREFIX.length))
            : resourceIndicator;
          if (!audience) throw new errors.InvalidTarget('empty audience');
          return {
            scope: '',
            audience,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: SIGNING_ALG } },
          };
        },
      },
    },
    extraClientMetadata: {
      properties: ['cockpit_claims', 'cockpit_token_ttl'],
      validator(_ctx, key, value) {
        if (value === undefined) return;
        if (key === 'cockpit_claims' && !isPlainObject(value)) {
          throw new errors.InvalidClientMetadata('cockpit_claims must be a plain JSON object');
        }
        if (key === 'cockpit_token_ttl' && !(Number.isSafeInteger(value) && value > 0)) {
          throw new errors.InvalidClientMetadata('cockpit_token_ttl must be a positive integer');
        }
      },
    },
    // Copied into the token's `extra`, spread first into the JWT payload.
    extraTokenClaims: async (_ctx, token) => {
      const claims = token.client?.cockpit_claims;
      return isPlainObject(claims) ? structuredClone(claims) : undefined;
    },
    formats: {
      customizers: {
        // oidc-provider overwrites sub/scope/client_id after spreading `extra`; the claims the test
        // asked for win, except the protocol-owned ones (iss, aud, exp, iat, nbf, jti).
        jwt: async (_ctx, token, structured) => {
          const claims = token.client?.cockpit_claims;
          if (!isPlainObject(claims)) return;
          for (const [name, value] of Object.entries(claims)) {
            if (!RESERVED_CLAIMS.has(name)) structured.payload[name] = structuredClone(value);
          }
        },
      },
    },
    ttl: {
      ClientCredentials: (_ctx, _token, client) => clientTtl(client),
      AccessToken: (_ctx, _token, client) => clientTtl(client),
    },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
  });

  provider.on('server_error', (_ctx, err) => {
    process.stderr.write(`oidc-provider server_error: ${err?.stack ?? err}\n`);
  });

  return provider;
}

/* ------------------------------------------------------------------------------------------ */
/* HTTP server                                                                                */
/* ------------------------------------------------------------------------------------------ */

let issuer;
let handler; // current provider.callback(); swapped on key rotation

async function rebuild() {
  handler = buildProvider(issuer).callback();
}

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

// Serialise key changes so concurrent rotate calls cannot lose keys.
let keyOps = Promise.resolve();
function withKeys(fn) {
  const run = keyOps.then(fn);
  keyOps = run.catch(() => {});
  return run;
}

/** How many times the JWKS was fetched: lets tests prove a verifier does not hammer the IdP. */
let jwksRequests = 0;
const jwksPath = '/jwks'; // oidc-provider's default route, as discovery publishes it

async function testEndpoint(req, res, path) {
  if (req.method === 'GET' && path === '/__test/stats') return json(res, 200, { jwksRequests });
  if (req.method !== 'POST') return json(res, 405, { error: 'method_not_allowed' });
  if (path === '/__test/sign') {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const { payload } = JSON.parse(raw || '{}');
    const key = keys[0];
    const token = await new SignJWT(payload ?? {})
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .sign(await importJWK(key, key.alg));
    return json(res, 200, { token });
  }
  req.resume(); // ignore any body
  if (path === '/__test/rotate') {
    const kid = await withKeys(async () => {
      const key = await newKey();
      keys = [key, ...keys];
      await rebuild();
      return key.kid;
    });
    return json(res, 200, { kid });
  }
  if (path === '/__test/drop-old-keys') {
    const kids = await withKeys(async () => {
      keys = keys.slice(0, 1);
      await rebuild();
      return keys.map((k) => k.kid);
    });
    return json(res, 200, { kids });
  }
  return json(res, 404, { error: 'not_found' });
}

const server = http.createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  if (path.startsWith('/__test/')) {
    testEndpoint(req, res, path).catch((err) => {
      process.stderr.write(`oidc-provider test endpoint error: ${err?.stack ?? err}\n`);
      if (!res.headersSent) json(res, 500, { error: 'server_error' });
      else res.destroy();
    });
    return;
  }
  if (!handler) return json(res, 503, { error: 'starting' });
  if (req.method === 'GET' && path === jwksPath) jwksRequests += 1;
  handler(req, res);
});

server.on('clientError', (_err, socket) => socket.destroy());

keys = [await newKey()];

await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(PORT, '127.0.0.1', resolve);
}).catch((err) => fatal(`cannot listen on 127.0.0.1:${PORT}: ${err.message}`));

const { port } = server.address();
issuer = `http://127.0.0.1:${port}`;
try {
  await rebuild();
} catch (err) {
  fatal(`cannot build provider: ${err?.stack ?? err}`);
}

process.stdout.write(`${JSON.stringify({ issuer, port })}\n`);

let stopping = false;
function shutdown() {
  if (stopping) return;
  stopping = true;
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
if (process.env.EXIT_WITH_STDIN === '1') {
  process.stdin.on('end', shutdown);
  process.stdin.on('close', shutdown);
  process.stdin.on('error', shutdown);
  process.stdin.resume();
}
