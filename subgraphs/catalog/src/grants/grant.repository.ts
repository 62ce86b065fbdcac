import type { EntityManager } from '@mikro-orm/postgresql';
import { ModelAlias } from '../aliases/alias.entity';
import { ModelGrant } from './grant.entity';

/** The grants' and aliases' queries, in the caller's tenant transaction (RLS confines them to the account). */
export const grantRepository = {
  find: (em: EntityManager, accountId: string, scopeId: string) => em.findOne(ModelGrant, { accountId, scopeId }),
  /** Every explicit grant of the account, by scope type then id. */
  ofAccount: (em: EntityManager, accountId: string) =>
    em.find(ModelGrant, { accountId }, { orderBy: { scopeType: 'asc', scopeId: 'asc' } }),
  /** The grants of any of these scopes (the account, a user's teams and orgs, the user): one statement for a batch of users. */
  ofScopes: (em: EntityManager, accountId: string, scopeIds: string[]) => em.find(ModelGrant, { accountId, scopeId: { $in: scopeIds } }),
  remove: (em: EntityManager, accountId: string, scopeId: string) => em.nativeDelete(ModelGrant, { accountId, scopeId }),
  aliasesOf: (em: EntityManager, accountId: string) => em.find(ModelAlias, { accountId }, { orderBy: { alias: 'asc' } }),
};
