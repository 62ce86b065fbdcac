import DataLoader from 'dataloader';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { inTenantTx } from './db';
import { forbidden } from './errors';
import type { Logger } from './log';
import { recordEvent, type EventInput, type OutboxEvent } from './outbox';
import type { Principal } from './principal';

/**
 * One request, one context: the principal, a forked EntityManager and fresh
 * DataLoaders are created together here, for HTTP and WebSocket alike.
 */
export interface RequestContext {
  principal: Principal;
  requestId: string;
  em: EntityManager;
  log: Logger;
  /** Runs `fn` in one tenant-scoped transaction (RLS applied); wakes the outbox relay after commit. */
  tx<T>(fn: (em: EntityManager) => Promise<T>): Promise<T>;
  /** Like `tx` but across every account (platform scope); super admins only. */
  platformTx<T>(fn: (em: EntityManager) => Promise<T>): Promise<T>;
  /** Writes an audit/outbox event inside the current transaction. */
  record(em: EntityManager, input: EventInput): Promise<OutboxEvent>;
  /** The events `alsoRecord` added in this request (the subgraph tells the gateway of them in a response header). */
  readonly alsoRecorded: EventInput[];
  /** The request's DataLoader named `name`, created on first use. */
  loader<K, V, C = K>(name: string, batch: DataLoader.BatchLoadFn<K, V>, options?: DataLoader.Options<K, V, C>): DataLoader<K, V, C>;
}

export function createRequestContext(opts: {
  orm: MikroORM;
  schema: string;
  principal: Principal;
  log: Logger;
  onCommit?: () => void;
  alsoRecord?: (input: EventInput) => EventInput | null;
}): RequestContext {
  const { orm, schema, principal } = opts;
  const em = orm.em.fork() as EntityManager;
  const scope = { accountId: principal.accountId, platform: principal.superAdmin && !principal.accountId };
  const loaders = new Map<string, DataLoader<any, any, any>>();
  let recorded = false; // wake the outbox relay only after commits that wrote events
  const alsoRecorded: EventInput[] = [];
  const committed = () => {
    if (recorded) {
      recorded = false;
      opts.onCommit?.();
    }
  };
  return {
    principal,
    requestId: principal.requestId,
    em,
    log: opts.log.child({ requestId: principal.requestId }),
    async tx(fn) {
      const result = await inTenantTx(em, scope, fn);
      committed();
      return result;
    },
    async platformTx(fn) {
      if (!principal.superAdmin) throw forbidden('Platform scope is for super admins');
      const result = await inTenantTx(em, { accountId: principal.accountId, platform: true }, fn);
      committed();
      return result;
    },
    record: async (txEm, input) => {
      recorded = true;
      const event = await recordEvent(txEm, schema, principal, input);
      const also = opts.alsoRecord?.(input);
      if (also) {
        await recordEvent(txEm, schema, principal, also);
        alsoRecorded.push(also);
      }
      return event;
    },
    alsoRecorded,
    loader(name, batch, options) {
      let l = loaders.get(name);
      if (!l) {
        l = new DataLoader(batch, options);
        loaders.set(name, l);
      }
      return l;
    },
  };
}
