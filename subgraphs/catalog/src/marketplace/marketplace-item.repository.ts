import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { anyUuid, readRows, selectEntities, tablesOf } from '@cockpit/kit';
import { AgentDefinition } from '../agents/agent.entity';
import { ToolConnection } from '../connections/connection.entity';
import { ScopeGrant } from '../scope-grants/scope-grant.entity';
import { MarketplaceItem, type MarketplaceItemKind, type MarketplaceItemStatus } from './marketplace-item.entity';

/** Where a page starts: strictly after this item in (lower(name), id) order. */
export interface ItemKey {
  name: string;
  id: string;
}

/** What a list narrows to; `search` is already a LIKE pattern. */
export interface ItemListFilter {
  status?: MarketplaceItemStatus | null;
  kind?: MarketplaceItemKind | null;
  search?: string | null;
  /** Discovery: PUBLISHED items granted to one of these scopes whose agent or connection still exists. */
  grantedTo?: string[];
}

/**
 * The conditions of one list as SQL over `m` (the item table), with their parameters. Raw SQL because
 * the order is an expression (lower(name)) and discovery needs `exists` over the grants and the listed rows.
 */
function conditions(em: EntityManager, accountId: string, f: ItemListFilter, after: ItemKey | null) {
  const T = tablesOf(em, { grant: ScopeGrant, agent: AgentDefinition, connection: ToolConnection });
  const where = ['m.account_id = ?'];
  const params: unknown[] = [accountId];
  const and = (cond: string, ...values: unknown[]) => {
    where.push(cond);
    params.push(...values);
  };
  if (f.grantedTo) {
    and(`m.status = 'PUBLISHED'`);
    and(
      `exists (select 1 from ${T.grant} g where g.account_id = m.account_id and g.resource_kind = 'MARKETPLACE_ITEM'
        and g.resource_id = m.id and ${anyUuid('g.scope_id')})`,
      f.grantedTo,
    );
    // an item whose agent or connection was deleted is not offered
    and(`case m.kind
        when 'AGENT' then exists (select 1 from ${T.agent} a where a.account_id = m.account_id and a.id = m.resource_id)
        else exists (select 1 from ${T.connection} c where c.account_id = m.account_id and c.id = m.resource_id) end`);
  }
  if (f.status != null) and('m.status = ?', f.status);
  if (f.kind != null) and('m.kind = ?', f.kind);
  if (f.search) and('(m.name ilike ? or m.description ilike ?)', f.search, f.search);
  if (after) and('(lower(m.name), m.id) > (lower(?), ?::uuid)', after.name, after.id);
  return { where: where.join(' and '), params };
}

/** The marketplace items' queries; the caller's `em` is its `ctx.read` / `ctx.write`'s (RLS confines them to the account). */
export const marketplaceItemRepository = {
  lock: (em: EntityManager, accountId: string, id: string) =>
    em.findOne(MarketplaceItem, { id, accountId }, { lockMode: LockMode.PESSIMISTIC_WRITE }),
  /** Up to `take` items after `after`, by (lower(name), id): the order indexes' walk. */
  page: (em: EntityManager, accountId: string, f: ItemListFilter, after: ItemKey | null, take: number) => {
    const { where, params } = conditions(em, accountId, f, after);
    return selectEntities(
      em,
      MarketplaceItem,
      `select m.* from ${tablesOf(em, { m: MarketplaceItem }).m} m where ${where} order by lower(m.name), m.id limit ?`,
      [...params, take],
    );
  },
  count: async (em: EntityManager, accountId: string, f: ItemListFilter) => {
    const { where, params } = conditions(em, accountId, f, null);
    const [row] = await readRows<{ n: number }>(
      em,
      `select count(*)::int as n from ${tablesOf(em, { m: MarketplaceItem }).m} m where ${where}`,
      params,
    );
    return Number(row?.n ?? 0);
  },
  /**
   * Whether the agent definition or tool connection exists in the account, share-locked so that it
   * cannot be deleted before the caller's transaction commits (its delete takes the row lock).
   */
  resourceExists: async (em: EntityManager, accountId: string, kind: MarketplaceItemKind, id: string) => {
    const lock = { fields: ['id'] as const, lockMode: LockMode.PESSIMISTIC_READ };
    const row =
      kind === 'AGENT'
        ? await em.findOne(AgentDefinition, { accountId, id }, lock)
        : await em.findOne(ToolConnection, { accountId, id }, lock);
    return row !== null;
  },
};
