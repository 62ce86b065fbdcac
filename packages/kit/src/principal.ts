/** Who is calling, as the gateway established it and signed it into the internal token. */
export type PrincipalKind = 'USER' | 'API_KEY' | 'AGENT' | 'SERVICE';

/** Account roles, strongest first; SUPER_ADMIN is the platform role. */
export const ROLE_ORDER = ['SUPER_ADMIN', 'OWNER', 'ADMIN', 'OPERATOR', 'VIEWER'] as const;
export type AdminRole = (typeof ROLE_ORDER)[number];
export type Role = AdminRole | 'END_USER';
export const ACCOUNT_ROLES = ['OWNER', 'ADMIN', 'OPERATOR', 'VIEWER'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

export interface Principal {
  subject: string;
  kind: PrincipalKind;
  /** The account the request acts on; null for platform-level calls. */
  accountId: string | null;
  roles: Role[];
  /** The directory user (identity's AppUser) the credential maps to: an OIDC login by email, a user-bound API key. */
  userId?: string | null;
  /** That user's teams and their orgs (empty when the credential maps to no directory user). */
  teamIds: string[];
  orgIds: string[];
  scopes: string[];
  /** An API key's model allow-list (identity, ID6): model names or aliases the request may use; absent or empty = no narrowing. */
  modelAllowlist?: string[];
  superAdmin: boolean;
  requestId: string;
}

/** The strongest admin role a principal holds, or null (END_USER / service with scopes only). */
export function topRole(p: Pick<Principal, 'roles' | 'superAdmin'>): AdminRole | null {
  if (p.superAdmin) return 'SUPER_ADMIN';
  for (const r of ROLE_ORDER) if (p.roles.includes(r)) return r;
  return null;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && ((ROLE_ORDER as readonly string[]).includes(value) || value === 'END_USER');
}

/** The audit chain of platform-level actions that belong to no account (bootstrap keys, catalog). */
export const PLATFORM_ACCOUNT_ID = '00000000-0000-0000-0000-000000000000';
