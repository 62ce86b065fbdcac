import { entityReference, notFound, PLATFORM_ACCOUNT_ID, visibleTo, type RequestContext } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import type { LiveBus } from '../live/live-bus';
import { cancellableFeed } from './event-feed';
import type { Event } from './event.entity';
import { auditLog, decodeSeqCursor, eventLoader, seqCursor, verifyChain } from './event.service';

/** The chain a field reads: its account's, or the platform chain for a super admin acting on no account. */
const chainOf = (ctx: RequestContext) => ctx.accountId ?? PLATFORM_ACCOUNT_ID;

export function eventResolvers(bus: LiveBus): Resolvers {
  return {
    Query: {
      auditLog: (_, args, ctx) => auditLog(ctx, chainOf(ctx), args),
      /** Another tenant's id answers NOT_FOUND. */
      event: async (_, { id }, ctx) => {
        const event = await eventLoader(ctx).load(id);
        if (!event || !visibleTo(ctx.principal, event.accountId)) throw notFound('Event');
        return event;
      },
      auditIntegrity: (_, __, ctx) => verifyChain(ctx, chainOf(ctx)),
    },
    Subscription: {
      events: {
        subscribe: (_, args, ctx) =>
          cancellableFeed(ctx, bus, { accountId: chainOf(ctx), afterSeq: decodeSeqCursor(args.after), types: args.types ?? null }) as never,
        resolve: (event: Event) => event,
      },
    },
    Event: {
      __resolveReference: entityReference({ action: 'audit.read', load: eventLoader, accountOf: (e: Event) => e.accountId }),
      cursor: (e) => seqCursor(e.seq),
      account: (e) => ({ id: e.accountId }),
    },
  };
}
