import {
  assertDecimals,
  decimalColumns,
  normalizeDecimal as n,
  notFound,
  requireUuid,
  validationError,
  type RequestContext,
} from '@cockpit/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { placeNode, type Placed, type UserChain } from '../directory/chain';
import type { DirectoryClient } from '../directory/directory.client';
import { cycleStartAt, type Cycle } from '../plans/cycle';
import { BudgetPlan } from '../plans/plan.entity';
import { planLoader } from '../plans/plan.service';
import { Allocation, type AllocationScope, type ChainLevel } from './allocation.entity';
import { allocationRepository, type NodeFigures, type NodeRef } from './allocation.repository';
import { compareDecimals } from './decimal-order';
import { cycleRepository } from '../cycles/cycle.repository';
import { cycleWindow, pastNodeLoader } from '../cycles/cycle.service';

const ALLOCATION_COLUMNS = decimalColumns(Allocation, { amount: 'zero' });

/** The cycle `now` falls in under the account's plan; null without a plan (nothing can be spent then). */
export const currentCycle = (plan: BudgetPlan | null, now: Date): Date | null =>
  plan ? cycleStartAt(new Date(plan.cycleAnchor), plan.cycle as Cycle, now) : null;

export interface AllocateInput {
  scopeType: AllocationScope;
  scopeId: string;
  amount: string;
  teamId?: string | null;
}

/** The chain of a placed node, nearest first, ending at the account. */
function ancestors(accountId: string, n: { scopeType: AllocationScope; orgId: string | null; teamId: string | null }): NodeRef[] {
  const up: NodeRef[] = [];
  if (n.scopeType === 'USER' && n.teamId) up.push({ scopeType: 'TEAM', scopeId: n.teamId });
  if (n.scopeType !== 'ORG' && n.orgId) up.push({ scopeType: 'ORG', scopeId: n.orgId });
  up.push({ scopeType: 'ACCOUNT', scopeId: accountId });
  return up;
}

/** The SQL sum of two decimals (only on the error path, to state what was available). */
const add = async (em: EntityManager, a: string, b: string): Promise<string> =>
  n((await em.execute(`select (?::numeric + ?::numeric)::text as s`, [a, b]))[0].s);
const neg = (d: string) => n(d.startsWith('-') ? d.slice(1) : d);

/**
 * Gives a node of the Copilot tree an allocation (BU2), in one transaction under the account's allocation lock.
 * The node and every ancestor are re-checked after the change: a parent whose placed children exceed it, or the
 * node falling below its own children, rolls back with VALIDATION_ERROR naming that node, the requested amount,
 * what was available and the shortfall. The balance of the current cycle takes the new bound at once.
 */
export async function allocateCredits(
  ctx: RequestContext,
  directory: DirectoryClient,
  accountId: string,
  input: AllocateInput,
  opts: { override?: boolean } = {},
): Promise<NodeFigures> {
  assertDecimals({ amount: input.amount }, ALLOCATION_COLUMNS);
  const placed = await placeNode(ctx, directory, accountId, input.scopeType, input.scopeId, input.teamId);
  const self: NodeRef = { scopeType: placed.scopeType, scopeId: placed.scopeId };
  return ctx.write(async ({ em, audit }) => {
    await allocationRepository.lockAccount(em, accountId);
    const before = await allocationRepository.find(em, accountId, placed.scopeType, placed.scopeId);
    const plan = await em.findOne(BudgetPlan, { accountId });
    const now = ctx.now();
    const override = opts.override ?? before?.override ?? false;
    await allocationRepository.upsert(em, { accountId, ...placed, amount: input.amount, override }, now);
    const cycle = currentCycle(plan, now);
    const [mine, ...up] = await allocationRepository.figures(em, accountId, cycle, [self, ...ancestors(accountId, placed)]);
    if (mine.unallocated!.startsWith('-'))
      throw validationError(
        {
          amount: `is below the ${neg(mine.unallocated!)} credits already allocated beneath this node`,
          scopeType: mine.scopeType,
          scopeId: mine.scopeId,
          requested: input.amount,
          available: await add(em, input.amount, neg(mine.unallocated!)),
          shortfall: neg(mine.unallocated!),
        },
        `Allocating ${input.amount} to ${mine.scopeType} ${mine.scopeId} leaves less than the allocations beneath it`,
      );
    const over = up.find((f) => f.unallocated?.startsWith('-')); // PostgreSQL numeric has no negative zero
    if (over)
      throw validationError(
        {
          amount: `exceeds what ${over.scopeType} ${over.scopeId} has unallocated`,
          scopeType: over.scopeType,
          scopeId: over.scopeId,
          requested: input.amount,
          available: await add(em, input.amount, over.unallocated!),
          shortfall: neg(over.unallocated!),
        },
        `Allocating ${input.amount} to ${self.scopeType} ${self.scopeId} exceeds ${over.scopeType} ${over.scopeId}: shortfall ${neg(over.unallocated!)}`,
      );
    if (cycle) {
      await cycleRepository.ensure(em, accountId, cycleWindow(plan, now)!);
      await allocationRepository.setBalanceLimit(em, accountId, cycle, self, input.amount, now);
    }
    await audit({
      type: 'budget.allocation.set',
      subject: { type: 'BudgetNode', id: placed.scopeId },
      payload: {
        scopeType: placed.scopeType,
        before: before ? before.amount : null,
        after: input.amount,
        teamId: placed.teamId,
        orgId: placed.orgId,
        override,
      },
    });
    return mine;
  });
}

