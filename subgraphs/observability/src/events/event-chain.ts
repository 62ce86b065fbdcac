import { createHash } from 'node:crypto';
import { canonicalJson } from '@cockpit/kit';

/** prev_hash of an account's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an event that its hash commits to. */
export interface ChainFields {
  accountId: string;
  seq: number;
  id: string;
  type: string;
  domain: string;
  source: string;
  actor: { subject: string; kind: string };
  subjectType?: string | null;
  subjectId?: string | null;
  payload: unknown;
  requestId?: string | null;
  occurredAt: Date | string;
}

/**
 * What is hashed: the account id and seq are bound in, so a row copied to
 * another account or position no longer verifies. `recorded_at` is left out:
 * it is observability's own bookkeeping, not part of what happened.
 */
export function chainRecord(e: ChainFields) {
  return {
    accountId: e.accountId.toLowerCase(),
    seq: e.seq,
    id: e.id.toLowerCase(),
    type: e.type,
    domain: e.domain,
    source: e.source,
    actor: { subject: e.actor.subject, kind: e.actor.kind },
    subject: e.subjectType == null ? null : { type: e.subjectType, id: e.subjectId ?? null },
    payload: e.payload,
    requestId: e.requestId ?? null,
    occurredAt: new Date(e.occurredAt).toISOString(),
  };
}

/** sha256 hex of prev_hash ‖ RFC 8785 canonical JSON of the record. */
export function chainHash(prevHash: string, e: ChainFields): string {
  return createHash('sha256')
    .update(prevHash)
    .update(canonicalJson(chainRecord(e)))
    .digest('hex');
}
