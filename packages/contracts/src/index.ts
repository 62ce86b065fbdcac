/*
 * The internal routes between the gateway and identity, stated once: each
 * route's path, what is posted and what comes back, with validators for both
 * sides (identity checks what it is sent, the gateway what it is answered).
 * Types and validation only: no server or client code, no dependencies.
 */

/** Field name → what is wrong with it (identity answers INVALID_REQUEST with these details). */
export type FieldProblems = Record<string, string>;
export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: FieldProblems };

export interface RouteContract<Req, Ans> {
  path: string;
  /** Identity's check of what it was sent. */
  request(body: unknown): Parsed<Req>;
  /** The gateway's check of what identity answered. */
  answer(body: unknown): Parsed<Ans>;
}

export type Role = 'SUPER_ADMIN' | 'OWNER' | 'ADMIN' | 'OPERATOR' | 'VIEWER' | 'END_USER';
export type AccountRole = 'OWNER' | 'ADMIN' | 'OPERATOR' | 'VIEWER';
export type AccountStatus = 'ACTIVE' | 'SUSPENDED' | 'DELETED';
export type UserStatus = 'ACTIVE' | 'DEACTIVATED';
export type AgentStatus = 'ACTIVE' | 'INACTIVE' | 'REVOKED';

const ROLES: readonly Role[] = ['SUPER_ADMIN', 'OWNER', 'ADMIN', 'OPERATOR', 'VIEWER', 'END_USER'];
const ACCOUNT_ROLES: readonly AccountRole[] = ['OWNER', 'ADMIN', 'OPERATOR', 'VIEWER'];
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuidString = (v: unknown): v is string => typeof v === 'string' && UUID_RE.test(v);

// --- a few checks, enough for these shapes ---------------------------------

type Check = (v: unknown) => string | null;
const str: Check = (v) => (typeof v === 'string' ? null : 'must be a string');
const strOrNull: Check = (v) => (v === null || typeof v === 'string' ? null : 'must be a string or null');
const strArray: Check = (v) => (Array.isArray(v) && v.every((s) => typeof s === 'string') ? null : 'must be an array of strings');
const oneOf =
  (values: readonly string[], nullable = false): Check =>
  (v) =>
    (nullable && v === null) || (typeof v === 'string' && values.includes(v)) ? null : `must be one of ${values.join(', ')}`;
const roleArray: Check = (v) => (Array.isArray(v) && v.every((r) => ROLES.includes(r)) ? null : 'must be an array of roles');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the named fields of an object; `prefix` names nested fields in problems. */
function fields(v: unknown, checks: Record<string, Check>, prefix = ''): FieldProblems {
  if (!isObject(v)) return { [prefix || 'body']: 'must be an object' };
  const problems: FieldProblems = {};
  for (const [k, check] of Object.entries(checks)) {
    const p = check(v[k]);
    if (p) problems[prefix ? `${prefix}.${k}` : k] = p;
  }
  return problems;
}
const result = <T>(value: unknown, problems: FieldProblems): Parsed<T> =>
  Object.keys(problems).length ? { ok: false, problems } : { ok: true, value: value as T };

// --- /internal/api-keys/lookup ---------------------------------------------

export interface ApiKeyLookupRequest {
  /** sha256 hex of the presented secret: the secret itself never leaves the gateway. */
  hash: string;
}
/** What the gateway needs to turn a presented key into a principal; never the hash. */
export interface ApiKeyLookup {
  id: string;
  accountId: string | null;
  /** The directory user the key is bound to (null: not bound). */
  userId: string | null;
  tier: 'ADMIN' | 'CLIENT';
  scopes: string[];
  modelAllowlist: string[];
  expiresAt: string | null;
  revokedAt: string | null;
  accountStatus: AccountStatus | null;
  /** The bound user's status (null for a key not bound to a user): the gateway refuses DEACTIVATED. */
  userStatus: UserStatus | null;
  /** The roles the key acts with; the gateway caps them by the tier. */
  roles: Role[];
  /** Set for a service account's key (ID8): a SERVICE principal bounded by these scopes; refused when disabledAt is set. */
  serviceAccount: { id: string; name: string; scopes: string[]; disabledAt: string | null } | null;
}
export interface ApiKeyLookupAnswer {
  key: ApiKeyLookup | null;
}

