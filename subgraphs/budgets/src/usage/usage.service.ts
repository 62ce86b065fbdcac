import {
  assertDecimals,
  CockpitError,
  decimalColumns,
  forbidden,
  isUuid,
  normalizeDecimal,
  uuidv7,
  validationError,
  type FieldDetails,
  type RequestContext,
} from '@cockpit/kit';
import type { ChainLevel } from '../allocations/allocation.entity';
import type { NodeRef } from '../allocations/allocation.repository';
import { chainFigures, currentCycle } from '../allocations/allocation.service';
import { compareDecimals } from '../allocations/decimal-order';
import { callerUserId } from '../directory/caller';
import { userChain, type UserChain } from '../directory/chain';
import type { DirectoryClient } from '../directory/directory.client';
import { BudgetPlan } from '../plans/plan.entity';
import { UsageRecord } from './usage.entity';
import { costFits, costFromPrice, type PriceClient } from './usage.pricing';
import { usageRepository, type Refusal } from './usage.repository';
import { alertRepository } from '../alerts/alert.repository';
import { cycleRepository } from '../cycles/cycle.repository';
import { cycleWindow } from '../cycles/cycle.service';
import type { ModelPriceAt } from '@cockpit/contracts';

const COST_COLUMNS = decimalColumns(UsageRecord, { cost: 'zero' });
const MAX_TOKENS = 2_147_483_647;

export interface UsageInput {
  idempotencyKey: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** Omitted: priced from the catalog's price for the model at the time (BU5). */
  cost?: string | null;
  domain: 'COPILOT' | 'CONSOLE';
  userId?: string | null;
  teamId?: string | null;
}

/**
 * The denial of a spend (BU6): FORBIDDEN naming the level that blocked, its id, bound, used and remaining, and
 * the credits asked for, in `extensions.details` (`reason: BUDGET_EXCEEDED`).
 */
export function budgetExceeded(level: NodeRef, refusal: Refusal, requested: string): CockpitError {
  const details: FieldDetails = {
    reason: 'BUDGET_EXCEEDED',
    level: level.scopeType,
    scopeId: level.scopeId,
    limit: normalizeDecimal(refusal.limit),
    used: normalizeDecimal(refusal.used),
    remaining: normalizeDecimal(refusal.remaining),
    requested: normalizeDecimal(requested),
  };
  return new CockpitError(
    'FORBIDDEN',
    `Budget exceeded at the ${level.scopeType} level (${level.scopeId}): ${details.remaining} credits remaining, ${details.requested} requested`,
    details,
  );
}

/** The levels a chain debits, nearest first: the order every writer locks them in, so two writers never deadlock. */
function levels(accountId: string, chain: UserChain | null): NodeRef[] {
  const out: NodeRef[] = [];
  if (chain) {
    out.push({ scopeType: 'USER', scopeId: chain.userId });
    if (chain.teamId) out.push({ scopeType: 'TEAM', scopeId: chain.teamId });
    if (chain.orgId) out.push({ scopeType: 'ORG', scopeId: chain.orgId });
  }
  out.push({ scopeType: 'ACCOUNT', scopeId: accountId });
  return out;
}

/**
 * Whose usage this is. A credential mapped to a directory user (a login, a user-bound key) spends as that user:
 * naming another is FORBIDDEN. Services, agents and admins name the user, or record account-level usage.
 */
function spender(ctx: RequestContext, input: { userId?: string | null; teamId?: string | null }): string | null {
  const own = callerUserId(ctx);
  if (own) {
    if (input.userId && input.userId.toLowerCase() !== own) throw forbidden("A user's credential records only that user's usage");
    return own;
  }
  if (!input.userId && input.teamId) throw validationError({ teamId: 'needs a userId: usage is attributed to a user of the team' });
  return input.userId ?? null;
}

function validateUsage(input: UsageInput): void {
  const details: FieldDetails = {};
  if (input.idempotencyKey.length < 1 || input.idempotencyKey.length > 200) details.idempotencyKey = 'must be 1 to 200 characters';
  if (input.model.trim().length < 1 || input.model.length > 200) details.model = 'must be 1 to 200 characters';
  for (const f of ['inputTokens', 'outputTokens'] as const)
    if (!Number.isInteger(input[f]) || input[f] < 0 || input[f] > MAX_TOKENS) details[f] = 'must be a whole number from 0';
  if (Object.keys(details).length) throw validationError(details);
  if (input.cost != null) assertDecimals({ cost: input.cost }, COST_COLUMNS);
}

/** What a usage is charged: its cost, the catalog price it was computed from (null: given by the caller), when. */
export interface Priced {
  cost: string;
  price: ModelPriceAt | null;
  at: Date;
}

/**
 * Prices the usages sent without a cost (BU5): one call to catalog for all of them, for the price in force at `at`
 * (when the write arrived); cost = (inputTokens × inputPricePerMtok + outputTokens × outputPricePerMtok) / 1,000,000,
 * rounded half up to 8 places. Per input, in order: its Priced, or the error it fails with — VALIDATION_ERROR on
 * `cost` for a model catalog has no price for; UPSTREAM_ERROR when catalog cannot be asked (nothing guessed).
 * Inputs that fail validation fail with that error and are not asked about.
 */
