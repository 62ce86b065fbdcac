import { LockMode, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { anyUuid, readRows, rowMapper, tablesOf } from '@cockpit/kit';
import { AccountFeaturePack, Feature, FeatureEntitlement } from './feature.entity';

/** The features' queries; the caller's `em` is its `ctx.read` / `ctx.write`'s (RLS confines the tenant tables to the account). */
export const featureRepository = {
  /** Up to `take` catalog features after the key `after`, by key (feature_status_idx for the filter). */
  after: (em: EntityManager, where: FilterQuery<Feature>, after: string | null, take: number) =>
    em.find(Feature, after ? { $and: [where, { key: { $gt: after } }] } : where, { orderBy: { key: 'asc' }, limit: take }),
  count: (em: EntityManager, where: FilterQuery<Feature>) => em.count(Feature, where),
  lock: (em: EntityManager, key: string) => em.findOne(Feature, { key }, { lockMode: LockMode.PESSIMISTIC_WRITE }),
  byKeys: (em: EntityManager, keys: string[]) => em.find(Feature, { key: { $in: keys } }),
  /** Serialises changes of one account's pack against entitlements checked under it. */
  lockPack: async (em: EntityManager, accountId: string) => {
    await em.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`catalog.feature_pack:${accountId}`]);
  },
  packKeys: async (em: EntityManager, accountId: string) =>
    (await em.find(AccountFeaturePack, { accountId }, { fields: ['featureKey'] })).map((r) => r.featureKey),
  changePack: async (em: EntityManager, accountId: string, added: string[], removed: string[]) => {
    if (removed.length) await em.nativeDelete(AccountFeaturePack, { accountId, featureKey: { $in: removed } });
    if (added.length) {
      const now = new Date();
      await em.insertMany(
        AccountFeaturePack,
        added.map((featureKey) => ({ accountId, featureKey, createdAt: now })),
      );
    }
  },
  /** Each account's pack features, by key: one statement whatever the number of accounts. */
  packsOf: async (em: EntityManager, accountIds: string[]) => {
    const byAccount = new Map<string, Feature[]>(accountIds.map((id) => [id, []]));
    const T = tablesOf(em, { pack: AccountFeaturePack, feature: Feature });
    const rows = await readRows(
      em,
      `select f.*, k.account_id as pack_account_id from ${T.pack} k join ${T.feature} f on f.key = k.feature_key
        where ${anyUuid('k.account_id')} order by f.key, k.account_id`,
      [accountIds],
    );
    const toFeature = rowMapper(em, Feature);
    for (const { pack_account_id, ...row } of rows) byAccount.get(pack_account_id as string)?.push(toFeature(row));
    return byAccount;
  },
  entitlement: (em: EntityManager, accountId: string, scopeId: string, featureKey: string) =>
    em.findOne(FeatureEntitlement, { accountId, scopeId, featureKey }),
  removeEntitlement: (em: EntityManager, accountId: string, scopeId: string, featureKey: string) =>
    em.nativeDelete(FeatureEntitlement, { accountId, scopeId, featureKey }),
  entitlementsOfAccount: (em: EntityManager, accountId: string) =>
    em.find(FeatureEntitlement, { accountId }, { orderBy: { scopeType: 'asc', scopeId: 'asc', featureKey: 'asc' } }),
  /** The entitlements of any of these scopes: one statement for a batch of users (the primary key's prefix). */
  entitlementsOfScopes: (em: EntityManager, accountId: string, scopeIds: string[]) =>
    em.find(FeatureEntitlement, { accountId, scopeId: { $in: scopeIds } }),
};
