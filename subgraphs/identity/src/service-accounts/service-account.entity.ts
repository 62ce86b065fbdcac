import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A named platform-level service principal (ID8), e.g. `alchemi-web`, bounded by its scopes. */
export const ServiceAccount = defineEntity({
  name: 'ServiceAccount',
  tableName: 'service_account',
  properties: {
    id: p.uuid().primary(),
    name: p.string(),
    scopes: p.array(),
    createdAt: p.datetime(),
    disabledAt: p.datetime().nullable(),
  },
});
export type ServiceAccount = InferEntity<typeof ServiceAccount>;
