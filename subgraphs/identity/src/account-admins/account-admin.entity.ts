import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const AccountAdmin = defineEntity({
  name: 'AccountAdmin',
  tableName: 'account_admin',
  properties: {
    id: p.uuid().primary(),
    accountId: p.uuid(),
    email: p.string(),
    role: p.string(),
    createdAt: p.datetime(),
  },
});
export type AccountAdmin = InferEntity<typeof AccountAdmin>;
