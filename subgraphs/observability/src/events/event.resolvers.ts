import { authorize, can, notFound, type RequestContext } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import type { LiveBus } from '../live/live-bus';
import { cancellableFeed } from './event-feed';
import type { Event } from './event.entity';
import { auditAccountOf, auditLog, decodeSeqCursor, eventLoader, seqCursor, verifyChain } from './event.service';

/** An event the principal may read, or NOT_FOUND (another tenant's id included). */
async function visibleEvent(ctx: RequestContext, id: string): Promise<Event> {
  authorize(ctx.principal, 'audit.read');
  const event = await eventLoader(ctx).load(id);
  if (!event || !can(ctx.principal, 'audit.read', { accountId: event.accountId })) throw notFound('Event');
  return event;
}

export function eventResolvers(bus: LiveBus): Resolvers {
  return {
    Query: {
      auditLog: (_, args, ctx) => {
        const accountId = auditAccountOf(authorize(ctx.principal, 'audit.read'));
        return auditLog(ctx, accountId, args);
      },
      event: (_, { id }, ctx) => visibleEvent(ctx, id),
      auditIntegrity: (_, __, ctx) => {
        const accountId = auditAccountOf(authorize(ctx.principal, 'audit.read'));
        return verifyChain(ctx, accountId);
      },
    },
    Subscription: {
      events: {
        subscribe: (_, args, ctx) => {
          const accountId = auditAccountOf(authorize(ctx.principal, 'events.subscribe'));
          return cancellableFeed(ctx, bus, { accountId, afterSeq: decodeSeqCursor(args.after), types: args.types ?? null }) as never;
        },
        resolve: (event: Event) => event,
      },
    },
    Event: {
      __resolveReference: (ref, ctx) => visibleEvent(ctx, ref.id),
      cursor: (e) => seqCursor(e.seq),
      account: (e) => ({ id: e.accountId }),
    },
  };
}