/**
 * Removes a node's explicit allocation (BU2/BU4) in one transaction under the account's allocation lock: the node
 * falls back to its chain (its nearest allocated ancestor bounds it) and that ancestor's unallocated remainder grows
 * back by the amount. Usage already recorded stays; allocations beneath (per-user overrides included) stay and are
 * re-placed under the nearest allocated ancestor, re-checked like allocateCredits. NOT_FOUND when it has none.
 */
export async function removeAllocation(
  ctx: RequestContext,
  directory: DirectoryClient,
  accountId: string,
  input: { scopeType: AllocationScope; scopeId: string; teamId?: string | null },
): Promise<NodeFigures> {
  const placed = await placeNode(ctx, directory, accountId, input.scopeType, input.scopeId, input.teamId);
  const self: NodeRef = { scopeType: placed.scopeType, scopeId: placed.scopeId };
  return ctx.write(async ({ em, audit }) => {
    await allocationRepository.lockAccount(em, accountId);
    const before = await allocationRepository.find(em, accountId, placed.scopeType, placed.scopeId);
    if (!before) throw notFound('Allocation');
    await allocationRepository.remove(em, accountId, placed.scopeType, placed.scopeId);
    const plan = await em.findOne(BudgetPlan, { accountId });
    const now = ctx.now();
    const cycle = currentCycle(plan, now);
    const [mine, ...up] = await allocationRepository.figures(em, accountId, cycle, [self, ...ancestors(accountId, placed)]);
    const over = up.find((f) => f.unallocated?.startsWith('-'));
    if (over)
      throw validationError(
        {
          scopeId: `the allocations beneath it exceed what ${over.scopeType} ${over.scopeId} has unallocated`,
          scopeType: over.scopeType,
          shortfall: neg(over.unallocated!),
        },
        `Removing the allocation of ${self.scopeType} ${self.scopeId} over-allocates ${over.scopeType} ${over.scopeId}`,
      );
    if (cycle) {
      await cycleRepository.ensure(em, accountId, cycleWindow(plan, now)!);
      await allocationRepository.setBalanceLimit(em, accountId, cycle, self, null, now);
    }
    await audit({
      type: 'budget.allocation.removed',
      subject: { type: 'BudgetNode', id: placed.scopeId },
      payload: {
        scopeType: placed.scopeType,
        before: n(before.amount),
        after: null,
        teamId: placed.teamId,
        orgId: placed.orgId,
        override: before.override,
      },
    });
    return mine;
  });
}

/** Batched: the figures of every node asked about in this request, one statement per account. */
export function nodeLoader(ctx: RequestContext) {
  return ctx.loader<string, NodeFigures, string>('budgetNode', async (keys) => {
    const byAccount = new Map<string, NodeRef[]>();
    for (const k of keys) {
      const [accountId, scopeType, scopeId] = k.split(':');
      (byAccount.get(accountId) ?? byAccount.set(accountId, []).get(accountId)!).push({ scopeType: scopeType as ChainLevel, scopeId });
    }
    const plans = await planLoader(ctx).loadMany([...byAccount.keys()]);
    const out = new Map<string, NodeFigures>();
    let i = 0;
    for (const [accountId, nodes] of byAccount) {
      const plan = plans[i++];
      const cycle = currentCycle(plan instanceof Error ? null : plan, ctx.now());
      for (const f of await ctx.read((em) => allocationRepository.figures(em, accountId, cycle, nodes)))
        out.set(`${accountId}:${f.scopeType}:${f.scopeId}`, f);
    }
    return keys.map((k) => out.get(k)!);
  });
}

