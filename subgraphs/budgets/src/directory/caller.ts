import { notFound, type RequestContext } from '@cockpit/kit';

/**
 * The caller's directory user in the request's account: the user the gateway resolved from the login or the
 * user-bound key; null for a credential without one (a service, an agent, an admin key) or of another account.
 */
export const callerUserId = (ctx: RequestContext): string | null =>
  ctx.principal.accountId === ctx.account ? (ctx.principal.userId ?? null) : null;

/** The caller's directory user, for the `my…` queries: NOT_FOUND (`User`) when the credential has none. */
export function requireCallerUserId(ctx: RequestContext): string {
  const id = callerUserId(ctx);
  if (!id) throw notFound('User');
  return id;
}
