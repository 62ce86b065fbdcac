import type { EntityManager } from '@mikro-orm/postgresql';
import { anyUuid, readRows, rowMapper, tablesOf } from '@cockpit/kit';
import { Model } from '../models/model.entity';
import { ConsoleModelGrant, ConsoleModelPolicy } from './console.entity';

/** The console policy's and grants' queries, in the caller's tenant transaction (RLS confines them to the account). */
export const consoleRepository = {
  /** Serialises changes of one account's policy against grants checked under it (raw SQL: the ORM has no advisory locks). */
  lockPolicy: async (em: EntityManager, accountId: string) => {
    await em.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`catalog.console_policy:${accountId}`]);
  },
  policyModelIds: async (em: EntityManager, accountId: string) =>
    (await em.find(ConsoleModelPolicy, { accountId }, { fields: ['modelId'] })).map((r) => r.modelId),
  changePolicy: async (em: EntityManager, accountId: string, added: string[], removed: string[]) => {
    if (removed.length) await em.nativeDelete(ConsoleModelPolicy, { accountId, modelId: { $in: removed } });
    if (added.length) {
      const now = new Date();
      await em.insertMany(
        ConsoleModelPolicy,
        added.map((modelId) => ({ accountId, modelId, createdAt: now })),
      );
    }
  },
  /** Each account's policy models, by name: one statement whatever the number of accounts. */
  policyModelsOf: async (em: EntityManager, accountIds: string[]) => {
    const byAccount = new Map<string, Model[]>(accountIds.map((id) => [id, []]));
    const T = tablesOf(em, { policy: ConsoleModelPolicy, model: Model });
    const rows = await readRows(
      em,
      `select m.*, c.account_id as policy_account_id from ${T.policy} c join ${T.model} m on m.id = c.model_id
        where ${anyUuid('c.account_id')} order by m.name, c.account_id`,
      [accountIds],
    );
    const toModel = rowMapper(em, Model);
    for (const { policy_account_id, ...row } of rows) byAccount.get(policy_account_id as string)?.push(toModel(row));
    return byAccount;
  },
  find: (em: EntityManager, accountId: string, scopeId: string) => em.findOne(ConsoleModelGrant, { accountId, scopeId }),
  ofAccount: (em: EntityManager, accountId: string) =>
    em.find(ConsoleModelGrant, { accountId }, { orderBy: { scopeType: 'asc', scopeId: 'asc' } }),
  /** The grants of any of these scopes: one statement for a batch of users (the primary key's prefix). */
  ofScopes: (em: EntityManager, accountId: string, scopeIds: string[]) =>
    em.find(ConsoleModelGrant, { accountId, scopeId: { $in: scopeIds } }),
  remove: (em: EntityManager, accountId: string, scopeId: string) => em.nativeDelete(ConsoleModelGrant, { accountId, scopeId }),
};