/**
 * A node's figures in the current cycle, or in the cycle starting at `cycle` (BU7; a past one from its balances).
 * Reads only: no cycle is ever written from here.
 */
export async function nodeFigures(ctx: RequestContext, accountId: string, node: NodeRef, cycle?: Date | null): Promise<NodeFigures> {
  const id = node.scopeId.toLowerCase();
  if (cycle) {
    const plan = await planLoader(ctx).load(accountId);
    const current = currentCycle(plan, ctx.now());
    if (!current || current.getTime() !== cycle.getTime())
      return pastNodeLoader(ctx).load(`${accountId}|${cycle.toISOString()}|${node.scopeType}|${id}`);
  }
  return nodeLoader(ctx).load(`${accountId}:${node.scopeType}:${id}`);
}

/** `budgetNode`: the node must exist in the account's directory (NOT_FOUND otherwise). */
export async function budgetNode(
  ctx: RequestContext,
  directory: DirectoryClient,
  accountId: string,
  scopeType: ChainLevel,
  scopeId: string,
  cycle?: Date | null,
) {
  if (scopeType === 'ACCOUNT') {
    if (requireUuid(scopeId, 'Account') !== accountId) throw notFound('Account');
    return nodeFigures(ctx, accountId, { scopeType, scopeId: accountId }, cycle);
  }
  const placed = await placeNode(ctx, directory, accountId, scopeType, scopeId);
  return nodeFigures(ctx, accountId, placed, cycle);
}

export interface ChainLevelView {
  scopeType: ChainLevel;
  scopeId: string;
  explicit: boolean;
  limit: string | null;
  used: string;
  remaining: string | null;
}

/** The figures of a chain (nearest first, ending at the account): its nearest explicit level and the least remaining over all. */
export async function chainFigures(ctx: RequestContext, accountId: string, chain: UserChain | null, from: ChainLevel = 'USER') {
  const nodes: NodeRef[] = [];
  // `from`: the chain of a team or an org starts there (its id in `userId`, its parents in teamId/orgId)
  if (chain) {
    if (from === 'USER') nodes.push({ scopeType: 'USER', scopeId: chain.userId });
    if (from === 'TEAM') nodes.push({ scopeType: 'TEAM', scopeId: chain.userId });
    else if (from === 'USER' && chain.teamId) nodes.push({ scopeType: 'TEAM', scopeId: chain.teamId });
    if (from === 'ORG') nodes.push({ scopeType: 'ORG', scopeId: chain.userId });
    else if (chain.orgId) nodes.push({ scopeType: 'ORG', scopeId: chain.orgId });
  }
  nodes.push({ scopeType: 'ACCOUNT', scopeId: accountId });
  const figures = await Promise.all(nodes.map((n) => nodeFigures(ctx, accountId, n)));
  const levels: ChainLevelView[] = figures.map((f) => ({
    scopeType: f.scopeType,
    scopeId: f.scopeId,
    explicit: f.limit !== null,
    limit: f.limit,
    used: f.used,
    remaining: f.remaining,
  }));
  const explicit = levels.filter((l) => l.explicit); // the account always is
  const bindingLevel = explicit.reduce((a, b) => (compareDecimals(b.remaining!, a.remaining!) < 0 ? b : a));
  return { chain: levels, source: explicit[0], bindingLevel, spendable: bindingLevel.remaining! };
}

/** A user's effective allocation (BU4): the nearest explicit allocation up the chain, with the chain that produced it. */
export async function effectiveAllocation(ctx: RequestContext, accountId: string, chain: UserChain) {
  return { ...chain, ...(await chainFigures(ctx, accountId, chain)) };
}

const SCALE = 4; // allocation.amount is numeric(20,4)
/** "12.5" → 125000n: allocation amounts as whole ten-thousandths, so equal shares are split by integer division, exactly. */
const toUnits = (d: string): bigint => {
  const [i, f = ''] = d.split('.');
  return BigInt(i + f.padEnd(SCALE, '0').slice(0, SCALE));
};
const fromUnits = (u: bigint): string => {
  const s = u.toString().padStart(SCALE + 1, '0');
  return n(`${s.slice(0, -SCALE)}.${s.slice(-SCALE)}`);
};
const CHILD: Record<'ACCOUNT' | 'ORG' | 'TEAM', AllocationScope> = { ACCOUNT: 'ORG', ORG: 'TEAM', TEAM: 'USER' };

/**
 * Equal distribution (BU3): a node's credits (the account: monthly credits; an org or team: its allocation) shared
 * equally among its direct children in the Copilot tree — the account's orgs, an org's teams, a team's members —
 * replacing their allocations. Users with an override keep theirs and the rest share what is left. Remainder rule:
 * shares are whole ten-thousandths (the column's scale); the ten-thousandths left over go one each to the first
 * children in id order (ids are time-ordered: the oldest first). One transaction, one audit event.
 */
