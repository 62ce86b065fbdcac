import { buildSchema, type GraphQLSchema } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import { CREDENTIALS_CHANGED, parseCredentialsChanged } from '@cockpit/contracts';
import { inTenantTx } from '@cockpit/kit';
import { eventPayload } from '../events/event.repository';
import type { LiveBus, LiveMessage } from './live-bus';

/**
 * The bus key of the platform channel: a `credentials.changed` event identity
 * delivered is announced here as well as on its account, for the gateways.
 */
export const CREDENTIALS_CHANNEL = 'platform:credentials';

/** What a gateway's `connection_init` names to get the platform feed instead of the API. */
export const PLATFORM_FEED = 'platform';

/**
 * The platform feed's own schema, served on observability's feed socket to the
 * gateway's service identity only (never composed into the API): every
 * replica's gateways hear every credential change at once, whichever replica
 * ingested it. Like the account feed, bus messages point at committed rows.
 */
export function platformFeedSchema(orm: MikroORM, bus: LiveBus): GraphQLSchema {
  const schema = buildSchema(`
    type Query { ok: Boolean }
    "A credential's rights changed: the gateway drops what it cached about the account (null: platform credentials)."
    type CredentialsChange { eventId: ID!, accountId: ID, reason: String!, cause: String! }
    type Subscription { credentialsChanged: CredentialsChange! }
  `);
  const field = schema.getSubscriptionType()!.getFields().credentialsChanged;
  field.subscribe = () => busIterator(bus, CREDENTIALS_CHANNEL);
  field.resolve = async (msg: LiveMessage) => {
    const payload = await inTenantTx(orm.em.fork(), { accountId: null, platform: true }, (em) =>
      eventPayload(em, msg.id, CREDENTIALS_CHANGED),
    );
    const parsed = parseCredentialsChanged(payload);
    // an unreadable change still means "something changed": the gateway then drops everything it cached
    return parsed.ok ? { eventId: msg.id, ...parsed.value } : { eventId: msg.id, accountId: null, reason: 'UNKNOWN', cause: 'unknown' };
  };
  return schema;
}

/** The bus messages of one key as an async iterator that lets go of its listener as soon as it is returned. */
function busIterator(bus: LiveBus, key: string): AsyncIterableIterator<LiveMessage> {
  const queue: LiveMessage[] = [];
  let wake: (() => void) | null = null;
  let done = false;
  const unsubscribe = bus.subscribe(key, (msg) => {
    queue.push(msg);
    wake?.();
  });
  const finish = async (): Promise<IteratorResult<LiveMessage>> => {
    done = true;
    unsubscribe();
    wake?.();
    return { done: true, value: undefined };
  };
  const it: AsyncIterableIterator<LiveMessage> = {
    async next() {
      while (!queue.length && !done) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      return done ? { done: true, value: undefined } : { done: false, value: queue.shift()! };
    },
    return: finish,
    throw: finish,
    [Symbol.asyncIterator]: () => it,
  };
  return it;
}