export const apiKeyLookup: RouteContract<ApiKeyLookupRequest, ApiKeyLookupAnswer> = {
  path: '/internal/api-keys/lookup',
  request: (body) =>
    result(
      body,
      fields(body, { hash: (v) => (typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? null : 'must be 64 lowercase hex characters') }),
    ),
  answer(body) {
    if (!isObject(body)) return result(body, { body: 'must be an object' });
    if (body.key === null) return result(body, {});
    const problems = fields(
      body.key,
      {
        id: str,
        accountId: strOrNull,
        userId: strOrNull,
        tier: oneOf(['ADMIN', 'CLIENT']),
        scopes: strArray,
        modelAllowlist: strArray,
        expiresAt: strOrNull,
        revokedAt: strOrNull,
        accountStatus: oneOf(['ACTIVE', 'SUSPENDED', 'DELETED'], true),
        userStatus: oneOf(['ACTIVE', 'DEACTIVATED'], true),
        roles: roleArray,
        serviceAccount: (v) =>
          v === null ? null : (Object.values(fields(v, { id: str, name: str, scopes: strArray, disabledAt: strOrNull }))[0] ?? null),
      },
      'key',
    );
    return result(body, problems);
  },
};

// --- /internal/accounts/status ---------------------------------------------

/** One request's worth of ids: enough for a gateway refreshing its cache in one call. */
export const MAX_STATUS_IDS = 1000;
export interface AccountStatusRequest {
  accountIds: string[];
}
/** Account plan tiers, which the gateway's rate limits follow. */
export type PlanTier = 'FREE' | 'TEAM' | 'ENTERPRISE';
/**
 * The status and plan tier of each known account (the gateway refuses inactive accounts and rate-limits by
 * plan), keyed by lowercase id; unknown ids are omitted.
 */
export interface AccountStatusAnswer {
  statuses: Record<string, AccountStatus>;
  planTiers: Record<string, PlanTier>;
}

export const accountStatus: RouteContract<AccountStatusRequest, AccountStatusAnswer> = {
  path: '/internal/accounts/status',
  request(body) {
    const problems = fields(body, { accountIds: (v) => strArray(v) && 'must be an array of account ids' });
    if (!Object.keys(problems).length && (body as AccountStatusRequest).accountIds.length > MAX_STATUS_IDS)
      problems.accountIds = `at most ${MAX_STATUS_IDS}`;
    return result(body, problems);
  },
  answer(body) {
    const problems = fields(body, {
      statuses: (v) => (isObject(v) ? null : 'must be an object'),
      planTiers: (v) => (isObject(v) ? null : 'must be an object'),
    });
    if (!Object.keys(problems).length) {
      for (const [id, s] of Object.entries((body as AccountStatusAnswer).statuses))
        if (oneOf(['ACTIVE', 'SUSPENDED', 'DELETED'])(s)) problems[`statuses.${id}`] = 'must be an account status';
      for (const [id, t] of Object.entries((body as AccountStatusAnswer).planTiers))
        if (oneOf(['FREE', 'TEAM', 'ENTERPRISE'])(t)) problems[`planTiers.${id}`] = 'must be a plan tier';
    }
    return result(body, problems);
  },
};

// --- /internal/accounts/admin-role -----------------------------------------

export interface AdminRoleRequest {
  accountId: string;
  email: string;
}
/** The email's account-admin role, null when it has none. */
export interface AdminRoleAnswer {
  role: AccountRole | null;
}

export const adminRole: RouteContract<AdminRoleRequest, AdminRoleAnswer> = {
  path: '/internal/accounts/admin-role',
  request: (body) => result(body, fields(body, { accountId: str, email: str })),
  answer: (body) => result(body, fields(body, { role: oneOf(ACCOUNT_ROLES, true) })),
};

// --- /internal/agents/status -----------------------------------------------

export interface AgentStatusRequest {
  agentId: string;
}
/** Whether an agent session still stands; nulls for an unknown agent. */
export interface AgentStatusAnswer {
  status: AgentStatus | null;
  accountId: string | null;
}

export const agentStatus: RouteContract<AgentStatusRequest, AgentStatusAnswer> = {
  path: '/internal/agents/status',
  request: (body) => result(body, fields(body, { agentId: str })),
  answer: (body) => result(body, fields(body, { status: oneOf(['ACTIVE', 'INACTIVE', 'REVOKED'], true), accountId: strOrNull })),
};

// --- /internal/sso/issuers -------------------------------------------------

