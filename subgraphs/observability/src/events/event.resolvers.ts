import { authorize, can, notFound, type RequestContext } from '@cockpit/kit';
import type { LiveBus } from '../live/live-bus';
import { cancellableFeed } from './event-feed';
import type { Event } from './event.entity';
import { auditAccountOf, auditLog, decodeSeqCursor, eventLoader, seqCursor, verifyChain, type AuditLogArgs } from './event.service';

/** An event the principal may read, or NOT_FOUND (another tenant's id included). */
async function visibleEvent(ctx: RequestContext, id: string): Promise<Event> {
  authorize(ctx.principal, 'audit.read');
  const event = await eventLoader(ctx).load(id);
  if (!event || !can(ctx.principal, 'audit.read', { accountId: event.accountId })) throw notFound('Event');
  return event;
}

export function eventResolvers(bus: LiveBus) {
  return {
    Query: {
      auditLog: (_: unknown, args: AuditLogArgs, ctx: RequestContext) => {
        const accountId = auditAccountOf(authorize(ctx.principal, 'audit.read'));
        return auditLog(ctx, accountId, args);
      },
      event: (_: unknown, { id }: { id: string }, ctx: RequestContext) => visibleEvent(ctx, id),
      auditIntegrity: (_: unknown, __: unknown, ctx: RequestContext) => {
        const accountId = auditAccountOf(authorize(ctx.principal, 'audit.read'));
        return verifyChain(ctx, accountId);
      },
    },
    Subscription: {
      events: {
        subscribe: (_: unknown, args: { after?: string | null; types?: string[] | null }, ctx: RequestContext) => {
          const accountId = auditAccountOf(authorize(ctx.principal, 'events.subscribe'));
          return cancellableFeed(ctx, bus, { accountId, afterSeq: decodeSeqCursor(args.after), types: args.types ?? null });
        },
        resolve: (event: Event) => event,
      },
    },
    Event: {
      __resolveReference: (ref: { id: string }, ctx: RequestContext) => visibleEvent(ctx, ref.id),
      cursor: (e: Event) => seqCursor(e.seq),
      account: (e: Event) => ({ id: e.accountId }),
    },
  };
}
