import { principal, startTestSubgraph } from '@cockpit/kit';
import { createIdentitySubgraph } from '../src';

/** One identity server on a fresh database per test file, with a statement recorder (the kit's test bootstrap). */
export const startIdentity = (extra: { answerCacheMb?: number } = {}) => startTestSubgraph(createIdentitySubgraph, extra);
export type Identity = Awaited<ReturnType<typeof startIdentity>>;

export const platformAdmin = () => principal({ superAdmin: true, roles: ['SUPER_ADMIN'], subject: 'root' });
export const superOn = (accountId: string) => principal({ superAdmin: true, roles: ['SUPER_ADMIN'], accountId, subject: 'root' });
export const member = (accountId: string, role: 'OWNER' | 'ADMIN' | 'OPERATOR' | 'VIEWER') =>
  principal({ accountId, roles: [role], subject: `${role.toLowerCase()}@test` });

let n = 0;
/** A new account with a unique name, created by a platform super admin. */
export async function newAccount(id: Identity, name = `acct-${process.pid}-${Date.now()}-${n++}`): Promise<{ id: string; name: string }> {
  const r = await id.call(platformAdmin(), `mutation($i: CreateAccountInput!) { createAccount(input: $i) { id name } }`, {
    i: { name, emailDomain: 'example.com', planTier: 'TEAM' },
  });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.createAccount;
}

export const outboxTypes = async (
  id: Identity,
): Promise<{ type: string; accountId: string; domain: string; payload: any; subject: any }[]> =>
  (await id.sql(`select body from identity.outbox order by id`)).map((r: any) =>
    typeof r.body === 'string' ? JSON.parse(r.body) : r.body,
  );