/** An account's SSO issuer (enabled settings only). */
export interface SsoIssuer {
  accountId: string;
  issuer: string;
  /** The audience tokens must carry (the client id when no audience is set); null = not checked. */
  audience: string | null;
  rolesClaim: string;
  /** When set, the token must carry this claim naming this same account. */
  accountIdClaim: string | null;
  /** Role keys that make the user the account's OWNER (never a platform super admin). */
  superAdminRoles: string[];
}
export interface SsoIssuersAnswer {
  issuers: SsoIssuer[];
}

export const ssoIssuers: RouteContract<Record<string, never>, SsoIssuersAnswer> = {
  path: '/internal/sso/issuers',
  request: () => ({ ok: true, value: {} }),
  answer(body) {
    const problems = fields(body, { issuers: (v) => (Array.isArray(v) ? null : 'must be an array') });
    if (!Object.keys(problems).length)
      (body as SsoIssuersAnswer).issuers.forEach((i, n) =>
        Object.assign(
          problems,
          fields(
            i,
            { accountId: str, issuer: str, audience: strOrNull, rolesClaim: str, accountIdClaim: strOrNull, superAdminRoles: strArray },
            `issuers[${n}]`,
          ),
        ),
      );
    return result(body, problems);
  },
};

// --- /internal/directory/principals ----------------------------------------

/** At most this many people per request. */
export const MAX_DIRECTORY_LOOKUPS = 100;

/**
 * Who a credential is in the account's directory: an OIDC login by its email
 * claim (or, lacking one, its subject taken as an email), a user-bound key by
 * its user id.
 */
export type DirectoryLookup = { accountId: string; email: string } | { accountId: string; userId: string };
export interface DirectoryPrincipalsRequest {
  lookups: DirectoryLookup[];
}
/** One person: the directory user (null when there is none) and the account-admin role granted to their email. */
export interface DirectoryPrincipal {
  userId: string | null;
  status: UserStatus | null;
  teamIds: string[];
  orgIds: string[];
  /** Granted with `addAccountAdmin`; the gateway takes the higher of it and the token's role claims. */
  adminRole: AccountRole | null;
}
/** In the order of the lookups. */
export interface DirectoryPrincipalsAnswer {
  principals: DirectoryPrincipal[];
}

export const directoryPrincipals: RouteContract<DirectoryPrincipalsRequest, DirectoryPrincipalsAnswer> = {
  path: '/internal/directory/principals',
  request(body) {
    const problems = fields(body, { lookups: (v) => (Array.isArray(v) ? null : 'must be an array') });
    if (Object.keys(problems).length) return result(body, problems);
    const lookups = (body as DirectoryPrincipalsRequest).lookups;
    if (lookups.length > MAX_DIRECTORY_LOOKUPS) return result(body, { lookups: `at most ${MAX_DIRECTORY_LOOKUPS}` });
    (lookups as unknown[]).forEach((l, n) => {
      const at = `lookups[${n}]`;
      if (!isObject(l)) return void (problems[at] = 'must be an object');
      if (!isUuidString(l.accountId)) problems[`${at}.accountId`] = 'must be an account id';
      const byEmail = typeof l.email === 'string';
      const byUser = isUuidString(l.userId);
      if (byEmail === byUser) problems[at] = 'must name exactly one of email or userId';
    });
    return result(body, problems);
  },
  answer(body) {
    const problems = fields(body, { principals: (v) => (Array.isArray(v) ? null : 'must be an array') });
    if (!Object.keys(problems).length)
      (body as DirectoryPrincipalsAnswer).principals.forEach((p, n) =>
        Object.assign(
          problems,
          fields(
            p,
            {
              userId: strOrNull,
              status: oneOf(['ACTIVE', 'DEACTIVATED'], true),
              teamIds: strArray,
              orgIds: strArray,
              adminRole: oneOf(ACCOUNT_ROLES, true),
            },
            `principals[${n}]`,
          ),
        ),
      );
    return result(body, problems);
  },
};

// --- the credentials.changed event -----------------------------------------

/** The event identity records (in the same transaction) with every write that changes what a credential may do. */
export const CREDENTIALS_CHANGED = 'credentials.changed';

/** What changed: the gateway drops what it cached about the account (or the platform, when `accountId` is null). */
export type CredentialsChangeReason =
  'API_KEY' | 'ACCOUNT_STATUS' | 'PLAN' | 'USER_STATUS' | 'SERVICE_ACCOUNT' | 'RUNTIME_AGENT' | 'ACCOUNT_ADMIN' | 'SSO' | 'MEMBERSHIP';
