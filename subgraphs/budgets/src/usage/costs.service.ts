import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid, tablesOf, validationError, type RequestContext } from '@cockpit/kit';
import { UsageRecord } from './usage.entity';

export type CostGroupBy = 'ORG' | 'TEAM' | 'USER' | 'MODEL' | 'DOMAIN' | 'DAY';
export interface CostBreakdownArgs {
  range: { from: Date | string; to: Date | string };
  groupBy: readonly CostGroupBy[];
  filter?: {
    orgId?: string | null;
    teamId?: string | null;
    userId?: string | null;
    model?: string | null;
    domain?: 'COPILOT' | 'CONSOLE' | null;
  } | null;
}
export interface CostFigures {
  cost: string;
  credits: string;
  inputTokens: string;
  outputTokens: string;
  count: number;
}
export interface CostRow extends CostFigures {
  orgId: string | null;
  teamId: string | null;
  userId: string | null;
  model: string | null;
  domain: 'COPILOT' | 'CONSOLE' | null;
  day: string | null;
}
export interface CostBreakdownResult {
  rows: CostRow[];
  totals: CostFigures;
}

/** A breakdown answers at most this many rows: a wider one is refused (narrow the range or group by fewer keys). */
export const MAX_BREAKDOWN_ROWS = 5000;
/** The widest range a breakdown reads. */
export const MAX_BREAKDOWN_DAYS = 400;

/** Each key's column: DAY is the UTC calendar day of the record's time (`created_at`). */
const KEY_SQL: Record<CostGroupBy, { expr: string; as: keyof CostRow }> = {
  ORG: { expr: 'org_id', as: 'orgId' },
  TEAM: { expr: 'team_id', as: 'teamId' },
  USER: { expr: 'user_id', as: 'userId' },
  MODEL: { expr: 'model', as: 'model' },
  DOMAIN: { expr: 'domain', as: 'domain' },
  DAY: { expr: `to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')`, as: 'day' },
};
const ORDER: CostGroupBy[] = ['DAY', 'ORG', 'TEAM', 'USER', 'MODEL', 'DOMAIN'];

const toDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

/**
 * The cost breakdown (BU8): the usage records of the account whose time (`created_at`) is in [from, to), grouped by
 * the given keys, with the sum of cost, credits and tokens and the count of each group, and the totals over all of
 * them — one SQL aggregate (`group by grouping sets ((keys), ())`) in PostgreSQL numeric, so the totals are the
 * exact sums of the records (and of the rows). Rows are ordered by day, org, team, user, model, domain (nulls last).
 * Filter ids that are not UUIDs or belong to another account match nothing (RLS): an empty breakdown.
 */
export async function costBreakdown(ctx: RequestContext, accountId: string, args: CostBreakdownArgs): Promise<CostBreakdownResult> {
  const from = toDate(args.range.from);
  const to = toDate(args.range.to);
  if (!(from.getTime() < to.getTime())) throw validationError({ range: 'from must be before to' }, 'Bad range');
  if (to.getTime() - from.getTime() > MAX_BREAKDOWN_DAYS * 86_400_000)
    throw validationError({ range: `must span at most ${MAX_BREAKDOWN_DAYS} days` }, 'Bad range');
  const keys = ORDER.filter((k) => args.groupBy.includes(k));
  const f = args.filter ?? {};
  const empty: CostBreakdownResult = { rows: [], totals: { cost: '0', credits: '0', inputTokens: '0', outputTokens: '0', count: 0 } };
  const where: string[] = ['account_id = ?', 'created_at >= ?', 'created_at < ?'];
  const params: unknown[] = [accountId, from, to];
  for (const [field, column] of [
    ['orgId', 'org_id'],
    ['teamId', 'team_id'],
    ['userId', 'user_id'],
  ] as const) {
    const id = f[field];
    if (id == null) continue;
    if (!isUuid(id)) return empty;
    where.push(`${column} = ?`);
    params.push(id.toLowerCase());
  }
  if (f.model != null) {
    where.push('model = ?');
    params.push(f.model.trim());
  }
  if (f.domain != null) {
    where.push('domain = ?');
    params.push(f.domain);
  }
  const rows = await ctx.read((em) => breakdownRows(em, keys, where, params));
  const total = rows.find((r) => r.total)!;
  const groups = keys.length ? rows.filter((r) => !r.total) : [];
  if (groups.length > MAX_BREAKDOWN_ROWS)
    throw validationError(
      { groupBy: `the breakdown has more than ${MAX_BREAKDOWN_ROWS} rows: narrow the range or group by fewer keys` },
      'Breakdown too large',
    );
  const figures = (r: RawRow): CostFigures => ({
    cost: r.cost,
    credits: r.credits,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    count: r.n,
  });
  return {
    totals: figures(total),
    rows: groups.map((r) => ({
      orgId: r.orgId ?? null,
      teamId: r.teamId ?? null,
      userId: r.userId ?? null,
      model: r.model ?? null,
      domain: (r.domain as CostRow['domain']) ?? null,
      day: r.day ?? null,
      ...figures(r),
    })),
  };
}

interface RawRow extends Partial<Record<keyof CostRow, string | null>> {
  total: boolean;
  cost: string;
  credits: string;
  input_tokens: string;
  output_tokens: string;
  n: number;
}

/** Raw SQL: one aggregate over the range index (account_id, created_at) or a scope's (account_id, scope_id, created_at). */
async function breakdownRows(em: EntityManager, keys: CostGroupBy[], where: string[], params: unknown[]): Promise<RawRow[]> {
  const { usage } = tablesOf(em, { usage: UsageRecord });
  const cols = keys.map((k) => `${KEY_SQL[k].expr} as "${KEY_SQL[k].as}"`);
  const exprs = keys.map((k) => KEY_SQL[k].expr);
  const sql = `select ${[...cols, keys.length ? `grouping(${exprs.join(', ')}) <> 0 as total` : 'true as total'].join(', ')},
            coalesce(sum(cost), 0)::text as cost, coalesce(sum(credits), 0)::text as credits,
            coalesce(sum(input_tokens), 0)::text as input_tokens, coalesce(sum(output_tokens), 0)::text as output_tokens,
            count(*)::int as n
       from ${usage}
      where ${where.join(' and ')}
      ${keys.length ? `group by grouping sets ((${exprs.join(', ')}), ())` : ''}
      ${keys.length ? `order by ${exprs.map((e) => `${e} nulls last`).join(', ')}` : ''}
      limit ${MAX_BREAKDOWN_ROWS + 2}`;
  return (await em.execute(sql, params)) as RawRow[];
}

/**
 * The caller's own breakdown: costBreakdown with the user filter pinned to the caller's directory user, so the other
 * filters only narrow within their records. A `filter.userId` naming anyone else is refused rather than ignored (a
 * caller asking for another user's costs learns they cannot, and never gets their own figures mistaken for them).
 */
export function ownCostBreakdown(
  ctx: RequestContext,
  accountId: string,
  userId: string,
  args: CostBreakdownArgs,
): Promise<CostBreakdownResult> {
  const asked = args.filter?.userId;
  if (asked != null && asked.toLowerCase() !== userId.toLowerCase())
    throw validationError({ 'filter.userId': "names another user: myCostBreakdown reads the caller's own usage only" }, 'Not your user');
  return costBreakdown(ctx, accountId, { ...args, filter: { ...args.filter, userId } });
}
