import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContextResponseForOperation } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import { readGeneration } from './answer-generation';
import { canonicalJson } from './canonical-json';
import type { RequestContext } from './context';
import { principalKey } from './internal-token';
import type { Principal } from './principal';

/**
 * What a subgraph lets the answer cache keep: root query fields and entity
 * types whose whole answer is a pure function of this subgraph's rows (the
 * account's and the global ones), the principal and the arguments — nothing
 * that reads the clock, another service, in-process state or a secret.
 */
export interface Cacheable {
  /** Root `Query` fields. */
  fields?: readonly string[];
  /** Entity types: `_entities` is cached when every representation is one of them. */
  entities?: readonly string[];
}

interface Entry {
  generation: string;
  body: string;
}

/**
 * An exact answer cache: an answer is stored under the account's write
 * generation read *before* the operation executed, and served only while the
 * generation is unchanged. A write committed before that read is in the answer;
 * one committed after it raises the generation, so the next reader misses — also
 * on another replica, since the generation lives in the shared database. Bounded
 * by bytes, least recently used first out.
 */
export class AnswerCache {
  readonly stats = { hits: 0, misses: 0, stores: 0 };
  /** Test seam: awaited before a miss's answer is stored (holds an in-flight read while a write commits). */
  beforeStore: (() => Promise<void>) | null = null;
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(readonly maxBytes: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string, generation: string): string | undefined {
    const e = this.entries.get(key);
    if (!e || e.generation !== generation) return undefined;
    this.entries.delete(key); // most recently used last
    this.entries.set(key, e);
    return e.body;
  }

  set(key: string, generation: string, body: string): void {
    const size = 2 * (key.length + body.length);
    if (size > this.maxBytes) return;
    this.delete(key);
    this.entries.set(key, { generation, body });
    this.bytes += size;
    for (const [k] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(k);
    }
  }

  private delete(key: string) {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= 2 * (key.length + e.body.length);
  }
}

/**
 * The cache key of an operation, or null when it may not be cached: a query
 * (never a mutation or subscription) whose root fields are all cacheable, asked
 * by a principal acting on one account (without one, a super admin's fields read
 * every account, whose generations this key does not cover; PLATFORM-scope fields
 * are refused as cacheable at start-up for the same reason).
 */
export function cacheKey(ctx: GraphQLRequestContextResponseForOperation<RequestContext>, cacheable: Cacheable): string | null {
  const op = ctx.operation as OperationDefinitionNode;
  const p: Principal = ctx.contextValue.principal;
  // a super admin naming an account reads in that account's scope (RLS), like everyone else
  if (op.operation !== 'query' || !p.accountId) return null;
  const variables = ctx.request.variables ?? {};
  for (const sel of op.selectionSet.selections) {
    if (sel.kind !== Kind.FIELD) return null;
    const name = sel.name.value;
    if (name === '__typename' || cacheable.fields?.includes(name)) continue;
    if (name !== '_entities' || !entitiesCacheable(sel.arguments ?? [], variables, cacheable)) return null;
  }
  return `${principalKey(p)}\n${ctx.request.operationName ?? ''}\n${ctx.queryHash}\n${canonicalJson(variables)}`;
}

function entitiesCacheable(args: readonly { name: { value: string }; value: any }[], variables: Record<string, unknown>, c: Cacheable) {
  const arg = args.find((a) => a.name.value === 'representations');
  if (!arg || arg.value.kind !== Kind.VARIABLE) return false;
  const reps = variables[arg.value.name.value];
  return (
    Array.isArray(reps) &&
    reps.every((r) => typeof r === 'object' && r !== null && c.entities?.includes((r as { __typename?: string }).__typename ?? ''))
  );
}

/** The Apollo plugin serving and storing cacheable answers of one subgraph. */
export function answerCachePlugin(
  orm: MikroORM,
  schema: string,
  cacheable: Cacheable,
  cache: AnswerCache,
): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      let pending: { key: string; generation: string } | null = null;
      return {
        async responseForOperation(ctx) {
          const key = cacheKey(ctx, cacheable);
          if (!key) return null;
          // first, before any data statement: what the answer will be stored under
          const generation = await readGeneration(orm, schema, ctx.contextValue.principal.accountId!);
          const body = cache.get(key, generation);
          if (body !== undefined) {
            cache.stats.hits++;
            return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: JSON.parse(body) } };
          }
          cache.stats.misses++;
          pending = { key, generation };
          return null;
        },
        async willSendResponse({ response }) {
          if (!pending || response.body.kind !== 'single' || response.body.singleResult.errors?.length) return;
          const { key, generation } = pending;
          pending = null;
          await cache.beforeStore?.();
          cache.set(key, generation, JSON.stringify(response.body.singleResult));
          cache.stats.stores++;
        },
      };
    },
  };
}