const REASONS: readonly CredentialsChangeReason[] = [
  'API_KEY',
  'ACCOUNT_STATUS',
  'PLAN',
  'USER_STATUS',
  'SERVICE_ACCOUNT',
  'RUNTIME_AGENT',
  'ACCOUNT_ADMIN',
  'SSO',
  'MEMBERSHIP',
];

export interface CredentialsChanged {
  /** The account whose credentials changed; null for platform credentials (platform keys, service accounts). */
  accountId: string | null;
  reason: CredentialsChangeReason;
  /** The event type of the write that caused it (e.g. `api_key.revoked`). */
  cause: string;
}

export function parseCredentialsChanged(v: unknown): Parsed<CredentialsChanged> {
  return result(
    v,
    fields(v, {
      accountId: (a) => (a === null || isUuidString(a) ? null : 'must be an account id or null'),
      reason: oneOf(REASONS),
      cause: str,
    }),
  );
}

// --- /internal/directory/scopes (budgets, catalog → identity) -----------------------

/** At most this many ids of each kind per request. */
export const MAX_SCOPE_LOOKUPS = 1000;
export type DirectoryDomainName = 'COPILOT' | 'CONSOLE';
/**
 * Which of these orgs, teams and users exist in the account's directory, and where they sit: what budgets
 * needs to place them in the chain user → team → org → account, and catalog to check grant scopes and
 * resolve a user's effective models. `childrenOf` asks for a node's direct children (the account's orgs
 * of one tree, an org's teams, a team's members) for equal distribution. Ids of another account are
 * absent from the answer exactly like unknown ones.
 */
export interface DirectoryScopesRequest {
  accountId: string;
  orgIds: string[];
  teamIds: string[];
  userIds: string[];
  childrenOf?: { scopeType: 'ACCOUNT' | 'ORG' | 'TEAM'; scopeId: string; domain: DirectoryDomainName } | null;
}
export interface DirectoryScopesAnswer {
  /** Only the ids found in the account; unknown ones are omitted. */
  orgs: { id: string; domain: DirectoryDomainName }[];
  teams: { id: string; orgId: string; domain: DirectoryDomainName }[];
  /** A user's teams in the order they joined them (membership time, then team id), each with its org. */
  users: { id: string; domain: DirectoryDomainName; status: UserStatus; teams: { id: string; orgId: string }[] }[];
  /** The ids of the asked node's children, oldest first (id order); null when none were asked or the node is unknown. */
  children: string[] | null;
}

const uuidArray = (v: unknown) =>
  !Array.isArray(v) || !v.every(isUuidString)
    ? 'must be an array of ids'
    : v.length > MAX_SCOPE_LOOKUPS
      ? `at most ${MAX_SCOPE_LOOKUPS}`
      : null;

const DOMAIN_NAMES: readonly DirectoryDomainName[] = ['COPILOT', 'CONSOLE'];
/** An array whose every element passes `checks` (the first problem found is the answer). */
const arrayOf =
  (checks: Record<string, Check>): Check =>
  (v) =>
    Array.isArray(v) ? (v.map((x) => Object.values(fields(x, checks))[0]).find(Boolean) ?? null) : 'must be an array';

export const directoryScopes: RouteContract<DirectoryScopesRequest, DirectoryScopesAnswer> = {
  path: '/internal/directory/scopes',
  request(body) {
    const problems = fields(body, {
      accountId: (v) => (isUuidString(v) ? null : 'must be an account id'),
      orgIds: uuidArray,
      teamIds: uuidArray,
      userIds: uuidArray,
    });
    const c = isObject(body) ? body.childrenOf : undefined;
    if (c != null)
      Object.assign(
        problems,
        fields(
          c,
          {
            scopeType: oneOf(['ACCOUNT', 'ORG', 'TEAM']),
            scopeId: (v) => (isUuidString(v) ? null : 'must be an id'),
            domain: oneOf(['COPILOT', 'CONSOLE']),
          },
          'childrenOf',
        ),
      );
    return result(body, problems);
  },
  answer(body) {
    const problems = fields(body, {
      orgs: arrayOf({ id: str, domain: oneOf(DOMAIN_NAMES) }),
      teams: arrayOf({ id: str, orgId: str, domain: oneOf(DOMAIN_NAMES) }),
      users: arrayOf({ id: str, domain: oneOf(DOMAIN_NAMES), status: str, teams: arrayOf({ id: str, orgId: str }) }),
      children: (v) => (v === null || (Array.isArray(v) && v.every(isUuidString)) ? null : 'must be null or an array of ids'),
    });
    return result(body, problems);
  },
};

