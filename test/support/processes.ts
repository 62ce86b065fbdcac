import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's root: the services' mains are run from here, as deployed. */
export const ROOT = join(__dirname, '..', '..');

export interface ServiceProcess {
  child: ChildProcess;
  /** The URL the service said it listens on. */
  url: string;
  /** Everything it wrote to stderr (its logs). */
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process has gone. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** SIGKILL unless already gone, and wait for the exit. */
  kill(): Promise<void>;
}

/**
 * A service's standalone main (`gateway/src/main.ts`, `subgraphs/<name>/src/main.ts`) as a process of its
 * own, resolved once it logs the URL it listens on (the gateway's "gateway listening on …", a subgraph's
 * `"url":"…"` log line). Its environment is exactly `env` plus PATH.
 */
export function startService(main: string, env: NodeJS.ProcessEnv): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(ROOT, main)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: 'pipe',
  });
  let err = '';
  const exited = new Promise<number | NodeJS.Signals | null>((r) => child.once('exit', (code, signal) => r(signal ?? code)));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  child.stdout!.resume();
  return new Promise<ServiceProcess>((resolve, reject) => {
    child.stderr!.on('data', (c) => {
      err += c;
      if (err.length > 256 * 1024) err = err.slice(-128 * 1024);
      const m = /gateway listening on (http:\/\/\S+)/.exec(err) ?? /"url":"(http:\/\/[^"]+)"/.exec(err);
      if (m) resolve({ child, url: m[1], stderr: () => err, exited, kill });
    });
    void exited.then((code) => reject(new Error(`${main} exited (${code}) before listening: ${err}`)));
  });
}

/**
 * A standalone gateway's environment as deployed (NODE_ENV=development, its keys as files): writes its
 * signing key and identity's public key into `dir` and points the gateway at them, at the committed
 * supergraph and at each subgraph's URL; `extra` adds or overrides variables.
 */
export function gatewayEnv(o: {
  dir: string;
  gatewayPrivateKeyPem: string;
  identityPublicKeyPem: string;
  masterKey: string;
  subgraphUrls: Record<string, string>;
  extra?: NodeJS.ProcessEnv;
}): NodeJS.ProcessEnv {
  const keyFile = join(o.dir, 'gateway.key');
  const identityFile = join(o.dir, 'identity.pub');
  writeFileSync(keyFile, o.gatewayPrivateKeyPem, { mode: 0o600 });
  writeFileSync(identityFile, o.identityPublicKeyPem);
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'development',
    PORT: '0',
    LOG_LEVEL: 'info',
    COCKPIT_GATEWAY_KEY_FILE: keyFile,
    COCKPIT_IDENTITY_PUBLIC_KEY_FILE: identityFile,
    COCKPIT_MASTER_KEY: o.masterKey,
    COCKPIT_SUPERGRAPH: join(ROOT, 'schema', 'supergraph.graphql'),
  };
  for (const [name, url] of Object.entries(o.subgraphUrls)) env[`COCKPIT_${name.toUpperCase()}_URL`] = url;
  return { ...env, ...o.extra };
}
