/**
 * Jest helper around test/support/oidc-provider.mjs: a real OpenID provider (oidc-provider v9)
 * in a child process, issuing real RS256 JWT access tokens through the client_credentials grant.
 *
 *   const idp = await startTestIssuer();
 *   const jwt = await idp.token({ sub: 'u1', roles: ['OWNER'] });          // aud = 'cockpit'
 *   const other = await idp.token(claims, { audience: 'https://api.example/', ttlSeconds: 5 });
 *   await idp.rotate();                                                    // new signing key
 *   await idp.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export interface TokenOptions {
  /** `aud` of the access token; default 'cockpit'. */
  audience?: string;
  /** Lifetime of the access token in seconds (positive integer); default the server's TOKEN_TTL (3600). */
  ttlSeconds?: number;
}

export interface TestIssuer {
  /** http://127.0.0.1:<port> */
  issuer: string;
  port: number;
  /**
   * Registers (once per claims+audience+ttl) a client whose `cockpit_claims` are `claims`, runs
   * client_credentials for `audience` and returns the JWT access token. `sub` is `claims.sub` if
   * present, otherwise the generated client id.
   */
  token(claims: Record<string, unknown>, opts?: TokenOptions): Promise<string>;
  /** New signing key (first in JWKS, old keys stay published); returns its kid. */
  rotate(): Promise<string>;
  /** Removes every key except the current signing key from JWKS; returns the remaining kids. */
  dropOldKeys(): Promise<string[]>;
  /** Requests the provider has served so far: `jwksRequests` counts GETs of its JWKS. */
  stats(): Promise<{ jwksRequests: number }>;
  /** A JWT with exactly `payload` (no claim added), signed with the provider's current key. */
  sign(payload: Record<string, unknown>): Promise<string>;
  /** SIGTERM the provider and wait until it has exited. */
  stop(): Promise<void>;
}

/** Must match AUDIENCE_URN_PREFIX in oidc-provider.mjs. */
export const AUDIENCE_URN_PREFIX = 'urn:cockpit:test-audience:';

export const DEFAULT_AUDIENCE = 'cockpit';

const SCRIPT = path.join(__dirname, 'oidc-provider.mjs');
const READY_TIMEOUT_MS = 20_000;
const STDERR_LIMIT = 64 * 1024;

/**
 * RFC 8707 resource indicators must be absolute URIs; a plain audience such as `cockpit` is sent as
 * `urn:cockpit:test-audience:cockpit`, which the test server maps back to aud=`cockpit`.
 */
export function resourceForAudience(audience: string): string {
  if (URL.canParse(audience) && !audience.includes('#')) return audience;
  return `${AUDIENCE_URN_PREFIX}${encodeURIComponent(audience)}`;
}

interface Discovery {
  issuer: string;
  token_endpoint: string;
  registration_endpoint: string;
  jwks_uri: string;
}

interface RegisteredClient {
  client_id: string;
  client_secret: string;
}

async function readJson<T>(res: Response, what: string): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what} failed: HTTP ${res.status} ${text}`);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${what} returned non-JSON: ${text}`);
  }
}