export async function distributeEqually(
  ctx: RequestContext,
  directory: DirectoryClient,
  accountId: string,
  input: { scopeType: 'ACCOUNT' | 'ORG' | 'TEAM'; scopeId: string },
): Promise<NodeFigures[]> {
  let parent: Placed | null = null;
  if (input.scopeType === 'ACCOUNT') {
    if (requireUuid(input.scopeId, 'Account') !== accountId) throw notFound('Account');
  } else parent = await placeNode(ctx, directory, accountId, input.scopeType, input.scopeId);
  const scopeId = parent?.scopeId ?? accountId;
  const ans = await directory.scopes(ctx, {
    accountId,
    orgIds: [],
    teamIds: [],
    userIds: [],
    childrenOf: { scopeType: input.scopeType, scopeId, domain: 'COPILOT' },
  });
  const children = ans.children ?? [];
  if (!children.length) throw validationError({ scopeId: 'has no children in the Copilot tree to distribute to' });
  const childType = CHILD[input.scopeType];
  return ctx.write(async ({ em, audit }) => {
    await allocationRepository.lockAccount(em, accountId);
    const plan = await em.findOne(BudgetPlan, { accountId });
    const total =
      input.scopeType === 'ACCOUNT'
        ? (plan?.monthlyCredits ?? null)
        : ((await allocationRepository.find(em, accountId, input.scopeType, scopeId))?.amount ?? null);
    if (total === null) throw validationError({ scopeId: 'has no credits to distribute: allocate to it (or set the plan) first' });
    const overrides =
      childType === 'USER'
        ? await em.find(Allocation, { accountId, domain: 'COPILOT', scopeType: 'USER', scopeId: { $in: children }, override: true })
        : [];
    const kept = new Set(overrides.map((o) => o.scopeId));
    const shared = children.filter((c) => !kept.has(c));
    const pool = toUnits(total) - overrides.reduce((sum, o) => sum + toUnits(o.amount), 0n);
    if (pool < 0n)
      throw validationError({
        scopeId: `its overrides (${fromUnits(toUnits(total) - pool)}) exceed its ${n(total)} credits`,
        shortfall: fromUnits(-pool),
      });
    const share = shared.length ? pool / BigInt(shared.length) : 0n;
    const extra = shared.length ? pool % BigInt(shared.length) : 0n;
    const now = ctx.now();
    const place = {
      orgId: input.scopeType === 'ORG' ? scopeId : input.scopeType === 'TEAM' ? parent!.orgId : null,
      teamId: input.scopeType === 'TEAM' ? scopeId : null,
    };
    const amounts = shared.map((id, i) => ({ id, amount: fromUnits(share + (BigInt(i) < extra ? 1n : 0n)) }));
    for (const { id, amount } of amounts)
      await allocationRepository.upsert(em, { accountId, scopeType: childType, scopeId: id, amount, ...place, override: false }, now);
    const cycle = currentCycle(plan, now);
    const nodes: NodeRef[] = [{ scopeType: input.scopeType, scopeId }, ...children.map((id) => ({ scopeType: childType, scopeId: id }))];
    const [, ...figures] = await allocationRepository.figures(em, accountId, cycle, nodes);
    const below = figures.find((f) => f.unallocated?.startsWith('-'));
    if (below)
      throw validationError(
        {
          amount: `its share is below the ${neg(below.unallocated!)} credits already allocated beneath it`,
          scopeType: below.scopeType,
          scopeId: below.scopeId,
          requested: n(below.allocated!),
          shortfall: neg(below.unallocated!),
        },
        `The equal share of ${below.scopeType} ${below.scopeId} leaves less than the allocations beneath it`,
      );
    if (cycle) await cycleRepository.ensure(em, accountId, cycleWindow(plan, now)!);
    if (cycle)
      for (const { id, amount } of amounts)
        await allocationRepository.setBalanceLimit(em, accountId, cycle, { scopeType: childType, scopeId: id }, amount, now);
    await audit({
      type: 'budget.allocation.distributed',
      subject: { type: 'BudgetNode', id: scopeId },
      payload: {
        scopeType: input.scopeType,
        total: n(total),
        share: fromUnits(share),
        remainderTo: amounts.slice(0, Number(extra)).map((a) => a.id),
        overrides: overrides.map((o) => o.scopeId),
        children: amounts.map((a) => a.id),
      },
    });
    return figures;
  });
}
