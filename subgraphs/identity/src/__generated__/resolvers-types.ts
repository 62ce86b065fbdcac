import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Account as AccountEntity } from '../accounts/account.entity';
import type { Connection, RequestContext } from '@cockpit/kit';
import type { AccountAdmin as AccountAdminEntity } from '../account-admins/account-admin.entity';
import type { Org as OrgEntity, Team as TeamEntity, AppUser as AppUserEntity } from '../directory/directory.entity';
import type { ApiKey as ApiKeyEntity } from '../api-keys/api-key.entity';
import type { RuntimeAgent as RuntimeAgentEntity } from '../runtime-agents/runtime-agent.entity';
import type { ServiceAccount as ServiceAccountEntity } from '../service-accounts/service-account.entity';
import type { SsoSettings as SsoSettingsEntity } from '../sso/sso-settings.entity';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO 8601 timestamp in UTC. */
  DateTime: { input: Date; output: Date | string; }
  _FieldSet: { input: unknown; output: unknown; }
};

/** A tenant (ID1). Every other object belongs to exactly one account. */
export type Account = {
  __typename?: 'Account';
  /** Who administers the account, by email (ID2). */
  admins: Array<AccountAdmin>;
  createdAt: Scalars['DateTime']['output'];
  /** When the account was deleted; set exactly when status is DELETED. */
  deletedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The company's email domain, e.g. acme.com. */
  emailDomain: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** Unique across the platform, case-insensitively. */
  name: Scalars['String']['output'];
  /** How many orgs the account has, in one directory tree or (domain omitted) both. */
  orgCount: Scalars['Int']['output'];
  /** The account's orgs, in one directory tree or (domain omitted) both. */
  orgs: OrgConnection;
  planTier: PlanTier;
  /** The account's SSO settings (ADMIN); null when none are set. */
  sso?: Maybe<SsoSettings>;
  status: AccountStatus;
  updatedAt: Scalars['DateTime']['output'];
  /** How many users the account's directory has (deactivated ones included), in one tree or (domain omitted) both. */
  userCount: Scalars['Int']['output'];
};


/** A tenant (ID1). Every other object belongs to exactly one account. */
export type AccountOrgCountArgs = {
  domain?: InputMaybe<DirectoryDomain>;
};


/** A tenant (ID1). Every other object belongs to exactly one account. */
export type AccountOrgsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  domain?: InputMaybe<DirectoryDomain>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A tenant (ID1). Every other object belongs to exactly one account. */
export type AccountUserCountArgs = {
  domain?: InputMaybe<DirectoryDomain>;
};

/** An email granted a role on an account (ID2). */
export type AccountAdmin = {
  __typename?: 'AccountAdmin';
  createdAt: Scalars['DateTime']['output'];
  /** Stored lowercase; unique within the account. */
  email: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  role: AccountRole;
};

