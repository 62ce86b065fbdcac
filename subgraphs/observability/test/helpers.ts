import {
  INTERNAL_TOKEN_HEADER,
  servicePrincipal,
  signInternalToken,
  startTestSubgraph,
  testKeys,
  uuidv7,
  type OutboxEvent,
  type Principal,
} from '@cockpit/kit';
import { createInProcessLiveBus, createObservabilitySubgraph, type InProcessLiveBus } from '../src';

/** One observability subgraph on a fresh database (or `databaseUrl`'s, for replicas), listening on a loopback port. */
export async function startObservability(opts: { onQuery?: (sql: string) => void; bus?: InProcessLiveBus; databaseUrl?: string } = {}) {
  const bus: InProcessLiveBus = opts.bus ?? createInProcessLiveBus();
  /** The services delivering here in these tests, each with its own key (as in a deployment). */
  const serviceKeys: Record<string, ReturnType<typeof testKeys>> = { budgets: testKeys(), identity: testKeys() };
  const t = await startTestSubgraph(createObservabilitySubgraph, {
    bus,
    serviceKeys: Object.fromEntries(Object.entries(serviceKeys).map(([n, k]) => [n, k.publicKey])),
    ...(opts.onQuery ? { onQuery: opts.onQuery } : {}),
    ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
  });
  const { keys, server, url } = t;
  const base = url.replace(/\/graphql$/, '');

  /** POSTs a batch to /internal/ingest as `who` (a service with its own key by default; anyone else as the gateway signed it; null: no token at all). */
  async function ingest(events: OutboxEvent[], who: Principal | null = servicePrincipal('budgets'), audience = 'observability') {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const own = who?.kind === 'SERVICE' ? serviceKeys[who.subject] : undefined;
    if (who)
      headers[INTERNAL_TOKEN_HEADER] = own
        ? await signInternalToken(own.privateKey, audience, who, who.subject)
        : await signInternalToken(keys.privateKey, audience, who);
    const res = await fetch(`${base}/internal/ingest`, { method: 'POST', headers, body: JSON.stringify({ events }) });
    return { status: res.status, body: (await res.json()) as any };
  }

  /** SQL as the connecting superuser (bypasses RLS): what an operator, or an attacker with the DB password, could run. */
  const sql = t.sql;

  return {
    keys,
    serviceKeys,
    bus,
    server,
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    ingest,
    sql,
    close: t.close,
  };
}

/** An outbox event as a subgraph's relay would deliver it. */
export function makeEvent(accountId: string, over: Partial<OutboxEvent> = {}): OutboxEvent {
  return {
    id: uuidv7(),
    accountId,
    type: 'budget.plan.set',
    domain: 'COPILOT',
    source: 'budgets',
    actor: { subject: 'user-1', kind: 'USER' },
    subject: { type: 'BudgetPlan', id: accountId },
    payload: { after: { monthlyCredits: '100' } },
    requestId: 'req-1',
    occurredAt: new Date().toISOString(),
    ...over,
  };
}

export const EVENT_FIELDS = `id seq cursor type domain source actor { subject kind } subjectType subjectId payload requestId occurredAt recordedAt hash prevHash account { id }`;
