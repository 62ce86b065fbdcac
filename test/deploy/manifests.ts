import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { generateInternalKeys } from '@cockpit/kit';

/** The repository's root, its Kubernetes manifests and its compose file, read as the tools read them. */
export const ROOT = join(__dirname, '..', '..');
export const K8S = join(ROOT, 'deploy', 'k8s');
export const SERVICES = ['gateway', 'identity', 'budgets', 'catalog', 'guardrails', 'observability'] as const;
export type Service = (typeof SERVICES)[number];

export function k8sObjects(): any[] {
  return readdirSync(K8S)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(readFileSync(join(K8S, f), 'utf8')).map((d) => ({ ...d.toJS(), __file: f })))
    .filter((o) => o.kind);
}

export const find = (objects: any[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata?.name === name);

export function compose(): any {
  return parseAllDocuments(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true })[0].toJS();
}

/** One key pair per service, as deploy/gen-keys.sh makes them: `<dir>/<name>.key`, `<dir>/<name>.pub`. */
export function writeKeys(dir: string): Record<Service, { key: string; pub: string }> {
  mkdirSync(dir, { recursive: true });
  const out = {} as Record<Service, { key: string; pub: string }>;
  for (const s of SERVICES) {
    const k = generateInternalKeys();
    writeFileSync(join(dir, `${s}.key`), k.privateKeyPem, { mode: 0o600 });
    writeFileSync(join(dir, `${s}.pub`), k.publicKeyPem);
    out[s] = { key: k.privateKeyPem, pub: k.publicKeyPem };
  }
  writeFileSync(join(dir, 'secret-keys'), `${TEST_SECRET_KEYS}\n`, { mode: 0o600 });
  return out;
}

/** Catalog's key-encryption keys as deploy/gen-keys.sh writes them (`secret-keys`). */
export const TEST_SECRET_KEYS = `k1:${Buffer.alloc(32, 7).toString('base64')}`;

export interface PodRun {
  args: string[];
  /** The container's environment as the pod gets it, with mounted paths moved under `root`. */
  env: Record<string, string>;
  /** mountPath → local folder standing in for it. */
  mounts: Record<string, string>;
}

/**
 * What a pod of `podSpec` would run: its args, and its environment with secretKeyRefs and configMapKeyRefs
 * resolved from `secrets` (`name/key` → value; an optional key that is absent leaves its variable unset)
 * and every mounted volume materialised under `root` (secret volumes
 * filled from `secretFiles`: secret name → key → file content; emptyDirs created empty). Env values
 * naming a mounted path are rewritten to the local folder: the only change from the manifest.
 */
export function podRun(
  podSpec: any,
  root: string,
  secrets: Record<string, string>,
  secretFiles: Record<string, Record<string, string>>,
): PodRun {
  const c = podSpec.containers[0];
  const mounts: Record<string, string> = {};
  for (const m of c.volumeMounts ?? []) {
    const vol = podSpec.volumes.find((v: any) => v.name === m.name);
    const local = join(root, m.name);
    mkdirSync(local, { recursive: true });
    if (vol.secret) {
      const data = secretFiles[vol.secret.secretName];
      if (!data) throw new Error(`no secret ${vol.secret.secretName}`);
      const items: { key: string; path: string }[] = vol.secret.items ?? Object.keys(data).map((k) => ({ key: k, path: k }));
      for (const it of items) {
        if (data[it.key] === undefined) throw new Error(`secret ${vol.secret.secretName} has no key ${it.key}`);
        writeFileSync(join(local, it.path), data[it.key], { mode: 0o600 });
      }
    }
    mounts[m.mountPath] = local;
  }
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef ?? e.valueFrom?.configMapKeyRef;
    if (ref) {
      const { name, key, optional } = ref;
      const v = secrets[`${name}/${key}`];
      if (v === undefined && !optional)
        throw new Error(`${e.valueFrom.secretKeyRef ? 'secret' : 'config map'} ${name}/${key} is not provided`);
      if (v !== undefined) env[e.name] = v;
    } else env[e.name] = relocate(String(e.value), mounts);
  }
  return { args: c.args ?? [], env, mounts };
}

/** A container path under one of `mounts` moved to its local folder (whole path segments only). */
export function relocate(value: string, mounts: Record<string, string>): string {
  for (const [at, local] of Object.entries(mounts)) if (value === at || value.startsWith(`${at}/`)) return local + value.slice(at.length);
  return value;
}