// --- /internal/guardrails/presets/exist (catalog → guardrails) ---------------

/** At most this many preset ids per request. */
export const MAX_PRESET_LOOKUPS = 100;
/** Which of these guardrail presets exist (live, not deleted) in the account: catalog's check of an agent's presets (CA6). */
export interface PresetsExistRequest {
  accountId: string;
  presetIds: string[];
}
export interface PresetsExistAnswer {
  /** The ids found in the account, lowercase; unknown, deleted and other accounts' ids are omitted. */
  existing: string[];
}

export const presetsExist: RouteContract<PresetsExistRequest, PresetsExistAnswer> = {
  path: '/internal/guardrails/presets/exist',
  request: (body) =>
    result(
      body,
      fields(body, {
        accountId: (v) => (isUuidString(v) ? null : 'must be an account id'),
        presetIds: (v) =>
          !Array.isArray(v) || !v.every(isUuidString)
            ? 'must be an array of ids'
            : v.length > MAX_PRESET_LOOKUPS
              ? `at most ${MAX_PRESET_LOOKUPS}`
              : null,
      }),
    ),
  answer: (body) =>
    result(body, fields(body, { existing: (v) => (Array.isArray(v) && v.every(isUuidString) ? null : 'must be an array of ids') })),
};

// --- /internal/catalog/prices (budgets → catalog) ---------------------------------

/** At most this many lookups per request: one usage batch's worth. */
export const MAX_PRICE_LOOKUPS = 100;
/**
 * The price each usage is charged at (BU5), asked by budgets for usage recorded without a cost. `model` is what
 * the usage's `model` field holds: a catalog model's name, or an alias of the account (CA5) — matched trimmed and
 * lowercase, the name first; `at` (ISO 8601) is when the usage happened. Eligibility plays no part: a model the
 * account may not use still has its price (governance is catalog's, not budgets').
 */
export interface PriceLookupRequest {
  accountId: string;
  lookups: { model: string; at: string }[];
}
/** One price in force at the lookup's `at`: the model it resolved to and the history row (`validFrom`). */
export interface ModelPriceAt {
  modelId: string;
  modelName: string;
  /** Per 1,000,000 tokens, exact decimal strings (numeric(30,10)). */
  inputPricePerMtok: string;
  outputPricePerMtok: string;
  validFrom: string;
}
/** In the order of the lookups; null for an unknown model or one without a price at that time. */
export interface PriceLookupAnswer {
  prices: (ModelPriceAt | null)[];
}

const DECIMAL_STRING = /^\d+(\.\d+)?$/;
const decimalStr: Check = (v) => (typeof v === 'string' && DECIMAL_STRING.test(v) ? null : 'must be a non-negative decimal string');
const isoTime: Check = (v) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? null : 'must be an ISO 8601 time');

export const priceLookup: RouteContract<PriceLookupRequest, PriceLookupAnswer> = {
  path: '/internal/catalog/prices',
  request(body) {
    const problems = fields(body, {
      accountId: (v) => (isUuidString(v) ? null : 'must be an account id'),
      lookups: (v) => (!Array.isArray(v) ? 'must be an array' : v.length > MAX_PRICE_LOOKUPS ? `at most ${MAX_PRICE_LOOKUPS}` : null),
    });
    if (!Object.keys(problems).length)
      ((body as PriceLookupRequest).lookups as unknown[]).forEach((l, n) =>
        Object.assign(problems, fields(l, { model: str, at: isoTime }, `lookups[${n}]`)),
      );
    return result(body, problems);
  },
  answer(body) {
    const problems = fields(body, { prices: (v) => (Array.isArray(v) ? null : 'must be an array') });
    if (!Object.keys(problems).length)
      (body as PriceLookupAnswer).prices.forEach((p, n) => {
        if (p !== null)
          Object.assign(
            problems,
            fields(
              p,
              { modelId: str, modelName: str, inputPricePerMtok: decimalStr, outputPricePerMtok: decimalStr, validFrom: isoTime },
              `prices[${n}]`,
            ),
          );
      });
    return result(body, problems);
  },
};
