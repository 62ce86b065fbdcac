import type { KeyObject } from 'node:crypto';
import { CockpitError } from './errors';
import { INTERNAL_TOKEN_HEADER, signInternalToken } from './internal-token';
import type { Principal } from './principal';
import { SpanKind, type Tracing } from './tracing';

/** The principal of a service calling another (outbox relay, API-key lookup). */
export function servicePrincipal(subject: string, requestId = 'service'): Principal {
  return { subject, kind: 'SERVICE', accountId: null, roles: [], teamIds: [], orgIds: [], scopes: [], superAdmin: true, requestId };
}

/** POSTs JSON to another service's internal route with a freshly signed internal token; `key` is the calling service's own, `principal` its servicePrincipal. */
export async function callInternal<T>(opts: {
  url: string;
  audience: string;
  key: KeyObject;
  principal: Principal;
  body: unknown;
  timeoutMs?: number;
  /** The calling service's tracer: a client span, its `traceparent` sent along (nothing when off). */
  tracing?: Tracing;
}): Promise<T> {
  const tracing = opts.tracing;
  if (!tracing?.enabled) return post<T>(opts, {});
  const path = new URL(opts.url).pathname;
  return tracing.span(
    `POST ${opts.audience} ${path}`,
    { kind: SpanKind.CLIENT, attributes: { 'http.request.method': 'POST', 'url.full': opts.url, 'peer.service': opts.audience } },
    (span) => {
      const headers: Record<string, string> = {};
      tracing.inject(headers);
      return post<T>(opts, headers, (status) => span.setAttribute('http.response.status_code', status));
    },
  );
}

async function post<T>(
  opts: { url: string; audience: string; key: KeyObject; principal: Principal; body: unknown; timeoutMs?: number },
  extraHeaders: Record<string, string>,
  answered?: (status: number) => void,
): Promise<T> {
  // a service signs as itself: the token's issuer is the service its principal names
  const token = await signInternalToken(opts.key, opts.audience, opts.principal, opts.principal.subject);
  const res = await fetch(opts.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [INTERNAL_TOKEN_HEADER]: token, ...extraHeaders },
    body: JSON.stringify(opts.body),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
  });
  const text = await res.text();
  answered?.(res.status);
  if (!res.ok) throw new CockpitError('UPSTREAM_ERROR', `${opts.audience} answered ${res.status}`);
  return JSON.parse(text) as T;
}
