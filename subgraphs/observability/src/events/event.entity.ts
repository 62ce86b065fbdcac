import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** One link of an account's audit hash chain; the app role may only insert and read these rows. */
export const Event = defineEntity({
  name: 'Event',
  tableName: 'event',
  properties: {
    accountId: p.uuid().primary(),
    seq: p.bigint('number').primary(),
    id: p.uuid().unique(),
    type: p.text(),
    domain: p.string(),
    source: p.text(),
    actor: p.json<{ subject: string; kind: string }>(),
    subjectType: p.text().nullable(),
    subjectId: p.text().nullable(),
    payload: p.json<Record<string, unknown>>(),
    requestId: p.text().nullable(),
    occurredAt: p.datetime(),
    recordedAt: p.datetime().defaultRaw('now()'),
    prevHash: p.text(),
    hash: p.text(),
  },
});
export type Event = InferEntity<typeof Event>;