export type AccountConnection = {
  __typename?: 'AccountConnection';
  edges: Array<AccountEdge>;
  nodes: Array<Account>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type AccountEdge = {
  __typename?: 'AccountEdge';
  cursor: Scalars['String']['output'];
  node: Account;
};

/** Narrows `accounts`. Without a status every account but the DELETED ones is listed. */
export type AccountFilter = {
  /** Case-insensitive substring of the account name (at most 100 characters). */
  search?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<AccountStatus>;
};

/** An account admin's role, strongest first: OWNER ⊇ ADMIN ⊇ OPERATOR ⊇ VIEWER. */
export type AccountRole =
  | 'ADMIN'
  | 'OPERATOR'
  | 'OWNER'
  | 'VIEWER';

export type AccountStatus =
  | 'ACTIVE'
  | 'DELETED'
  | 'SUSPENDED';

export type AddAccountAdminInput = {
  email: Scalars['String']['input'];
  role: AccountRole;
};

export type AddTeamMemberInput = {
  teamId: Scalars['ID']['input'];
  /** Must be in the same directory tree as the team. */
  userId: Scalars['ID']['input'];
};

/** A single-use nonce to sign: the UTF-8 bytes of `cockpit-agent-handshake:<agentId>:<nonce>`, with the agent's Ed25519 key. */
export type AgentChallenge = {
  __typename?: 'AgentChallenge';
  /** 60 seconds after issue. */
  expiresAt: Scalars['DateTime']['output'];
  /** 32 random bytes, base64url. */
  nonce: Scalars['String']['output'];
};

/** A session for a runtime agent, obtained by the Ed25519 handshake. */
export type AgentSession = {
  __typename?: 'AgentSession';
  agent: RuntimeAgent;
  expiresAt: Scalars['DateTime']['output'];
  /** EdDSA JWT: iss `cockpit-identity`, aud `cockpit-agent`, sub `agent:<id>`, claims `cockpit_account_id` and `agent_id`; 15 minutes. */
  token: Scalars['String']['output'];
};

/** An API key (ID6). The secret is shown once, at creation; only its sha256 is stored, and never exposed. */
export type ApiKey = {
  __typename?: 'ApiKey';
  createdAt: Scalars['DateTime']['output'];
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  /** When the gateway last accepted the key (written in batches, a few seconds late). */
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Models the key may call; empty = every model the account may use. */
  modelAllowlist: Array<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  /** The first 12 characters of the secret (`sk-cap-…`), to recognise it. */
  prefix: Scalars['String']['output'];
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  /** RBAC actions the key is limited to (`*`, `directory.*`, `directory.read`, …); empty = the tier's full rights. */
  scopes: Array<Scalars['String']['output']>;
  tier: ApiKeyTier;
  /** The user the key acts for, with that user's account-admin role capped by the tier; null = the account itself. */
  user?: Maybe<User>;
};

export type ApiKeyConnection = {
  __typename?: 'ApiKeyConnection';
  edges: Array<ApiKeyEdge>;
  nodes: Array<ApiKey>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type ApiKeyEdge = {
  __typename?: 'ApiKeyEdge';
  cursor: Scalars['String']['output'];
  node: ApiKey;
};

export type ApiKeyTier =
  | 'ADMIN'
  | 'CLIENT';

export type AuthScope =
  | 'ACCOUNT'
  | 'ACCOUNT_OR_PLATFORM'
  | 'PLATFORM'
  | 'SELF';

/** One probe of the issuer. */
export type CheckResult = {
  __typename?: 'CheckResult';
  /** Why it failed (never a secret or the response body). */
  error?: Maybe<Scalars['String']['output']>;
  latencyMs?: Maybe<Scalars['Int']['output']>;
  ok: Scalars['Boolean']['output'];
  /** HTTP status, when there was an answer. */
  status?: Maybe<Scalars['Int']['output']>;
};

export type CreateAccountInput = {
  emailDomain: Scalars['String']['input'];
  /** 1 to 100 characters, unique across the platform. */
  name: Scalars['String']['input'];
  planTier: PlanTier;
};

export type CreateApiKeyInput = {
  /** Must be in the future; null = never expires. */
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  modelAllowlist: Array<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  scopes: Array<Scalars['String']['input']>;
  tier: ApiKeyTier;
  /** Binds the key to a user of the account: it then acts with that user's role, never above its tier (ADMIN tier: at most ADMIN). */
  userId?: InputMaybe<Scalars['ID']['input']>;
};

export type CreateOrgInput = {
  domain: DirectoryDomain;
  name: Scalars['String']['input'];
};

export type CreateServiceAccountInput = {
  name: Scalars['String']['input'];
  /** At least one; each must match an RBAC action (`*` = everything). */
  scopes: Array<Scalars['String']['input']>;
};

export type CreateTeamInput = {
  name: Scalars['String']['input'];
  orgId: Scalars['ID']['input'];
};

export type CreateUserInput = {
  displayName: Scalars['String']['input'];
  domain: DirectoryDomain;
  email: Scalars['String']['input'];
};

/** A newly created key with its secret: store the secret now, it cannot be shown again. */
export type CreatedApiKey = {
  __typename?: 'CreatedApiKey';
  apiKey: ApiKey;
  /** `sk-cap-` followed by 52 base32 characters. */
  secret: Scalars['String']['output'];
};

/** A new service account with its API key's secret: store it now, it cannot be shown again. */
export type CreatedServiceAccount = {
  __typename?: 'CreatedServiceAccount';
  /** `sk-cap-` followed by 52 base32 characters. */
  secret: Scalars['String']['output'];
  serviceAccount: ServiceAccount;
};

/** The two separate directory trees of an account: the Copilot tree and the Console (gateway) tree. */
export type DirectoryDomain =
  | 'CONSOLE'
  | 'COPILOT';

export type Mutation = {
  __typename?: 'Mutation';
  /** Grants an email a role on the account the request acts on (OWNER). */
  addAccountAdmin: AccountAdmin;
  /** Adds a user to a team of the same directory tree; returns the team. */
  addTeamMember: Team;
  /** Issues a handshake challenge for one of the caller's agents (the agent's CLIENT key). */
  agentChallenge: AgentChallenge;
  /** Completes the handshake: the nonce is used up whatever the outcome; a bad or replayed signature is UNAUTHORIZED, a revoked agent FORBIDDEN. */
  agentHandshake: AgentSession;
  /** Creates an account with its default Copilot org `global` (super admin). */
  createAccount: Account;
  /** Creates an API key and returns its secret, this once. A super admin without X-Account-Id creates platform keys. */
  createApiKey: CreatedApiKey;
  createOrg: Org;
  /** Creates a service account with its API key and returns the secret, this once (super admin). */
  createServiceAccount: CreatedServiceAccount;
  createTeam: Team;
  createUser: User;
  /** Deactivates a user (ADMIN): memberships stay, API keys bound to the user stop working. */
  deactivateUser: User;
  /** Soft-deletes an account (super admin): status DELETED, hidden from its own users (NOT_FOUND) and from `accounts` unless asked for. Cannot be undone. */
  deleteAccount: Account;
  /** Disables a service account and revokes its keys (super admin); idempotent. */
  disableServiceAccount: ServiceAccount;
  /** Moves a team, with its members, to another org of the same directory tree (ADMIN). VALIDATION_ERROR across trees; CONFLICT for a name taken in the target org. */
  moveTeam: Team;
  /** Returns a SUSPENDED account to ACTIVE (super admin). CONFLICT for a deleted account. */
  reactivateAccount: Account;
  /** Reactivates a deactivated user (ADMIN). */
  reactivateUser: User;
  /** Registers an agent's public key in the account (ADMIN). CONFLICT when the key is already registered there. */
  registerRuntimeAgent: RuntimeAgent;
  /** Removes an admin and returns it (OWNER); CONFLICT for the last OWNER. */
  removeAccountAdmin: AccountAdmin;
  /** Takes a user out of a team (ADMIN); returns the team. NOT_FOUND when the user is not a member. */
  removeTeamMember: Team;
  /** Renames an org (ADMIN). VALIDATION_ERROR for an empty or too long name; CONFLICT for a name taken in its tree; NOT_FOUND for another account's org. */
  renameOrg: Org;
  /** Revokes a key at once (the gateway's cache honours it within 30 s). */
  revokeApiKey: ApiKey;
  /** Revokes an agent at once: no further handshakes, and its sessions are refused from now on (ADMIN). */
  revokeRuntimeAgent: RuntimeAgent;
  /** Changes an admin's role (OWNER); CONFLICT when it would leave the account without an OWNER. */
  setAccountAdminRole: AccountAdmin;
  /** Sets the SSO settings of the account named by X-Account-Id (super admin). CONFLICT when another account uses the issuer. */
  setAccountSso: SsoSettings;
  /** Suspends an ACTIVE account (super admin): its API keys and tokens stop working at the gateway. CONFLICT for a deleted account. */
  suspendAccount: Account;
  /** Edits an account (super admin): the one named by `id`, else the one the request acts on (X-Account-Id). CONFLICT for a deleted account or a taken name. */
  updateAccount: Account;
};


export type MutationAddAccountAdminArgs = {
  input: AddAccountAdminInput;
};


export type MutationAddTeamMemberArgs = {
  input: AddTeamMemberInput;
};


export type MutationAgentChallengeArgs = {
  agentId: Scalars['ID']['input'];
};


export type MutationAgentHandshakeArgs = {
  agentId: Scalars['ID']['input'];
  nonce: Scalars['String']['input'];
  signature: Scalars['String']['input'];
};


export type MutationCreateAccountArgs = {
  input: CreateAccountInput;
};


export type MutationCreateApiKeyArgs = {
  input: CreateApiKeyInput;
};


export type MutationCreateOrgArgs = {
  input: CreateOrgInput;
};


export type MutationCreateServiceAccountArgs = {
  input: CreateServiceAccountInput;
};


export type MutationCreateTeamArgs = {
  input: CreateTeamInput;
};


export type MutationCreateUserArgs = {
  input: CreateUserInput;
};


export type MutationDeactivateUserArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteAccountArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDisableServiceAccountArgs = {
  id: Scalars['ID']['input'];
};


export type MutationMoveTeamArgs = {
  orgId: Scalars['ID']['input'];
  teamId: Scalars['ID']['input'];
};


export type MutationReactivateAccountArgs = {
  id: Scalars['ID']['input'];
};


export type MutationReactivateUserArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRegisterRuntimeAgentArgs = {
  input: RegisterRuntimeAgentInput;
};


export type MutationRemoveAccountAdminArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRemoveTeamMemberArgs = {
  teamId: Scalars['ID']['input'];
  userId: Scalars['ID']['input'];
};


export type MutationRenameOrgArgs = {
  id: Scalars['ID']['input'];
  name: Scalars['String']['input'];
};


export type MutationRevokeApiKeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRevokeRuntimeAgentArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSetAccountAdminRoleArgs = {
  input: SetAccountAdminRoleInput;
};


export type MutationSetAccountSsoArgs = {
  input: SetAccountSsoInput;
};


export type MutationSuspendAccountArgs = {
  id: Scalars['ID']['input'];
};


export type MutationUpdateAccountArgs = {
  id?: InputMaybe<Scalars['ID']['input']>;
  input: UpdateAccountInput;
};

/** An org in one of the account's directory trees (ID3). Every account starts with the Copilot org `global`. */
export type Org = {
  __typename?: 'Org';
  domain: DirectoryDomain;
  id: Scalars['ID']['output'];
  /** Unique within the account and domain, case-insensitively. */
  name: Scalars['String']['output'];
  teamCount: Scalars['Int']['output'];
  teams: TeamConnection;
  /** Distinct users in at least one of the org's teams. */
  userCount: Scalars['Int']['output'];
};


/** An org in one of the account's directory trees (ID3). Every account starts with the Copilot org `global`. */
export type OrgTeamsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type OrgConnection = {
  __typename?: 'OrgConnection';
  edges: Array<OrgEdge>;
  nodes: Array<Org>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type OrgEdge = {
  __typename?: 'OrgEdge';
  cursor: Scalars['String']['output'];
  node: Org;
};

/** Relay page information. */
export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** An account's commercial plan; it sets the account's rate limits. */
export type PlanTier =
  | 'ENTERPRISE'
  | 'FREE'
  | 'TEAM';

/** ADMIN keys manage the platform or an account; CLIENT keys call the runtime APIs. */
export type PrincipalKind =
  /** A runtime agent, by its session token. */
  | 'AGENT'
  /** An account or platform API key. */
  | 'API_KEY'
  /** The master key or a service account. */
  | 'SERVICE'
  /** A person, by an OIDC token. */
  | 'USER';

export type Query = {
  __typename?: 'Query';
  /** The account the request acts on (super admins name it with X-Account-Id). */
  account?: Maybe<Account>;
  /** Every account on the platform (super admin); DELETED ones only when the filter asks for them. */
  accounts: AccountConnection;
  apiKey?: Maybe<ApiKey>;
  /** The account's API keys; platform keys for a super admin without X-Account-Id. */
  apiKeys: ApiKeyConnection;
  org?: Maybe<Org>;
  runtimeAgent?: Maybe<RuntimeAgent>;
  /** The account's runtime agents (every account's for a super admin without X-Account-Id). */
  runtimeAgents: RuntimeAgentConnection;
  /** Every service account (super admin). */
  serviceAccounts: ServiceAccountConnection;
  /** Probes the SSO issuer of the account the request acts on (ADMIN). */
  ssoStatus: SsoStatus;
  team?: Maybe<Team>;
  user?: Maybe<User>;
  /** Who the request acts as; any authenticated caller may ask. */
  viewer: Viewer;
};


export type QueryAccountsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<AccountFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryApiKeyArgs = {
  id: Scalars['ID']['input'];
};


export type QueryApiKeysArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryOrgArgs = {
  id: Scalars['ID']['input'];
};


export type QueryRuntimeAgentArgs = {
  id: Scalars['ID']['input'];
};


export type QueryRuntimeAgentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<RuntimeAgentFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryServiceAccountsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryTeamArgs = {
  id: Scalars['ID']['input'];
};


export type QueryUserArgs = {
  id: Scalars['ID']['input'];
};

export type RegisterRuntimeAgentInput = {
  agentVersion: Scalars['String']['input'];
  hostname: Scalars['String']['input'];
  platform: Scalars['String']['input'];
  /** The raw 32-byte Ed25519 public key in base64 (or base64url), optionally prefixed `ed25519:`; unique within the account. */
  publicKey: Scalars['String']['input'];
};

/** A machine running the Cockpit agent (ID9), identified by its Ed25519 public key. */
export type RuntimeAgent = {
  __typename?: 'RuntimeAgent';
  agentVersion: Scalars['String']['output'];
  hostname: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** The last successful handshake. */
  lastSeenAt?: Maybe<Scalars['DateTime']['output']>;
  /** The agent's OS, e.g. darwin, linux, windows. */
  platform: Scalars['String']['output'];
  registeredAt: Scalars['DateTime']['output'];
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  /** `ed25519:` followed by the base64 of the raw 32-byte public key. */
  runtimeId: Scalars['String']['output'];
  status: RuntimeAgentStatus;
};

export type RuntimeAgentConnection = {
  __typename?: 'RuntimeAgentConnection';
  edges: Array<RuntimeAgentEdge>;
  nodes: Array<RuntimeAgent>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type RuntimeAgentEdge = {
  __typename?: 'RuntimeAgentEdge';
  cursor: Scalars['String']['output'];
  node: RuntimeAgent;
};

export type RuntimeAgentFilter = {
  status?: InputMaybe<RuntimeAgentStatus>;
};

export type RuntimeAgentStatus =
  | 'ACTIVE'
  | 'INACTIVE'
  /** Revoked agents can no longer handshake, and their sessions stop being accepted at once. */
  | 'REVOKED';

/** A named platform-level service principal (e.g. `alchemi-web`): its key acts as a super admin bounded by `scopes`. */
export type ServiceAccount = {
  __typename?: 'ServiceAccount';
  createdAt: Scalars['DateTime']['output'];
  /** Set when disabled; its keys are revoked at the same moment. */
  disabledAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  /** Lowercase letters, digits and dashes; unique. */
  name: Scalars['String']['output'];
  /** RBAC action patterns the account is limited to (`directory.*`, `audit.read`, `*`). */
  scopes: Array<Scalars['String']['output']>;
};

export type ServiceAccountConnection = {
  __typename?: 'ServiceAccountConnection';
  edges: Array<ServiceAccountEdge>;
  nodes: Array<ServiceAccount>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type ServiceAccountEdge = {
  __typename?: 'ServiceAccountEdge';
  cursor: Scalars['String']['output'];
  node: ServiceAccount;
};

export type SetAccountAdminRoleInput = {
  id: Scalars['ID']['input'];
  role: AccountRole;
};

/** Settings replace the account's previous ones entirely. */
export type SetAccountSsoInput = {
  accountIdClaim?: InputMaybe<Scalars['String']['input']>;
  audience?: InputMaybe<Scalars['String']['input']>;
  clientId: Scalars['String']['input'];
  enabled: Scalars['Boolean']['input'];
  /** An https URL (http only on loopback), without query or fragment. */
  issuer: Scalars['String']['input'];
  provider: SsoProvider;
  /** Defaults by provider (ZITADEL: `urn:zitadel:iam:org:project:roles`, KEYCLOAK: `realm_access.roles`, else `roles`). */
  rolesClaim?: InputMaybe<Scalars['String']['input']>;
  superAdminRoles: Array<Scalars['String']['input']>;
};

/** The kind of OpenID provider; it picks the default roles claim. */
export type SsoProvider =
  | 'AUTH0'
  | 'GENERIC'
  /** Roles from `realm_access.roles` by default. */
  | 'KEYCLOAK'
  /** Roles from `urn:zitadel:iam:org:project:roles` by default. */
  | 'ZITADEL';

/** An account's own OpenID provider (ID5). Its tokens act on this account only, never as a platform super admin. */
export type SsoSettings = {
  __typename?: 'SsoSettings';
  /** When set, tokens must carry this claim naming this account. */
  accountIdClaim?: Maybe<Scalars['String']['output']>;
  /** The audience tokens must carry; null = the client id. */
  audience?: Maybe<Scalars['String']['output']>;
  clientId: Scalars['String']['output'];
  enabled: Scalars['Boolean']['output'];
  /** Must equal the tokens' `iss`; unique across accounts. */
  issuer: Scalars['String']['output'];
  provider: SsoProvider;
  /** Claim holding the roles: a full claim name or a dotted path. */
  rolesClaim: Scalars['String']['output'];
  /** Role keys that make the user this account's OWNER. */
  superAdminRoles: Array<Scalars['String']['output']>;
  updatedAt: Scalars['DateTime']['output'];
};

/** Whether the account's issuer answers: its discovery document and its JWKS, each fetched with a 5 s timeout. */
export type SsoStatus = {
  __typename?: 'SsoStatus';
  checkedAt: Scalars['DateTime']['output'];
  discovery: CheckResult;
  /** Null when the account has no SSO settings. */
  issuer?: Maybe<Scalars['String']['output']>;
  jwks: CheckResult;
};

/** A team of an org; it belongs to its org's domain. */
export type Team = {
  __typename?: 'Team';
  domain: DirectoryDomain;
  id: Scalars['ID']['output'];
  memberCount: Scalars['Int']['output'];
  members: UserConnection;
  /** Unique within the org, case-insensitively. */
  name: Scalars['String']['output'];
  org: Org;
};


/** A team of an org; it belongs to its org's domain. */
export type TeamMembersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type TeamConnection = {
  __typename?: 'TeamConnection';
  edges: Array<TeamEdge>;
  nodes: Array<Team>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type TeamEdge = {
  __typename?: 'TeamEdge';
  cursor: Scalars['String']['output'];
  node: Team;
};

/** Only the fields given change; at least one is required. */
export type UpdateAccountInput = {
  emailDomain?: InputMaybe<Scalars['String']['input']>;
  /** 1 to 100 characters, unique across the platform. */
  name?: InputMaybe<Scalars['String']['input']>;
  planTier?: InputMaybe<PlanTier>;
};

/** A person in one directory tree; the same email may exist once in each tree. */
export type User = {
  __typename?: 'User';
  displayName: Scalars['String']['output'];
  domain: DirectoryDomain;
  email: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  status: UserStatus;
  teams: Array<Team>;
};

export type UserConnection = {
  __typename?: 'UserConnection';
  edges: Array<UserEdge>;
  nodes: Array<User>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type UserEdge = {
  __typename?: 'UserEdge';
  cursor: Scalars['String']['output'];
  node: User;
};

export type UserStatus =
  | 'ACTIVE'
  | 'DEACTIVATED';

/** The caller as the gateway established it. */
export type Viewer = {
  __typename?: 'Viewer';
  /** That account, when the caller may read it. */
  account?: Maybe<Account>;
  /** The account the request acts on; null for platform-level calls. */
  accountId?: Maybe<Scalars['ID']['output']>;
  kind: PrincipalKind;
  /** The orgs of those teams. */
  orgIds: Array<Scalars['ID']['output']>;
  /** Account roles (OWNER…VIEWER, END_USER) and SUPER_ADMIN. */
  roles: Array<Scalars['String']['output']>;
  /** RBAC actions the credential is limited to; empty = its roles' full rights. */
  scopes: Array<Scalars['String']['output']>;
  /** The token's `sub`, `api-key:<id>`, `agent:<id>` or `service:<name>`. */
  subject: Scalars['String']['output'];
  superAdmin: Scalars['Boolean']['output'];
  /** The teams of that user (empty without one). */
  teamIds: Array<Scalars['ID']['output']>;
  /** That user, read as themselves. */
  user?: Maybe<User>;
  /** The directory user the credential maps to (an OIDC login by its email, a user-bound API key); null when none. */
  userId?: Maybe<Scalars['ID']['output']>;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = {
  Account: Account;
  Org: Org;
  RuntimeAgent: RuntimeAgent;
  Team: Team;
  User: User;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Account:
    ( { __typename: 'Account' }
    & GraphQLRecursivePick<FederationTypes['Account'], {"id":true}> );
  Org:
    ( { __typename: 'Org' }
    & GraphQLRecursivePick<FederationTypes['Org'], {"id":true}> );
  RuntimeAgent:
    ( { __typename: 'RuntimeAgent' }
    & GraphQLRecursivePick<FederationTypes['RuntimeAgent'], {"id":true}> );
  Team:
    ( { __typename: 'Team' }
    & GraphQLRecursivePick<FederationTypes['Team'], {"id":true}> );
  User:
    ( { __typename: 'User' }
    & GraphQLRecursivePick<FederationTypes['User'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Account: ResolverTypeWrapper<AccountEntity>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  AccountAdmin: ResolverTypeWrapper<AccountAdminEntity>;
  AccountConnection: ResolverTypeWrapper<Connection<AccountEntity>>;
  AccountEdge: ResolverTypeWrapper<Omit<AccountEdge, 'node'> & { node: ResolversTypes['Account'] }>;
  AccountFilter: AccountFilter;
  AccountRole: AccountRole;
  AccountStatus: AccountStatus;
  AddAccountAdminInput: AddAccountAdminInput;
  AddTeamMemberInput: AddTeamMemberInput;
  AgentChallenge: ResolverTypeWrapper<AgentChallenge>;
  AgentSession: ResolverTypeWrapper<Omit<AgentSession, 'agent'> & { agent: ResolversTypes['RuntimeAgent'] }>;
  ApiKey: ResolverTypeWrapper<ApiKeyEntity>;
  ApiKeyConnection: ResolverTypeWrapper<Connection<ApiKeyEntity>>;
  ApiKeyEdge: ResolverTypeWrapper<Omit<ApiKeyEdge, 'node'> & { node: ResolversTypes['ApiKey'] }>;
  ApiKeyTier: ApiKeyTier;
  AuthScope: AuthScope;
  CheckResult: ResolverTypeWrapper<CheckResult>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  CreateAccountInput: CreateAccountInput;
  CreateApiKeyInput: CreateApiKeyInput;
  CreateOrgInput: CreateOrgInput;
  CreateServiceAccountInput: CreateServiceAccountInput;
  CreateTeamInput: CreateTeamInput;
  CreateUserInput: CreateUserInput;
  CreatedApiKey: ResolverTypeWrapper<Omit<CreatedApiKey, 'apiKey'> & { apiKey: ResolversTypes['ApiKey'] }>;
  CreatedServiceAccount: ResolverTypeWrapper<Omit<CreatedServiceAccount, 'serviceAccount'> & { serviceAccount: ResolversTypes['ServiceAccount'] }>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DirectoryDomain: DirectoryDomain;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Org: ResolverTypeWrapper<OrgEntity>;
  OrgConnection: ResolverTypeWrapper<Connection<OrgEntity>>;
  OrgEdge: ResolverTypeWrapper<Omit<OrgEdge, 'node'> & { node: ResolversTypes['Org'] }>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PlanTier: PlanTier;
  PrincipalKind: PrincipalKind;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RegisterRuntimeAgentInput: RegisterRuntimeAgentInput;
  RuntimeAgent: ResolverTypeWrapper<RuntimeAgentEntity>;
  RuntimeAgentConnection: ResolverTypeWrapper<Connection<RuntimeAgentEntity>>;
  RuntimeAgentEdge: ResolverTypeWrapper<Omit<RuntimeAgentEdge, 'node'> & { node: ResolversTypes['RuntimeAgent'] }>;
  RuntimeAgentFilter: RuntimeAgentFilter;
  RuntimeAgentStatus: RuntimeAgentStatus;
  ServiceAccount: ResolverTypeWrapper<ServiceAccountEntity>;
  ServiceAccountConnection: ResolverTypeWrapper<Connection<ServiceAccountEntity>>;
  ServiceAccountEdge: ResolverTypeWrapper<Omit<ServiceAccountEdge, 'node'> & { node: ResolversTypes['ServiceAccount'] }>;
  SetAccountAdminRoleInput: SetAccountAdminRoleInput;
  SetAccountSsoInput: SetAccountSsoInput;
  SsoProvider: SsoProvider;
  SsoSettings: ResolverTypeWrapper<SsoSettingsEntity>;
  SsoStatus: ResolverTypeWrapper<SsoStatus>;
  Team: ResolverTypeWrapper<TeamEntity>;
  TeamConnection: ResolverTypeWrapper<Connection<TeamEntity>>;
  TeamEdge: ResolverTypeWrapper<Omit<TeamEdge, 'node'> & { node: ResolversTypes['Team'] }>;
  UpdateAccountInput: UpdateAccountInput;
  User: ResolverTypeWrapper<AppUserEntity>;
  UserConnection: ResolverTypeWrapper<Connection<AppUserEntity>>;
  UserEdge: ResolverTypeWrapper<Omit<UserEdge, 'node'> & { node: ResolversTypes['User'] }>;
  UserStatus: UserStatus;
  Viewer: ResolverTypeWrapper<Omit<Viewer, 'account' | 'user'> & { account?: Maybe<ResolversTypes['Account']>, user?: Maybe<ResolversTypes['User']> }>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Account: AccountEntity;
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  AccountAdmin: AccountAdminEntity;
  AccountConnection: Connection<AccountEntity>;
  AccountEdge: Omit<AccountEdge, 'node'> & { node: ResolversParentTypes['Account'] };
  AccountFilter: AccountFilter;
  AddAccountAdminInput: AddAccountAdminInput;
  AddTeamMemberInput: AddTeamMemberInput;
  AgentChallenge: AgentChallenge;
  AgentSession: Omit<AgentSession, 'agent'> & { agent: ResolversParentTypes['RuntimeAgent'] };
  ApiKey: ApiKeyEntity;
  ApiKeyConnection: Connection<ApiKeyEntity>;
  ApiKeyEdge: Omit<ApiKeyEdge, 'node'> & { node: ResolversParentTypes['ApiKey'] };
  CheckResult: CheckResult;
  Boolean: Scalars['Boolean']['output'];
  CreateAccountInput: CreateAccountInput;
  CreateApiKeyInput: CreateApiKeyInput;
  CreateOrgInput: CreateOrgInput;
  CreateServiceAccountInput: CreateServiceAccountInput;
  CreateTeamInput: CreateTeamInput;
  CreateUserInput: CreateUserInput;
  CreatedApiKey: Omit<CreatedApiKey, 'apiKey'> & { apiKey: ResolversParentTypes['ApiKey'] };
  CreatedServiceAccount: Omit<CreatedServiceAccount, 'serviceAccount'> & { serviceAccount: ResolversParentTypes['ServiceAccount'] };
  DateTime: Scalars['DateTime']['output'];
  Mutation: Record<PropertyKey, never>;
  Org: OrgEntity;
  OrgConnection: Connection<OrgEntity>;
  OrgEdge: Omit<OrgEdge, 'node'> & { node: ResolversParentTypes['Org'] };
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  RegisterRuntimeAgentInput: RegisterRuntimeAgentInput;
  RuntimeAgent: RuntimeAgentEntity;
  RuntimeAgentConnection: Connection<RuntimeAgentEntity>;
  RuntimeAgentEdge: Omit<RuntimeAgentEdge, 'node'> & { node: ResolversParentTypes['RuntimeAgent'] };
  RuntimeAgentFilter: RuntimeAgentFilter;
  ServiceAccount: ServiceAccountEntity;
  ServiceAccountConnection: Connection<ServiceAccountEntity>;
  ServiceAccountEdge: Omit<ServiceAccountEdge, 'node'> & { node: ResolversParentTypes['ServiceAccount'] };
  SetAccountAdminRoleInput: SetAccountAdminRoleInput;
  SetAccountSsoInput: SetAccountSsoInput;
  SsoSettings: SsoSettingsEntity;
  SsoStatus: SsoStatus;
  Team: TeamEntity;
  TeamConnection: Connection<TeamEntity>;
  TeamEdge: Omit<TeamEdge, 'node'> & { node: ResolversParentTypes['Team'] };
  UpdateAccountInput: UpdateAccountInput;
  User: AppUserEntity;
  UserConnection: Connection<AppUserEntity>;
  UserEdge: Omit<UserEdge, 'node'> & { node: ResolversParentTypes['User'] };
  Viewer: Omit<Viewer, 'account' | 'user'> & { account?: Maybe<ResolversParentTypes['Account']>, user?: Maybe<ResolversParentTypes['User']> };
  String: Scalars['String']['output'];
};

export type AuthorizeDirectiveArgs = {
  action?: Maybe<Scalars['String']['input']>;
  platformAction?: Maybe<Scalars['String']['input']>;
  scope: AuthScope;
};

export type AuthorizeDirectiveResolver<Result, Parent, ContextType = RequestContext, Args = AuthorizeDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type AccountResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Account'] = ResolversParentTypes['Account'], FederationReferenceType extends FederationReferenceTypes['Account'] = FederationReferenceTypes['Account']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Account']> | FederationReferenceType, FederationReferenceType, ContextType>;
  admins?: Resolver<Array<ResolversTypes['AccountAdmin']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  deletedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  emailDomain?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orgCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType, Partial<AccountOrgCountArgs>>;
  orgs?: Resolver<ResolversTypes['OrgConnection'], ParentType, ContextType, Partial<AccountOrgsArgs>>;
  planTier?: Resolver<ResolversTypes['PlanTier'], ParentType, ContextType>;
  sso?: Resolver<Maybe<ResolversTypes['SsoSettings']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['AccountStatus'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  userCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType, Partial<AccountUserCountArgs>>;
};

export type AccountAdminResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['AccountAdmin'] = ResolversParentTypes['AccountAdmin']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  email?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['AccountRole'], ParentType, ContextType>;
};

export type AccountConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['AccountConnection'] = ResolversParentTypes['AccountConnection']> = {
  edges?: Resolver<Array<ResolversTypes['AccountEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Account']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type AccountEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['AccountEdge'] = ResolversParentTypes['AccountEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Account'], ParentType, ContextType>;
};

export type AgentChallengeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['AgentChallenge'] = ResolversParentTypes['AgentChallenge']> = {
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  nonce?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type AgentSessionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['AgentSession'] = ResolversParentTypes['AgentSession']> = {
  agent?: Resolver<ResolversTypes['RuntimeAgent'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  token?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ApiKeyResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ApiKey'] = ResolversParentTypes['ApiKey']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  modelAllowlist?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  prefix?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  scopes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  tier?: Resolver<ResolversTypes['ApiKeyTier'], ParentType, ContextType>;
  user?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
};

export type ApiKeyConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ApiKeyConnection'] = ResolversParentTypes['ApiKeyConnection']> = {
  edges?: Resolver<Array<ResolversTypes['ApiKeyEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['ApiKey']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ApiKeyEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ApiKeyEdge'] = ResolversParentTypes['ApiKeyEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType>;
};

export type CheckResultResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['CheckResult'] = ResolversParentTypes['CheckResult']> = {
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  latencyMs?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  ok?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  status?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type CreatedApiKeyResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['CreatedApiKey'] = ResolversParentTypes['CreatedApiKey']> = {
  apiKey?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType>;
  secret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type CreatedServiceAccountResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['CreatedServiceAccount'] = ResolversParentTypes['CreatedServiceAccount']> = {
  secret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  serviceAccount?: Resolver<ResolversTypes['ServiceAccount'], ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type MutationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  addAccountAdmin?: Resolver<ResolversTypes['AccountAdmin'], ParentType, ContextType, RequireFields<MutationAddAccountAdminArgs, 'input'>>;
  addTeamMember?: Resolver<ResolversTypes['Team'], ParentType, ContextType, RequireFields<MutationAddTeamMemberArgs, 'input'>>;
  agentChallenge?: Resolver<ResolversTypes['AgentChallenge'], ParentType, ContextType, RequireFields<MutationAgentChallengeArgs, 'agentId'>>;
  agentHandshake?: Resolver<ResolversTypes['AgentSession'], ParentType, ContextType, RequireFields<MutationAgentHandshakeArgs, 'agentId' | 'nonce' | 'signature'>>;
  createAccount?: Resolver<ResolversTypes['Account'], ParentType, ContextType, RequireFields<MutationCreateAccountArgs, 'input'>>;
  createApiKey?: Resolver<ResolversTypes['CreatedApiKey'], ParentType, ContextType, RequireFields<MutationCreateApiKeyArgs, 'input'>>;
  createOrg?: Resolver<ResolversTypes['Org'], ParentType, ContextType, RequireFields<MutationCreateOrgArgs, 'input'>>;
  createServiceAccount?: Resolver<ResolversTypes['CreatedServiceAccount'], ParentType, ContextType, RequireFields<MutationCreateServiceAccountArgs, 'input'>>;
  createTeam?: Resolver<ResolversTypes['Team'], ParentType, ContextType, RequireFields<MutationCreateTeamArgs, 'input'>>;
  createUser?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationCreateUserArgs, 'input'>>;
  deactivateUser?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationDeactivateUserArgs, 'id'>>;
  deleteAccount?: Resolver<ResolversTypes['Account'], ParentType, ContextType, RequireFields<MutationDeleteAccountArgs, 'id'>>;
  disableServiceAccount?: Resolver<ResolversTypes['ServiceAccount'], ParentType, ContextType, RequireFields<MutationDisableServiceAccountArgs, 'id'>>;
  moveTeam?: Resolver<ResolversTypes['Team'], ParentType, ContextType, RequireFields<MutationMoveTeamArgs, 'orgId' | 'teamId'>>;
  reactivateAccount?: Resolver<ResolversTypes['Account'], ParentType, ContextType, RequireFields<MutationReactivateAccountArgs, 'id'>>;
  reactivateUser?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationReactivateUserArgs, 'id'>>;
  registerRuntimeAgent?: Resolver<ResolversTypes['RuntimeAgent'], ParentType, ContextType, RequireFields<MutationRegisterRuntimeAgentArgs, 'input'>>;
  removeAccountAdmin?: Resolver<ResolversTypes['AccountAdmin'], ParentType, ContextType, RequireFields<MutationRemoveAccountAdminArgs, 'id'>>;
  removeTeamMember?: Resolver<ResolversTypes['Team'], ParentType, ContextType, RequireFields<MutationRemoveTeamMemberArgs, 'teamId' | 'userId'>>;
  renameOrg?: Resolver<ResolversTypes['Org'], ParentType, ContextType, RequireFields<MutationRenameOrgArgs, 'id' | 'name'>>;
  revokeApiKey?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType, RequireFields<MutationRevokeApiKeyArgs, 'id'>>;
  revokeRuntimeAgent?: Resolver<ResolversTypes['RuntimeAgent'], ParentType, ContextType, RequireFields<MutationRevokeRuntimeAgentArgs, 'id'>>;
  setAccountAdminRole?: Resolver<ResolversTypes['AccountAdmin'], ParentType, ContextType, RequireFields<MutationSetAccountAdminRoleArgs, 'input'>>;
  setAccountSso?: Resolver<ResolversTypes['SsoSettings'], ParentType, ContextType, RequireFields<MutationSetAccountSsoArgs, 'input'>>;
  suspendAccount?: Resolver<ResolversTypes['Account'], ParentType, ContextType, RequireFields<MutationSuspendAccountArgs, 'id'>>;
  updateAccount?: Resolver<ResolversTypes['Account'], ParentType, ContextType, RequireFields<MutationUpdateAccountArgs, 'input'>>;
};

export type OrgResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Org'] = ResolversParentTypes['Org'], FederationReferenceType extends FederationReferenceTypes['Org'] = FederationReferenceTypes['Org']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Org']> | FederationReferenceType, FederationReferenceType, ContextType>;
  domain?: Resolver<ResolversTypes['DirectoryDomain'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  teamCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  teams?: Resolver<ResolversTypes['TeamConnection'], ParentType, ContextType, Partial<OrgTeamsArgs>>;
  userCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type OrgConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['OrgConnection'] = ResolversParentTypes['OrgConnection']> = {
  edges?: Resolver<Array<ResolversTypes['OrgEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Org']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type OrgEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['OrgEdge'] = ResolversParentTypes['OrgEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Org'], ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  account?: Resolver<Maybe<ResolversTypes['Account']>, ParentType, ContextType>;
  accounts?: Resolver<ResolversTypes['AccountConnection'], ParentType, ContextType, Partial<QueryAccountsArgs>>;
  apiKey?: Resolver<Maybe<ResolversTypes['ApiKey']>, ParentType, ContextType, RequireFields<QueryApiKeyArgs, 'id'>>;
  apiKeys?: Resolver<ResolversTypes['ApiKeyConnection'], ParentType, ContextType, Partial<QueryApiKeysArgs>>;
  org?: Resolver<Maybe<ResolversTypes['Org']>, ParentType, ContextType, RequireFields<QueryOrgArgs, 'id'>>;
  runtimeAgent?: Resolver<Maybe<ResolversTypes['RuntimeAgent']>, ParentType, ContextType, RequireFields<QueryRuntimeAgentArgs, 'id'>>;
  runtimeAgents?: Resolver<ResolversTypes['RuntimeAgentConnection'], ParentType, ContextType, Partial<QueryRuntimeAgentsArgs>>;
  serviceAccounts?: Resolver<ResolversTypes['ServiceAccountConnection'], ParentType, ContextType, Partial<QueryServiceAccountsArgs>>;
  ssoStatus?: Resolver<ResolversTypes['SsoStatus'], ParentType, ContextType>;
  team?: Resolver<Maybe<ResolversTypes['Team']>, ParentType, ContextType, RequireFields<QueryTeamArgs, 'id'>>;
  user?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType, RequireFields<QueryUserArgs, 'id'>>;
  viewer?: Resolver<ResolversTypes['Viewer'], ParentType, ContextType>;
};

export type RuntimeAgentResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['RuntimeAgent'] = ResolversParentTypes['RuntimeAgent'], FederationReferenceType extends FederationReferenceTypes['RuntimeAgent'] = FederationReferenceTypes['RuntimeAgent']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['RuntimeAgent']> | FederationReferenceType, FederationReferenceType, ContextType>;
  agentVersion?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  hostname?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastSeenAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  platform?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  registeredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  runtimeId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['RuntimeAgentStatus'], ParentType, ContextType>;
};

export type RuntimeAgentConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['RuntimeAgentConnection'] = ResolversParentTypes['RuntimeAgentConnection']> = {
  edges?: Resolver<Array<ResolversTypes['RuntimeAgentEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['RuntimeAgent']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type RuntimeAgentEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['RuntimeAgentEdge'] = ResolversParentTypes['RuntimeAgentEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['RuntimeAgent'], ParentType, ContextType>;
};

export type ServiceAccountResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ServiceAccount'] = ResolversParentTypes['ServiceAccount']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  disabledAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  scopes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
};

export type ServiceAccountConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ServiceAccountConnection'] = ResolversParentTypes['ServiceAccountConnection']> = {
  edges?: Resolver<Array<ResolversTypes['ServiceAccountEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['ServiceAccount']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ServiceAccountEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ServiceAccountEdge'] = ResolversParentTypes['ServiceAccountEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['ServiceAccount'], ParentType, ContextType>;
};

export type SsoSettingsResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SsoSettings'] = ResolversParentTypes['SsoSettings']> = {
  accountIdClaim?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  audience?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  clientId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  enabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  issuer?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  provider?: Resolver<ResolversTypes['SsoProvider'], ParentType, ContextType>;
  rolesClaim?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  superAdminRoles?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type SsoStatusResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SsoStatus'] = ResolversParentTypes['SsoStatus']> = {
  checkedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  discovery?: Resolver<ResolversTypes['CheckResult'], ParentType, ContextType>;
  issuer?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  jwks?: Resolver<ResolversTypes['CheckResult'], ParentType, ContextType>;
};

export type TeamResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Team'] = ResolversParentTypes['Team'], FederationReferenceType extends FederationReferenceTypes['Team'] = FederationReferenceTypes['Team']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Team']> | FederationReferenceType, FederationReferenceType, ContextType>;
  domain?: Resolver<ResolversTypes['DirectoryDomain'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  memberCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  members?: Resolver<ResolversTypes['UserConnection'], ParentType, ContextType, Partial<TeamMembersArgs>>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  org?: Resolver<ResolversTypes['Org'], ParentType, ContextType>;
};

export type TeamConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['TeamConnection'] = ResolversParentTypes['TeamConnection']> = {
  edges?: Resolver<Array<ResolversTypes['TeamEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Team']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TeamEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['TeamEdge'] = ResolversParentTypes['TeamEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Team'], ParentType, ContextType>;
};

export type UserResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User'], FederationReferenceType extends FederationReferenceTypes['User'] = FederationReferenceTypes['User']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['User']> | FederationReferenceType, FederationReferenceType, ContextType>;
  displayName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  domain?: Resolver<ResolversTypes['DirectoryDomain'], ParentType, ContextType>;
  email?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['UserStatus'], ParentType, ContextType>;
  teams?: Resolver<Array<ResolversTypes['Team']>, ParentType, ContextType>;
};

export type UserConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['UserConnection'] = ResolversParentTypes['UserConnection']> = {
  edges?: Resolver<Array<ResolversTypes['UserEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['User']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type UserEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['UserEdge'] = ResolversParentTypes['UserEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
};

export type ViewerResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Viewer'] = ResolversParentTypes['Viewer']> = {
  account?: Resolver<Maybe<ResolversTypes['Account']>, ParentType, ContextType>;
  accountId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['PrincipalKind'], ParentType, ContextType>;
  orgIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  roles?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  scopes?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  subject?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  superAdmin?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  teamIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  user?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  userId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
};

export type Resolvers<ContextType = RequestContext> = {
  Account?: AccountResolvers<ContextType>;
  AccountAdmin?: AccountAdminResolvers<ContextType>;
  AccountConnection?: AccountConnectionResolvers<ContextType>;
  AccountEdge?: AccountEdgeResolvers<ContextType>;
  AgentChallenge?: AgentChallengeResolvers<ContextType>;
  AgentSession?: AgentSessionResolvers<ContextType>;
  ApiKey?: ApiKeyResolvers<ContextType>;
  ApiKeyConnection?: ApiKeyConnectionResolvers<ContextType>;
  ApiKeyEdge?: ApiKeyEdgeResolvers<ContextType>;
  CheckResult?: CheckResultResolvers<ContextType>;
  CreatedApiKey?: CreatedApiKeyResolvers<ContextType>;
  CreatedServiceAccount?: CreatedServiceAccountResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  Org?: OrgResolvers<ContextType>;
  OrgConnection?: OrgConnectionResolvers<ContextType>;
  OrgEdge?: OrgEdgeResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RuntimeAgent?: RuntimeAgentResolvers<ContextType>;
  RuntimeAgentConnection?: RuntimeAgentConnectionResolvers<ContextType>;
  RuntimeAgentEdge?: RuntimeAgentEdgeResolvers<ContextType>;
  ServiceAccount?: ServiceAccountResolvers<ContextType>;
  ServiceAccountConnection?: ServiceAccountConnectionResolvers<ContextType>;
  ServiceAccountEdge?: ServiceAccountEdgeResolvers<ContextType>;
  SsoSettings?: SsoSettingsResolvers<ContextType>;
  SsoStatus?: SsoStatusResolvers<ContextType>;
  Team?: TeamResolvers<ContextType>;
  TeamConnection?: TeamConnectionResolvers<ContextType>;
  TeamEdge?: TeamEdgeResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
  UserConnection?: UserConnectionResolvers<ContextType>;
  UserEdge?: UserEdgeResolvers<ContextType>;
  Viewer?: ViewerResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = RequestContext> = {
  authorize?: AuthorizeDirectiveResolver<any, any, ContextType>;
};