export async function startTestIssuer(env: Record<string, string> = {}): Promise<TestIssuer> {
  const child = spawn(process.execPath, [SCRIPT], {
    env: { ...process.env, PORT: '0', ...env, EXIT_WITH_STDIN: '1' },
    // stdin stays open as a lifeline: the server exits when it closes (i.e. when we die).
    stdio: ['pipe', 'pipe', 'pipe'],
  });

  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_LIMIT);
  });

  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

  // Belt and braces: kill the provider if the test process exits without calling stop().
  const killOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  let ready: { issuer: string; port: number };
  try {
    ready = await waitForReady(child, () => stderr);
  } catch (err) {
    killOnExit();
    process.removeListener('exit', killOnExit);
    throw err;
  }

  // A test that forgets stop() must not keep jest alive; the exit hook still kills the child.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }
  child.stdout!.resume(); // drain anything unexpected

  const { issuer, port } = ready;
  let discovery: Promise<Discovery> | undefined;
  const getDiscovery = (): Promise<Discovery> => {
    discovery ??= fetch(`${issuer}/.well-known/openid-configuration`)
      .then((res) => readJson<Discovery>(res, 'discovery'))
      .catch((err: unknown) => {
        discovery = undefined;
        throw err;
      });
    return discovery;
  };

  const clients = new Map<string, Promise<RegisteredClient>>();
  const registerClient = (claims: Record<string, unknown>, audience: string, ttlSeconds?: number) => {
    const key = JSON.stringify([claims, audience, ttlSeconds ?? null]);
    let client = clients.get(key);
    if (!client) {
      client = (async () => {
        const { registration_endpoint } = await getDiscovery();
        const res = await fetch(registration_endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            grant_types: ['client_credentials'],
            response_types: [],
            redirect_uris: [],
            token_endpoint_auth_method: 'client_secret_post',
            cockpit_claims: claims,
            ...(ttlSeconds === undefined ? {} : { cockpit_token_ttl: ttlSeconds }),
          }),
        });
        return readJson<RegisteredClient>(res, 'client registration');
      })();
      client.catch(() => clients.delete(key));
      clients.set(key, client);
    }
    return client;
  };

  const testEndpoint = async <T>(name: string): Promise<T> => {
    const res = await fetch(`${issuer}/__test/${name}`, { method: 'POST' });
    return readJson<T>(res, `/__test/${name}`);
  };

  let stopping: Promise<void> | undefined;

  return {
    issuer,
    port,

    async token(claims, opts = {}) {
      const audience = opts.audience ?? DEFAULT_AUDIENCE;
      const { ttlSeconds } = opts;
      if (ttlSeconds !== undefined && !(Number.isSafeInteger(ttlSeconds) && ttlSeconds > 0)) {
        throw new TypeError(`ttlSeconds must be a positive integer, got ${ttlSeconds}`);
      }
      const { client_id, client_secret } = await registerClient(claims, audience, ttlSeconds);
      const { token_endpoint } = await getDiscovery();
      const res = await fetch(token_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id,
          client_secret,
          resource: resourceForAudience(audience),
        }),
      });
      const { access_token } = await readJson<{ access_token: string }>(res, 'token request');
      return access_token;
    },

    async rotate() {
      const { kid } = await testEndpoint<{ kid: string }>('rotate');
      return kid;
    },

    async dropOldKeys() {
      const { kids } = await testEndpoint<{ kids: string[] }>('drop-old-keys');
      return kids;
    },

    async stats() {
      const res = await fetch(`${issuer}/__test/stats`);
      return readJson<{ jwksRequests: number }>(res, '/__test/stats');
    },

    async sign(payload) {
      const res = await fetch(`${issuer}/__test/sign`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ payload }),
      });
      return (await readJson<{ token: string }>(res, '/__test/sign')).token;
    },

    stop() {
      stopping ??= (async () => {
        child.ref();
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(timer);
        }
        process.removeListener('exit', killOnExit);
        child.stdin?.destroy();
      })();
      return stopping;
    },
  };
}

function waitForReady(child: ChildProcess, stderr: () => string): Promise<{ issuer: string; port: number }> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let done = false;

    const finish = (err: Error | undefined, value?: { issuer: string; port: number }): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.stdout!.removeListener('data', onData);
      child.removeListener('exit', onExit);
      child.removeListener('error', onError);
      if (err) reject(err);
      else resolve(value!);
    };

    const describe = (what: string): Error => new Error(`OIDC test provider (${SCRIPT}) ${what}; stderr:\n${stderr() || '(empty)'}`);

    const onData = (chunk: string): void => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      const line = buffered.slice(0, newline).trim();
      try {
        const parsed = JSON.parse(line) as { issuer?: unknown; port?: unknown };
        if (typeof parsed.issuer !== 'string' || typeof parsed.port !== 'number') throw new Error('bad shape');
        finish(undefined, { issuer: parsed.issuer, port: parsed.port });
      } catch {
        finish(describe(`printed an unexpected first line ${JSON.stringify(line)}`));
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      finish(describe(`exited before it was ready (code ${code}, signal ${signal})`));
    const onError = (err: Error): void => finish(describe(`could not be started: ${err.message}`));

    const timer = setTimeout(() => finish(describe(`did not print its ready line within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);

    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}
