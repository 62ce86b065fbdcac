import {
  ACCOUNT_ROLES,
  type AccountRole,
  conflict,
  type FieldDetails,
  groupBy,
  isEmail,
  notFound,
  type RequestContext,
  requireUuid,
  trimmed,
  uniqueOrConflict,
  uuidv7,
  validationError,
} from '@cockpit/kit';
import { accountRepository } from '../accounts/account.repository';
import { AccountAdmin } from './account-admin.entity';
import { accountAdminRepository } from './account-admin.repository';

export interface AddAccountAdminInput {
  email: string;
  role: AccountRole;
}

/** Grants an email a role on the account; one entry per email (case-insensitive). */
export async function addAccountAdmin(ctx: RequestContext, accountId: string, input: AddAccountAdminInput): Promise<AccountAdmin> {
  const email = trimmed(input.email).toLowerCase();
  const details: FieldDetails = {};
  if (!isEmail(email)) details.email = 'must be an email address';
  if (!(ACCOUNT_ROLES as readonly string[]).includes(input.role)) details.role = `must be one of ${ACCOUNT_ROLES.join(', ')}`;
  if (Object.keys(details).length) throw validationError(details);
  return uniqueOrConflict(
    () =>
      ctx.write(async ({ em, audit }) => {
        if (!(await accountRepository.exists(em, accountId))) throw notFound('Account');
        const admin = em.create(AccountAdmin, { id: uuidv7(), accountId, email, role: input.role, createdAt: new Date() });
        await em.flush();
        await audit({
          accountId,
          type: 'account_admin.added',
          domain: 'PLATFORM',
          subject: { type: 'AccountAdmin', id: admin.id },
          payload: { email, role: input.role },
        });
        return admin;
      }),
    'This email is already an admin of the account',
    { email: 'already an admin of this account' },
  );
}

/**
 * Changes an admin's role, or removes the admin (`role` null), keeping at least
 * one OWNER. The account row is locked first so two concurrent demotions of the
 * last two owners cannot both pass the check.
 */
export async function changeAccountAdmin(
  ctx: RequestContext,
  accountId: string,
  id: string,
  role: AccountRole | null,
): Promise<AccountAdmin> {
  const adminId = requireUuid(id, 'AccountAdmin');
  if (role !== null && !(ACCOUNT_ROLES as readonly string[]).includes(role))
    throw validationError({ role: `must be one of ${ACCOUNT_ROLES.join(', ')}` });
  return ctx.write(async ({ em, audit }) => {
    await accountRepository.lock(em, accountId);
    const admin = await accountAdminRepository.find(em, accountId, adminId);
    if (!admin) throw notFound('AccountAdmin');
    const before = admin.role;
    if (before === 'OWNER' && role !== 'OWNER') {
      const owners = await accountAdminRepository.owners(em, accountId);
      if (owners <= 1) throw conflict('An account must keep at least one OWNER', { id: 'is the last OWNER of the account' });
    }
    if (role === null) em.remove(admin);
    else admin.role = role;
    await em.flush();
    await audit({
      accountId,
      type: role === null ? 'account_admin.removed' : 'account_admin.role_changed',
      domain: 'PLATFORM',
      subject: { type: 'AccountAdmin', id: admin.id },
      payload: { email: admin.email, before, after: role },
    });
    return admin;
  });
}

/** Batched: every account's admins in one query. */
export function adminsLoader(ctx: RequestContext) {
  return ctx.loader<string, AccountAdmin[]>('adminsByAccount', async (ids) => {
    const rows = await ctx.read((em) => accountAdminRepository.ofAccounts(em, ids));
    const by = groupBy(rows, (a) => a.accountId);
    return ids.map((id) => by.get(id) ?? []);
  });
}