export async function priceUsages(
  ctx: RequestContext,
  prices: PriceClient,
  accountId: string,
  inputs: readonly UsageInput[],
  at: Date,
): Promise<(Priced | CockpitError)[]> {
  const out: (Priced | CockpitError | null)[] = inputs.map((input) => {
    try {
      validateUsage(input);
    } catch (err) {
      if (err instanceof CockpitError) return err;
      throw err;
    }
    return input.cost != null ? { cost: input.cost, price: null, at } : null;
  });
  const ask = inputs.map((_, n) => n).filter((n) => out[n] === null);
  if (!ask.length) return out as (Priced | CockpitError)[];
  let answer: (ModelPriceAt | null)[] | CockpitError;
  try {
    answer = await prices.prices(ctx, { accountId, lookups: ask.map((n) => ({ model: inputs[n].model.trim(), at: at.toISOString() })) });
  } catch (err) {
    if (!(err instanceof CockpitError)) throw err;
    answer = err;
  }
  ask.forEach((n, i) => {
    const model = inputs[n].model.trim();
    if (answer instanceof CockpitError) return void (out[n] = answer);
    const price = answer[i];
    if (!price) return void (out[n] = validationError({ cost: `no catalog price for model "${model}": give cost or configure a price` }));
    const cost = costFromPrice(inputs[n].inputTokens, inputs[n].outputTokens, price);
    const problem = costFits(cost, COST_COLUMNS.cost);
    out[n] = problem ? validationError({ cost: `the price of model "${model}" gives ${cost}: ${problem}` }) : { cost, price, at };
  });
  return out as (Priced | CockpitError)[];
}

export interface RecordedUsage {
  record: UsageRecord;
  /** True for a repeated idempotency key: the first record, nothing debited. */
  replayed: boolean;
}

/**
 * Records one usage (BU5) and debits it (BU6) in one transaction: a known key returns its first record and debits
 * nothing; a level whose committed balance has no room denies at once (no lock taken); otherwise the record claims
 * its idempotency key (a racing repeat waits for it), then each level of the chain — user, team, org, account —
 * is debited by a conditional upsert of its balance; the first level that would go past its bound rolls the whole
 * write back with a denial naming it. COPILOT usage is bounded; CONSOLE usage is recorded for spend visibility only.
 */
export async function recordUsage(
  ctx: RequestContext,
  directory: DirectoryClient,
  prices: PriceClient,
  accountId: string,
  input: UsageInput,
  pricedIn?: Priced,
): Promise<RecordedUsage> {
  const priced = pricedIn ?? (await priceUsages(ctx, prices, accountId, [input], ctx.now()))[0];
  if (priced instanceof CockpitError) throw priced;
  const cost = priced.cost;
  const userId = spender(ctx, input);
  const chain = userId ? await userChain(ctx, directory, accountId, userId, input.teamId) : null;
  return ctx.write(
    async ({ em, audit, unchanged }) => {
      const plan = await em.findOne(BudgetPlan, { accountId });
      const now = priced.at;
      const cycle = currentCycle(plan, now);
      const account: NodeRef = { scopeType: 'ACCOUNT', scopeId: accountId };
      if (!cycle) {
        const existing = await usageRepository.byKey(em, accountId, input.idempotencyKey);
        if (existing) return unchanged({ record: existing, replayed: true });
        throw budgetExceeded(account, { limit: '0', used: '0', remaining: '0' }, cost);
      }
      const existing = await usageRepository.byKey(em, accountId, input.idempotencyKey);
      if (existing) return unchanged({ record: existing, replayed: true });
      if (input.domain === 'COPILOT') {
        const short = await usageRepository.firstShort(em, accountId, cycle, levels(accountId, chain), cost);
        if (short) throw budgetExceeded(short.level, short.refusal, short.credits);
      }
      const record = await usageRepository.insertIfNew(em, {
        id: uuidv7(),
        accountId,
        idempotencyKey: input.idempotencyKey,
        domain: input.domain,
        model: input.model.trim(),
        inputTokens: input.inputTokens,
        outputTokens: input.outputTokens,
        cost,
        price: priced.price,
        userId: chain?.userId ?? null,
        teamId: chain?.teamId ?? null,
        orgId: chain?.orgId ?? null,
        cycleStart: cycle,
        recordedBy: ctx.principal.subject,
        createdAt: now,
      });
      if (!record) return unchanged({ record: (await usageRepository.byKey(em, accountId, input.idempotencyKey))!, replayed: true });
      await cycleRepository.ensure(em, accountId, cycleWindow(plan, now)!); // BU7: the cycle the record lands in, once
      if (input.domain === 'COPILOT') {
        for (const level of levels(accountId, chain)) {
          const refused = await usageRepository.debit(em, accountId, cycle, level, record.credits, now);
          if (refused) throw budgetExceeded(level, refused, record.credits);
        }
        // BU9: the thresholds this debit brought a level to, each once per cycle, audited in this transaction
        for (const a of await alertRepository.recordCrossings(em, accountId, cycle, levels(accountId, chain), now))
          await audit({
            type: 'budget.threshold_crossed',
            subject: { type: 'BudgetNode', id: a.scopeId },
            payload: {
              alertId: a.id,
              scopeType: a.scopeType,
              threshold: a.threshold,
              limit: normalizeDecimal(a.limit),
              used: normalizeDecimal(a.used),
              cycleStart: a.cycleStart,
            },
          });
      }
      await audit({
        type: 'budget.usage.recorded',
        subject: { type: 'UsageRecord', id: record.id },
        payload: { model: record.model, domain: record.domain, credits: record.credits, userId: record.userId, teamId: record.teamId },
      });
      return { record, replayed: false };
    },
    { events: { min: 1 } },
  );
}

