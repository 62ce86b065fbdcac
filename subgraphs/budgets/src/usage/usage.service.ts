import {
  assertDecimals,
  CockpitError,
  decimalColumns,
  forbidden,
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
import { userChain, type UserChain } from '../directory/chain';
import type { DirectoryClient } from '../directory/directory.client';
import { BudgetPlan } from '../plans/plan.entity';
import { UsageRecord } from './usage.entity';
import { usageRepository, type Refusal } from './usage.repository';
import { alertRepository } from '../alerts/alert.repository';
import { cycleRepository } from '../cycles/cycle.repository';
import { cycleWindow } from '../cycles/cycle.service';

const COST_COLUMNS = decimalColumns(UsageRecord, { cost: 'zero' });
const MAX_TOKENS = 2_147_483_647;

export interface UsageInput {
  idempotencyKey: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cost: string;
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
  const own = ctx.principal.accountId === ctx.account ? (ctx.principal.userId ?? null) : null;
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
  assertDecimals({ cost: input.cost }, COST_COLUMNS);
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
  accountId: string,
  input: UsageInput,
): Promise<RecordedUsage> {
  validateUsage(input);
  const userId = spender(ctx, input);
  const chain = userId ? await userChain(ctx, directory, accountId, userId, input.teamId) : null;
  return ctx.write(
    async ({ em, audit, unchanged }) => {
      const plan = await em.findOne(BudgetPlan, { accountId });
      const now = ctx.now();
      const cycle = currentCycle(plan, now);
      const account: NodeRef = { scopeType: 'ACCOUNT', scopeId: accountId };
      if (!cycle) {
        const existing = await usageRepository.byKey(em, accountId, input.idempotencyKey);
        if (existing) return unchanged({ record: existing, replayed: true });
        throw budgetExceeded(account, { limit: '0', used: '0', remaining: '0' }, input.cost);
      }
      const existing = await usageRepository.byKey(em, accountId, input.idempotencyKey);
      if (existing) return unchanged({ record: existing, replayed: true });
      if (input.domain === 'COPILOT') {
        const short = await usageRepository.firstShort(em, accountId, cycle, levels(accountId, chain), input.cost);
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
        cost: input.cost,
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
export async function recordUsageBatch(ctx: RequestContext, directory: DirectoryClient, accountId: string, inputs: UsageInput[]) {
  if (inputs.length < 1 || inputs.length > MAX_USAGE_BATCH) throw validationError({ inputs: `must hold 1 to ${MAX_USAGE_BATCH} records` });
  const out: {
    record: UsageRecord | null;
    replayed: boolean;
    error: { code: string; message: string; details: FieldDetails | null } | null;
  }[] = [];
  for (const input of inputs) {
    try {
      out.push({ ...(await recordUsage(ctx, directory, accountId, input)), error: null });
    } catch (err) {
      if (!(err instanceof CockpitError)) throw err; // unexpected: the whole call fails (masked), as any other
      out.push({ record: null, replayed: false, error: { code: err.code, message: err.message, details: err.details ?? null } });
    }
  }
  return out;
}
