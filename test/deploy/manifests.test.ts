import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayConfigFromEnv } from '@cockpit/gateway';
import { callersOf, DEFAULT_PORTS, SERVICE_CALLS, SUBGRAPH_NAMES, subgraphConfigFromEnv } from '@cockpit/kit';
import { compose, find, k8sObjects, podRun, relocate, ROOT, SERVICES, TEST_SECRET_KEYS, writeKeys, type Service } from './manifests';

/**
 * The deployment artefacts (Dockerfile, docker-compose.yml, deploy/k8s) against the code: valid
 * Kubernetes objects, each service's pod hardened and probed, given exactly the keys it needs, and
 * an environment its own configuration reader accepts. No container runs here (see entrypoint.test.ts).
 */
describe('deployment artefacts', () => {
  const objects = k8sObjects();
  const tmp = mkdtempSync(join(tmpdir(), 'cockpit-deploy-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const keys = writeKeys(join(tmp, 'keys'));
  const secretFiles: Record<string, Record<string, string>> = {
    'cockpit-public-keys': Object.fromEntries(SERVICES.map((s) => [`${s}.pub`, keys[s].pub])),
    ...Object.fromEntries(SERVICES.map((s) => [`cockpit-${s}-key`, { [`${s}.key`]: keys[s].key }])),
    'cockpit-secret-keys': { 'secret-keys': TEST_SECRET_KEYS },
  };
  /** Secrets beyond the keys: catalog's key-encryption keys for connection secrets. */
  const extraSecrets = (s: Service): string[] => (s === 'catalog' ? ['cockpit-secret-keys'] : []);
  const secrets = { 'cockpit-database/url': 'postgres://owner:pw@db:5432/cockpit', 'cockpit-master-key/master-key': 'mk-test' };
  /** The public keys a service trusts: the gateway's (subgraphs) and its callers' (packages/kit SERVICE_CALLS). */
  const trusted = (s: Service): string[] => (s === 'gateway' ? ['identity'] : ['gateway', ...callersOf(s)]);

  it('every manifest validates against the Kubernetes API schemas (deploy/validate-manifests.mjs)', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'deploy', 'validate-manifests.mjs')], { encoding: 'utf8' });
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => !l.valid)).toEqual([]);
    expect(r.status).toBe(0);
    expect(lines.map((l) => `${l.kind}/${l.name}`)).toEqual(expect.arrayContaining(SERVICES.map((s) => `Deployment/cockpit-${s}`)));
    // the validator does refuse what the API would: a port that is not a number, an unknown kind
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(
      bad,
      'apiVersion: v1\nkind: Service\nmetadata: { name: x }\nspec: { ports: [{ port: "http" }] }\n---\napiVersion: v1\nkind: Nope\nmetadata: { name: y }\n',
    );
    const refused = spawnSync(process.execPath, [join(ROOT, 'deploy', 'validate-manifests.mjs'), bad], { encoding: 'utf8' });
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/port must be integer/);
    expect(refused.stdout).toMatch(/unknown apiVersion\/kind v1 Nope/);
  });

  it.each(SERVICES)('%s: Deployment hardened and probed, Service and HPA, its own key only', (s) => {
    const dep = find(objects, 'Deployment', `cockpit-${s}`);
    const pod = dep.spec.template.spec;
    const c = pod.containers[0];
    expect(c.args).toEqual([s]);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(c.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.volumes.find((v: any) => v.name === 'tmp').emptyDir).toBeDefined();
    expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    const port = DEFAULT_PORTS[s];
    expect(c.ports).toEqual([{ name: 'http', containerPort: port }]);
    expect(c.env).toContainEqual({ name: 'PORT', value: String(port) });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(c.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(c.resources.limits.memory).toEqual(expect.any(String));
    // no service holds another's private key; it sees only the public keys it trusts
    const secretsMounted = pod.volumes.filter((v: any) => v.secret);
    expect(secretsMounted.map((v: any) => v.secret.secretName).sort()).toEqual(
      [`cockpit-${s}-key`, 'cockpit-public-keys', ...extraSecrets(s)].sort(),
    );
    const pubs = secretsMounted.find((v: any) => v.secret.secretName === 'cockpit-public-keys').secret.items.map((i: any) => i.key);
    expect(pubs.sort()).toEqual(
      trusted(s)
        .map((t) => `${t}.pub`)
        .sort(),
    );
    const svc = find(objects, 'Service', `cockpit-${s}`);
    expect(svc.spec.selector).toEqual(dep.spec.selector.matchLabels);
    expect(svc.spec.ports).toEqual([{ name: 'http', port, targetPort: 'http' }]);
    const hpa = find(objects, 'HorizontalPodAutoscaler', `cockpit-${s}`);
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: `cockpit-${s}` });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
  });

  it.each(SERVICES)('%s: the manifest environment is one its configuration reader accepts, keys from mounted files', (s) => {
    const pod = find(objects, 'Deployment', `cockpit-${s}`).spec.template.spec;
    const run = podRun(pod, join(tmp, 'k8s', s), secrets, secretFiles);
    for (const [k, v] of Object.entries(run.env))
      if (k.endsWith('_FILE')) expect(readFileSync(v, 'utf8')).toMatch(k === 'COCKPIT_SECRET_KEYS_FILE' ? /^k1:/ : /^-----BEGIN/);
    if (s === 'gateway') {
      const { config, port, host } = gatewayConfigFromEnv({ ...run.env, COCKPIT_SUPERGRAPH: join(ROOT, 'schema', 'supergraph.graphql') });
      expect([port, host, config.production]).toEqual([4000, '0.0.0.0', true]);
      expect(config.subgraphUrls).toEqual(
        Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, `http://cockpit-${n}:${DEFAULT_PORTS[n]}/graphql`])),
      );
      expect(config.masterKey).toBe('mk-test');
      expect(config.rateLimit).toMatchObject({ store: 'redis' });
    } else {
      const { config, port, host } = subgraphConfigFromEnv(s, run.env);
      expect([port, host, config.databaseUrl]).toEqual([DEFAULT_PORTS[s], '0.0.0.0', 'postgres://owner:pw@db:5432/cockpit']);
      expect(Object.keys(config.serviceKeys ?? {}).sort()).toEqual(callersOf(s).sort());
      const callees = SERVICE_CALLS[s] ?? [];
      expect(config.serviceUrls ?? {}).toEqual(Object.fromEntries(callees.map((n) => [n, `http://cockpit-${n}:${DEFAULT_PORTS[n]}`])));
      expect(config.secretKeys).toBe(s === 'catalog' ? TEST_SECRET_KEYS : undefined);
      if (s !== 'observability') expect(config.observabilityUrl).toBe(`http://cockpit-observability:${DEFAULT_PORTS.observability}`);
    }
  });

  it.each(SERVICES)('%s: tracing is off as shipped and on at the endpoint the cockpit-tracing ConfigMap names', (s) => {
    const pod = find(objects, 'Deployment', `cockpit-${s}`).spec.template.spec;
    const shipped = find(objects, 'ConfigMap', 'cockpit-tracing').data ?? {};
    const tracingOf = (refs: Record<string, string>) => {
      const { env } = podRun(pod, join(tmp, 'tracing', s), refs, secretFiles);
      return s === 'gateway'
        ? gatewayConfigFromEnv({ ...env, COCKPIT_SUPERGRAPH: join(ROOT, 'schema', 'supergraph.graphql') }).config.tracing
        : subgraphConfigFromEnv(s, env).config.tracing;
    };
    const shippedRefs = Object.fromEntries(Object.entries(shipped).map(([k, v]) => [`cockpit-tracing/${k}`, String(v)]));
    expect(tracingOf({ ...secrets, ...shippedRefs })).toBeUndefined();
    expect(tracingOf({ ...secrets, 'cockpit-tracing/endpoint': 'http://otel-collector:4318' })).toEqual({
      url: 'http://otel-collector:4318/v1/traces',
    });
  });

  it('the migration Job runs `migrate` on the database Secret with a writable COCKPIT_HOME, hardened like the services', () => {
    const job = find(objects, 'Job', 'cockpit-migrate');
    const pod = job.spec.template.spec;
    const run = podRun(pod, join(tmp, 'job'), secrets, secretFiles);
    expect(run.args).toEqual(['migrate']);
    expect(run.env.DATABASE_URL).toBe(secrets['cockpit-database/url']);
    expect(run.env.COCKPIT_HOME).toBe(relocate('/tmp/cockpit', run.mounts)); // under the emptyDir: the root is read-only
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
  });

  it('kustomization.yaml applies every workload file, never the Secret template', () => {
    const k = objects.find((o) => o.kind === 'Kustomization');
    expect(k.resources.sort()).toEqual(['redis.yaml', 'tracing.yaml', ...SERVICES.map((s) => `${s}.yaml`)].sort());
    expect(new Set(objects.filter((o) => o.kind === 'Secret').map((o) => o.__file))).toEqual(new Set(['secrets.yaml']));
  });

  it.each(SERVICES)('docker-compose %s: same environment as the manifests, keys as compose secrets, read-only root filesystem', (s) => {
    const c = compose();
    const svc = c.services[s];
    expect(svc.command).toEqual([s]);
    expect(svc).toMatchObject({ read_only: true, tmpfs: ['/tmp'], cap_drop: ['ALL'] });
    const k8sEnv = find(objects, 'Deployment', `cockpit-${s}`).spec.template.spec.containers[0].env.map((e: any) => e.name);
    const composeEnv = Object.keys(svc.environment);
    // only the gateway differs: one replica counts rate limits in memory (no Redis) and reads the image's supergraph by default
    const k8sOnly = s === 'gateway' ? ['COCKPIT_RATE_LIMIT_STORE', 'COCKPIT_REDIS_URL', 'COCKPIT_SUPERGRAPH'] : [];
    expect(composeEnv.sort()).toEqual(k8sEnv.filter((n: string) => !k8sOnly.includes(n)).sort());
    // each secret lands where its *_FILE variable points, and exists in the top-level secrets
    const targets = svc.secrets.map((x: any) => x.target);
    for (const [k, v] of Object.entries(svc.environment)) if (k.endsWith('_FILE')) expect(targets).toContain(v);
    expect(targets).toHaveLength(1 + trusted(s).length + extraSecrets(s).length);
    for (const x of svc.secrets) expect(c.secrets[x.source].file).toMatch(/^\.\/deploy\/keys\/([a-z]+\.(key|pub)|secret-keys)$/);
    // the compose environment, secrets at their targets, is accepted by the service's reader
    const mounts = Object.fromEntries(
      svc.secrets.map((x: any) => [x.target, join(tmp, 'keys', c.secrets[x.source].file.replace('./deploy/keys/', ''))]),
    );
    const env = Object.fromEntries(
      Object.entries(svc.environment).map(([k, v]) => [k, relocate(String(v).replace(/\$\{(\w+):-([^}]*)\}/g, '$2'), mounts)]),
    );
    if (s === 'gateway')
      expect(gatewayConfigFromEnv({ ...env, COCKPIT_SUPERGRAPH: join(ROOT, 'schema', 'supergraph.graphql') }).port).toBe(4000);
    else expect(subgraphConfigFromEnv(s, env).config.databaseUrl).toBe('postgres://cockpit:cockpit@postgres:5432/cockpit');
    expect(svc.depends_on.migrate).toEqual({ condition: 'service_completed_successfully' });
  });

  it('docker-compose: PostgreSQL, then the migrations, then the services; the gateway waits for the subgraphs', () => {
    const c = compose();
    expect(Object.keys(c.services).sort()).toEqual(['migrate', 'postgres', ...SERVICES].sort());
    expect(c.services.migrate.command).toEqual(['migrate']);
    expect(c.services.migrate.depends_on.postgres).toEqual({ condition: 'service_healthy' });
    for (const n of SUBGRAPH_NAMES) expect(c.services.gateway.depends_on[n]).toEqual({ condition: 'service_healthy' });
  });

  it('Dockerfile: multi-stage, production dependencies of every workspace, non-root, the entrypoint', () => {
    const df = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(df.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(3);
    expect(df).toMatch(/npm ci --omit=dev/);
    const workspaces: string[] = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).workspaces;
    for (const w of workspaces) expect(df).toContain(`COPY ${w}/package.json ${w}/`);
    // the services start with tsx's hook (deploy/entrypoint.sh): it must survive --omit=dev
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies.tsx).toBeDefined();
    expect(df).toMatch(/^USER node$/m);
    expect(df).toMatch(/^ENTRYPOINT \["\/app\/deploy\/entrypoint.sh"\]$/m);
    expect(readFileSync(join(ROOT, '.dockerignore'), 'utf8')).toMatch(/^\.cockpit$/m); // local state and keys stay out of the image
  });

  it('the entrypoint refuses an unknown service with its usage (exit 64)', () => {
    const r = spawnSync('sh', [join(ROOT, 'deploy', 'entrypoint.sh'), 'nope'], { encoding: 'utf8' });
    expect(r.status).toBe(64);
    expect(r.stderr).toMatch(/usage: entrypoint.sh gateway\|identity\|budgets\|catalog\|guardrails\|observability\|migrate/);
  });
});