/**
 * The check before a spend (BU6): what `cost` is worth in credits and whether every explicit level of the chain
 * has that much remaining — the same denial as recordUsage otherwise. Nothing is held: the debit decides.
 */
export async function authorizeSpend(
  ctx: RequestContext,
  directory: DirectoryClient,
  accountId: string,
  input: { cost: string; userId?: string | null; teamId?: string | null },
) {
  assertDecimals({ cost: input.cost }, COST_COLUMNS);
  const userId = spender(ctx, input);
  const chain = userId ? await userChain(ctx, directory, accountId, userId, input.teamId) : null;
  const credits = await ctx.read((em) => usageRepository.creditsFor(em, accountId, input.cost));
  const account: NodeRef = { scopeType: 'ACCOUNT', scopeId: accountId };
  if (credits === null) throw budgetExceeded(account, { limit: '0', used: '0', remaining: '0' }, input.cost);
  const eff = await chainFigures(ctx, accountId, chain);
  for (const l of eff.chain)
    if (l.explicit && compareDecimals(credits, l.remaining!) > 0)
      throw budgetExceeded(
        { scopeType: l.scopeType as ChainLevel, scopeId: l.scopeId },
        { limit: l.limit!, used: l.used, remaining: l.remaining! },
        credits,
      );
  return { credits, spendable: eff.spendable, bindingLevel: eff.bindingLevel, chain: eff.chain };
}

export const MAX_USAGE_BATCH = 100;

/**
 * The batch form (BU5) for runtime services reporting many records at once: each record is recorded as
 * recordUsage would, in its own transaction and in order, so one denied or invalid record fails alone; its
 * error (code, message, details) stands in its place in the answer.
 */
export async function recordUsageBatch(
  ctx: RequestContext,
  directory: DirectoryClient,
  prices: PriceClient,
  accountId: string,
  inputs: UsageInput[],
) {
  if (inputs.length < 1 || inputs.length > MAX_USAGE_BATCH) throw validationError({ inputs: `must hold 1 to ${MAX_USAGE_BATCH} records` });
  const priced = await priceUsages(ctx, prices, accountId, inputs, ctx.now()); // one catalog call for the batch
  const users = await prefetchUsers(ctx, directory, accountId, inputs); // and one directory call
  const out: {
    record: UsageRecord | null;
    replayed: boolean;
    error: { code: string; message: string; details: FieldDetails | null } | null;
  }[] = [];
  for (const [n, input] of inputs.entries()) {
    try {
      const p = priced[n];
      if (p instanceof CockpitError) throw p;
      out.push({ ...(await recordUsage(ctx, users, prices, accountId, input, p)), error: null });
    } catch (err) {
      if (!(err instanceof CockpitError)) throw err; // unexpected: the whole call fails (masked), as any other
      out.push({ record: null, replayed: false, error: { code: err.code, message: err.message, details: err.details ?? null } });
    }
  }
  return out;
}

/**
 * The batch's users placed by one call to identity: a DirectoryClient that answers a single-user lookup of one of
 * them from that answer (absent: unknown to identity, as it would have said) and passes every other lookup on.
 */
async function prefetchUsers(ctx: RequestContext, directory: DirectoryClient, accountId: string, inputs: readonly UsageInput[]) {
  const own = callerUserId(ctx);
  const ids = [
    ...new Set(
      inputs
        .map((i) => own ?? i.userId)
        .filter((u): u is string => isUuid(u))
        .map((u) => u.toLowerCase()),
    ),
  ];
  if (ids.length < 2) return directory;
  const ans = await directory.scopes(ctx, { accountId, orgIds: [], teamIds: [], userIds: ids });
  const known = new Map(ans.users.map((u) => [u.id, u]));
  const asked = new Set(ids);
  return {
    scopes(c, req) {
      const [u] = req.userIds;
      if (
        req.accountId !== accountId ||
        req.orgIds.length ||
        req.teamIds.length ||
        req.childrenOf ||
        req.userIds.length !== 1 ||
        !asked.has(u)
      )
        return directory.scopes(c, req);
      const user = known.get(u);
      return Promise.resolve({ orgs: [], teams: [], users: user ? [user] : [], children: null });
    },
  } satisfies DirectoryClient;
}
