import type { EntityManager } from '@mikro-orm/postgresql';
import {
  conflict,
  type ConnectionArgs,
  type FieldDetails,
  isDomain,
  notFound,
  type RequestContext,
  requireUuid,
  paginate,
  trimmed,
  uniqueOrConflict,
  validationError,
} from '@cockpit/kit';
import { Account, ACCOUNT_STATUSES, PLAN_TIERS, type AccountStatus, type PlanTier } from './account.entity';
import { accountRepository } from './account.repository';

export interface UpdateAccountInput {
  name?: string | null;
  emailDomain?: string | null;
  planTier?: PlanTier | null;
}

export interface AccountFilter {
  status?: AccountStatus | null;
  search?: string | null;
}

type Patch = Partial<Pick<Account, 'name' | 'emailDomain' | 'planTier'>>;

/** Only the fields given are checked and changed; an input naming nothing is a client mistake. */
function validatePatch(input: UpdateAccountInput): Patch {
  const details: FieldDetails = {};
  const patch: Patch = {};
  if (input.name != null) {
    const name = trimmed(input.name);
    if (name.length < 1 || name.length > 100) details.name = 'must be 1 to 100 characters';
    else patch.name = name;
  }
  if (input.emailDomain != null) {
    const emailDomain = trimmed(input.emailDomain).toLowerCase();
    if (!isDomain(emailDomain)) details.emailDomain = 'must be a domain name such as acme.com';
    else patch.emailDomain = emailDomain;
  }
  if (input.planTier != null) {
    if (!PLAN_TIERS.includes(input.planTier)) details.planTier = `must be one of ${PLAN_TIERS.join(', ')}`;
    else patch.planTier = input.planTier;
  }
  if (!Object.keys(details).length && !Object.keys(patch).length) details.input = 'give at least one of name, emailDomain, planTier';
  if (Object.keys(details).length) throw validationError(details);
  return patch;
}

/**
 * The account row, locked: status changes and edits of one account serialize,
 * so two concurrent transitions cannot both read the old status.
 */
async function lockedAccount(em: EntityManager, id: string): Promise<Account> {
  const account = await accountRepository.lock(em, id);
  if (!account) throw notFound('Account');
  return account;
}

/**
 * Edits an account (super admin, platform scope: the account named by `id` need
 * not be the one in X-Account-Id). Audited with the changed fields only; an edit
 * that changes nothing writes nothing.
 */
export async function updateAccount(ctx: RequestContext, id: string, input: UpdateAccountInput): Promise<Account> {
  const accountId = requireUuid(id, 'Account');
  const patch = validatePatch(input);
  return uniqueOrConflict(
    () =>
      ctx.write(async ({ em, audit, unchanged }) => {
        const account = await lockedAccount(em, accountId);
        if (account.status === 'DELETED') throw conflict('A deleted account cannot be changed', { id: 'is deleted' });
        const changes: Record<string, { before: string; after: string }> = {};
        for (const [field, after] of Object.entries(patch) as [keyof Patch, string][]) {
          if (account[field] !== after) changes[field] = { before: account[field], after };
        }
        if (!Object.keys(changes).length) return unchanged(account);
        Object.assign(account, patch, { updatedAt: new Date() });
        await em.flush();
        await audit({
          accountId,
          type: 'account.updated',
          domain: 'PLATFORM',
          subject: { type: 'Account', id: accountId },
          payload: { changes },
        });
        return account;
      }),
    'An account with this name already exists',
    { name: 'already taken' },
  );
}

interface Transition {
  to: AccountStatus;
  from: readonly AccountStatus[];
  event: 'account.suspended' | 'account.reactivated' | 'account.deleted';
  verb: string;
}

export const SUSPEND: Transition = { to: 'SUSPENDED', from: ['ACTIVE'], event: 'account.suspended', verb: 'suspended' };
export const REACTIVATE: Transition = { to: 'ACTIVE', from: ['SUSPENDED'], event: 'account.reactivated', verb: 'reactivated' };
export const DELETE: Transition = { to: 'DELETED', from: ['ACTIVE', 'SUSPENDED'], event: 'account.deleted', verb: 'deleted' };

/**
 * Moves an account between ACTIVE, SUSPENDED and DELETED (soft delete: the row,
 * its audit chain and its name stay). Asking for the status it already has is a
 * no-op without an event; a deleted account stays deleted (CONFLICT).
 * The gateway refuses credentials of non-ACTIVE accounts (API-key lookup's
 * accountStatus, `/internal/accounts/status` for OIDC tokens).
 */
export async function transitionAccount(ctx: RequestContext, id: string, t: Transition): Promise<Account> {
  const accountId = requireUuid(id, 'Account');
  return ctx.write(async ({ em, audit, unchanged }) => {
    const account = await lockedAccount(em, accountId);
    const before = account.status as AccountStatus;
    if (before === t.to) return unchanged(account);
    if (!t.from.includes(before)) throw conflict(`A ${before.toLowerCase()} account cannot be ${t.verb}`, { id: `is ${before}` });
    const now = new Date();
    account.status = t.to;
    account.updatedAt = now;
    if (t.to === 'DELETED') account.deletedAt = now;
    await em.flush();
    await audit({
      accountId,
      type: t.event,
      domain: 'PLATFORM',
      subject: { type: 'Account', id: accountId },
      payload: { before, after: t.to },
    });
    return account;
  });
}

/**
 * Every account for super admins (platform scope), keyset-paged by id. Without a
 * status filter DELETED accounts are left out; they are listed only when asked for.
 */
export function listAccounts(ctx: RequestContext, args: ConnectionArgs, filter?: AccountFilter | null) {
  const status = filter?.status ?? null;
  if (status !== null && !ACCOUNT_STATUSES.includes(status))
    throw validationError({ status: `must be one of ${ACCOUNT_STATUSES.join(', ')}` });
  const search = trimmed(filter?.search);
  if (search.length > 100) throw validationError({ search: 'must be at most 100 characters' });
  const where = { status, search };
  return paginate(args, {
    rows: ({ after, take }) => ctx.read((em) => accountRepository.page(em, where, after, take)),
    key: (a) => a.id,
    count: () => ctx.read((em) => accountRepository.count(em, where)),
  });
}
