import {
  byIdLoader,
  type FieldDetails,
  isDomain,
  type RequestContext,
  trimmed,
  uniqueOrConflict,
  uuidv7,
  validationError,
} from '@cockpit/kit';
import { Org } from '../directory/directory.entity';
import { Account, PLAN_TIERS, type PlanTier } from './account.entity';

export interface CreateAccountInput {
  name: string;
  emailDomain: string;
  planTier?: PlanTier | null;
}

/** The Copilot org every account starts with (seed 001). */
export const DEFAULT_ORG_NAME = 'global';

function validateAccount(input: CreateAccountInput): { name: string; emailDomain: string; planTier: PlanTier } {
  const details: FieldDetails = {};
  const name = trimmed(input.name);
  const emailDomain = trimmed(input.emailDomain).toLowerCase();
  const planTier = input.planTier ?? 'FREE';
  if (name.length < 1 || name.length > 100) details.name = 'must be 1 to 100 characters';
  if (!isDomain(emailDomain)) details.emailDomain = 'must be a domain name such as acme.com';
  if (!PLAN_TIERS.includes(planTier)) details.planTier = `must be one of ${PLAN_TIERS.join(', ')}`;
  if (Object.keys(details).length) throw validationError(details);
  return { name, emailDomain, planTier };
}

/**
 * Creates an account and its default Copilot org `global` in one platform-scope
 * transaction (X-Account-Id would confine the new rows to another tenant),
 * audited on the new account's chain.
 */
export async function createAccount(ctx: RequestContext, input: CreateAccountInput): Promise<Account> {
  const data = validateAccount(input);
  return uniqueOrConflict(
    () =>
      ctx.write(async ({ em, audit }) => {
        const now = new Date();
        const account = em.create(Account, { id: uuidv7(), ...data, status: 'ACTIVE', createdAt: now, updatedAt: now });
        // flush the account first: the org's foreign key needs it
        await em.flush();
        const org = em.create(Org, { id: uuidv7(), accountId: account.id, name: DEFAULT_ORG_NAME, domain: 'COPILOT', createdAt: now });
        await em.flush();
        await audit({
          accountId: account.id,
          type: 'account.created',
          domain: 'PLATFORM',
          subject: { type: 'Account', id: account.id },
          payload: { ...data, defaultOrgId: org.id },
        });
        return account;
      }),
    'An account with this name already exists',
    { name: 'already taken' },
  );
}

/** Batched: the accounts visible in this request's scope (RLS), one query per batch. */
export const accountLoader = (ctx: RequestContext) => byIdLoader<Account>(ctx, Account, 'account');
