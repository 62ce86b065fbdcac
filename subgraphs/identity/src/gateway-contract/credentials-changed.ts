import { CREDENTIALS_CHANGED, type CredentialsChanged, type CredentialsChangeReason } from '@cockpit/contracts';
import { PLATFORM_ACCOUNT_ID, type EventInput } from '@cockpit/kit';

/**
 * Identity's writes that change what a credential may do, by the event each
 * records. Every one also records `credentials.changed` in the same
 * transaction: the gateways hear it on the live feed and drop what they cached
 * about the account, so no replica keeps honouring a revoked credential (or
 * missing a granted role) until its cache expires.
 */
const CHANGES: Record<string, CredentialsChangeReason> = {
  'api_key.revoked': 'API_KEY',
  'account.suspended': 'ACCOUNT_STATUS',
  'account.reactivated': 'ACCOUNT_STATUS',
  'account.deleted': 'ACCOUNT_STATUS',
  // the plan tier decides the account's rate limits
  'account.updated': 'PLAN',
  'user.deactivated': 'USER_STATUS',
  'user.reactivated': 'USER_STATUS',
  'service_account.disabled': 'SERVICE_ACCOUNT',
  'runtime_agent.revoked': 'RUNTIME_AGENT',
  'account_admin.added': 'ACCOUNT_ADMIN',
  'account_admin.role_changed': 'ACCOUNT_ADMIN',
  'account_admin.removed': 'ACCOUNT_ADMIN',
  'account.sso.set': 'SSO',
  // a principal carries its teams and orgs
  'team.member_added': 'MEMBERSHIP',
  'team.member_removed': 'MEMBERSHIP',
  'team.moved': 'MEMBERSHIP',
};

/** The `credentials.changed` event to record beside `input`, or null when it changes no credential. */
export function credentialsChangeOf(input: EventInput): EventInput | null {
  const reason = CHANGES[input.type];
  if (!reason) return null;
  const payload: CredentialsChanged = {
    accountId: input.accountId === PLATFORM_ACCOUNT_ID ? null : input.accountId,
    reason,
    cause: input.type,
  };
  return { accountId: input.accountId, type: CREDENTIALS_CHANGED, domain: 'PLATFORM', subject: input.subject, payload: { ...payload } };
}
