import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Model as ModelEntity, ModelPrice as ModelPriceEntity } from '../models/model.entity';
import type { ModelConnection as ModelPage } from '../models/model.service';
import type { Provider as ProviderEntity } from '../providers/provider.entity';
import type { Connection, RequestContext } from '@cockpit/kit';
import type { ModelGrant as ModelGrantEntity } from '../grants/grant.entity';
import type { ModelAlias as ModelAliasEntity } from '../aliases/alias.entity';
import type { EffectiveModels as EffectiveModelsValue, EffectiveModel as EffectiveModelValue } from '../grants/effective';
import type { AgentDefinition as AgentDefinitionEntity } from '../agents/agent.entity';
import type { ToolConnection as ToolConnectionEntity } from '../connections/connection.entity';
import type { ScopeGrant as ScopeGrantEntity } from '../scope-grants/scope-grant.entity';
import type { MarketplaceItem as MarketplaceItemEntity } from '../marketplace/marketplace-item.entity';
import type { ConsoleModelGrant as ConsoleModelGrantEntity } from '../console/console.entity';
import type { EffectiveConsoleModels as EffectiveConsoleModelsValue } from '../console/console.service';
import type { Feature as FeatureEntity, FeatureEntitlement as FeatureEntitlementEntity } from '../features/feature.entity';
import type { EffectiveFeatures as EffectiveFeaturesValue, EffectiveFeature as EffectiveFeatureValue } from '../features/feature.effective';
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
  /** An exact decimal number as a string, e.g. "1250.50". */
  Decimal: { input: string; output: string; }
  /** Any JSON value. */
  JSON: { input: unknown; output: unknown; }
  _FieldSet: { input: unknown; output: unknown; }
};

/** One grant of an agent definition or a tool connection. */
export type AccessGrant = {
  __typename?: 'AccessGrant';
  createdAt: Scalars['DateTime']['output'];
  scopeId: Scalars['ID']['output'];
  scopeType: AccessScopeType;
};

export type AccessScopeInput = {
  id: Scalars['ID']['input'];
  type: AccessScopeType;
};

/** Who an agent definition or a tool connection is granted to: an org, a team or a user of the COPILOT tree. */
export type AccessScopeType =
  | 'ORG'
  | 'TEAM'
  | 'USER';

export type Account = {
  __typename?: 'Account';
  /** The account-level console model grant (consoleModelSelection.read); null when the account has none and the whole policy applies. */
  consoleModelGrant?: Maybe<ConsoleModelGrant>;
  /** The catalog models this account's console (BYOK) users may bring their own keys for (CA4; consolePolicy.read), by name. */
  consoleModelPolicy: Array<Model>;
  /** The catalog models a super admin made eligible for this account (CA2), by name. */
  eligibleModels: Array<Model>;
  /** The features a super admin put in this account's pack (CA9; entitlement.read), by key. */
  featurePack: Array<Feature>;
  id: Scalars['ID']['output'];
  /** The account's model aliases (CA5; modelSelection.read), by alias. */
  modelAliases: Array<ModelAlias>;
  /** The account-level model grant (CA3; modelSelection.read); null when the account has none and every eligible model is visible. */
  modelGrant?: Maybe<ModelGrant>;
};

/** An agent definition of the account (CA6). */
export type AgentDefinition = {
  __typename?: 'AgentDefinition';
  createdAt: Scalars['DateTime']['output'];
  /** In the creator's effective set when it was chosen. */
  defaultModel: Model;
  description: Scalars['String']['output'];
  /** Who may use the agent: these orgs, teams and users (and their members). Account roles only (agentDefinition.read): FORBIDDEN for end users and agents. */
  grants: Array<AccessGrant>;
  /** At least one. */
  guardrailPresetIds: Array<Scalars['ID']['output']>;
  /** The presets, resolved by the guardrails subgraph (null for one deleted since). */
  guardrailPresets: Array<Maybe<GuardrailPreset>>;
  id: Scalars['ID']['output'];
  /** The system instructions the agent runs with. */
  instructions: Scalars['String']['output'];
  /** Unique in the account, ignoring case. */
  name: Scalars['String']['output'];
  /** The connections the agent may call. */
  tools: Array<ToolConnection>;
  updatedAt: Scalars['DateTime']['output'];
};

export type AuthScope =
  | 'ACCOUNT'
  | 'ACCOUNT_OR_PLATFORM'
  | 'PLATFORM'
  | 'SELF';

/**
 * An account admin's explicit selection of console models for one scope of the CONSOLE tree (CA4).
 * Only models in the account's console model policy are shown: a model withdrawn from the policy
 * disappears from every console grant at once (and returns where it was granted if it comes back).
 */
export type ConsoleModelGrant = {
  __typename?: 'ConsoleModelGrant';
  /** Empty: the scope explicitly sees no console model. */
  models: Array<Model>;
  /** The account's, or the CONSOLE org's, team's or user's id. */
  scopeId: Scalars['ID']['output'];
  scopeType: GrantScopeType;
  updatedAt: Scalars['DateTime']['output'];
};

export type CreateAgentDefinitionInput = {
  /** Connections of the account (tools). */
  connectionIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** A model of the creator's effective set. */
  defaultModelId: Scalars['ID']['input'];
  description?: InputMaybe<Scalars['String']['input']>;
  /** Who may use the agent. */
  grants?: InputMaybe<Array<AccessScopeInput>>;
  /** At least one live preset of the account. */
  guardrailPresetIds: Array<Scalars['ID']['input']>;
  /** At most 100,000 characters. */
  instructions?: InputMaybe<Scalars['String']['input']>;
  /** 1 to 100 characters. */
  name: Scalars['String']['input'];
};

export type CreateFeatureInput = {
  /** At most 2,000 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Slug: lowercase letters, digits, '.', '_' and '-', at most 100 characters. */
  key: Scalars['String']['input'];
  /** 1 to 200 characters. */
  name: Scalars['String']['input'];
  status: FeatureStatus;
};

export type CreateMarketplaceItemInput = {
  /** At most 2,000 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** Who may discover it once published. */
  grants?: InputMaybe<Array<AccessScopeInput>>;
  kind: MarketplaceItemKind;
  /** 1 to 100 characters. */
  name: Scalars['String']['input'];
  /** The agent definition's (AGENT) or tool connection's (CONNECTION) id: NOT_FOUND unless it is the account's. */
  resourceId: Scalars['ID']['input'];
  /** A semantic version, e.g. 1.0.0 (VALIDATION_ERROR on `version` otherwise). */
  version: Scalars['String']['input'];
};

export type CreateModelInput = {
  /** Tokens, 1 to 100,000,000. */
  contextWindow?: InputMaybe<Scalars['Int']['input']>;
  displayName: Scalars['String']['input'];
  inputPricePerMtok: Scalars['Decimal']['input'];
  kind: ModelKind;
  /** Slug: lowercase letters, digits, '.', '_' and '-', at most 100 characters. */
  name: Scalars['String']['input'];
  outputPricePerMtok: Scalars['Decimal']['input'];
  /** An ACTIVE provider: NOT_FOUND for an unknown id, VALIDATION_ERROR for a disabled one. */
  providerId: Scalars['ID']['input'];
  status: ModelStatus;
};

export type CreateProviderInput = {
  /** An absolute http(s) URL without credentials, at most 500 characters; required for AZURE_OPENAI and OPENAI_COMPATIBLE. */
  baseUrl?: InputMaybe<Scalars['String']['input']>;
  kind: ProviderKind;
  /** Slug: lowercase letters, digits, '.', '_' and '-', at most 50 characters. */
  name: Scalars['String']['input'];
  status: ProviderStatus;
};

export type CreateToolConnectionInput = {
  /** Checked per type; unknown keys are refused (credentials belong in `secret`). */
  config: Scalars['JSON']['input'];
  description?: InputMaybe<Scalars['String']['input']>;
  grants?: InputMaybe<Array<AccessScopeInput>>;
  name: Scalars['String']['input'];
  /** An object of strings (e.g. {"api_key": "…"}); COMPOSIO with auth_mode api_key requires api_key. */
  secret?: InputMaybe<Scalars['JSON']['input']>;
  type: ToolConnectionType;
};

/** Which level decided a console effective set: the narrowest scope with an explicit console grant, or POLICY when none has one. */
export type EffectiveConsoleModelSource =
  | 'ACCOUNT'
  | 'ORG'
  | 'POLICY'
  | 'TEAM'
  | 'USER';

/**
 * The models a Console (BYOK) user may bring their own keys for (CA4): their own console grant if any,
 * else the union of their teams', else of their orgs', else the account's console grant, else the
 * whole console model policy — always within the policy, read when asked (withdrawing a model from the
 * policy removes it from every console set at once). Independent of the Copilot eligible set.
 */
export type EffectiveConsoleModels = {
  __typename?: 'EffectiveConsoleModels';
  decidedBy: EffectiveConsoleModelSource;
  /** By model name. */
  models: Array<Model>;
};

/** One feature of the account's pack as it applies to a user. */
export type EffectiveFeature = {
  __typename?: 'EffectiveFeature';
  /** Every explicit entitlement of the user's scopes for this feature, narrowest level first (user, teams, orgs, account); the first level decided. */
  chain: Array<FeatureEntitlementStep>;
  decidedBy: EffectiveFeatureSource;
  enabled: Scalars['Boolean']['output'];
  feature: Feature;
};

/** Which level decided a feature: the narrowest scope with an explicit entitlement, or PACK (enabled) when none has one. */
export type EffectiveFeatureSource =
  | 'ACCOUNT'
  | 'ORG'
  | 'PACK'
  | 'TEAM'
  | 'USER';

/**
 * The features of a user (CA9), one entry per feature of the account's pack, by key: the narrowest level
 * with an explicit entitlement decides — the user's own, else their teams' (enabled when any of them
 * enables it), else their orgs' (likewise), else the account's — and a pack feature nobody set is
 * enabled. Never outside the pack: a feature taken out of it leaves every effective set at once.
 */
export type EffectiveFeatures = {
  __typename?: 'EffectiveFeatures';
  /** The keys of the enabled features. */
  enabledKeys: Array<Scalars['String']['output']>;
  features: Array<EffectiveFeature>;
};

/** One model of an effective set, with the account's aliases of it. */
export type EffectiveModel = {
  __typename?: 'EffectiveModel';
  aliases: Array<Scalars['String']['output']>;
  model: Model;
};

/** Which level decided an effective set: the narrowest scope with an explicit grant, or ELIGIBILITY when no scope has one. */
export type EffectiveModelSource =
  | 'ACCOUNT'
  | 'ELIGIBILITY'
  | 'ORG'
  | 'TEAM'
  | 'USER';

/**
 * The models a user may use (CA3): the user's own grant if any, else the union of their teams'
 * grants, else of their orgs', else the account's grant, else every eligible model — always within
 * the account's eligible set, read when asked (withdrawing eligibility removes a model everywhere at once).
 */
export type EffectiveModels = {
  __typename?: 'EffectiveModels';
  decidedBy: EffectiveModelSource;
  /** By model name. */
  models: Array<EffectiveModel>;
};

/** A platform feature (CA9) in the feature catalog, maintained by super admins. */
export type Feature = {
  __typename?: 'Feature';
  createdAt: Scalars['DateTime']['output'];
  description: Scalars['String']['output'];
  /** Unique slug, e.g. agents.marketplace. */
  key: Scalars['String']['output'];
  name: Scalars['String']['output'];
  status: FeatureStatus;
  updatedAt: Scalars['DateTime']['output'];
};

export type FeatureConnection = {
  __typename?: 'FeatureConnection';
  edges: Array<FeatureEdge>;
  nodes: Array<Feature>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type FeatureEdge = {
  __typename?: 'FeatureEdge';
  cursor: Scalars['String']['output'];
  node: Feature;
};

/** An account admin's explicit on/off of one pack feature at one scope (CA9). */
export type FeatureEntitlement = {
  __typename?: 'FeatureEntitlement';
  enabled: Scalars['Boolean']['output'];
  feature: Feature;
  /** False once the feature left the account's pack: the entitlement is then ignored (and counts again if it comes back). */
  inPack: Scalars['Boolean']['output'];
  /** The account's, org's, team's or user's id. */
  scopeId: Scalars['ID']['output'];
  scopeType: GrantScopeType;
  updatedAt: Scalars['DateTime']['output'];
};

/** One explicit entitlement on the way to a user's answer for a feature. */
export type FeatureEntitlementStep = {
  __typename?: 'FeatureEntitlementStep';
  enabled: Scalars['Boolean']['output'];
  scopeId: Scalars['ID']['output'];
  scopeType: GrantScopeType;
};

/** Narrows the feature catalog. */
export type FeatureFilter = {
  status?: InputMaybe<FeatureStatus>;
};

/** Whether a feature may still be added to feature packs. A deprecated feature stays in the packs that hold it. */
export type FeatureStatus =
  | 'ACTIVE'
  | 'DEPRECATED';

export type GrantScopeInput = {
  /** The org's, team's or user's id; for ACCOUNT omit it (or give the acting account's id). */
  id?: InputMaybe<Scalars['ID']['input']>;
  type: GrantScopeType;
};

/**
 * Who a model grant is for. Catalog checks an org, team or user against identity, which owns the
 * directory (an internal call, `/internal/directory/scopes`, signed as catalog): it must exist in the
 * account and belong to the COPILOT tree.
 */
export type GrantScopeType =
  | 'ACCOUNT'
  | 'ORG'
  | 'TEAM'
  | 'USER';

/** A guardrail preset of the guardrails subgraph, which resolves it. */
export type GuardrailPreset = {
  __typename?: 'GuardrailPreset';
  id: Scalars['ID']['output'];
};

/**
 * A marketplace listing (CA8) of one of the account's agent definitions or tool connections: its own
 * name, description and semantic version. Once PUBLISHED it is discoverable (`marketplace`) by the orgs,
 * teams and users it is granted to (and their members), as long as its agent or connection exists.
 */
export type MarketplaceItem = {
  __typename?: 'MarketplaceItem';
  /** The agent definition listed (kind AGENT); null for a connection's item or once the agent was deleted. */
  agent?: Maybe<AgentDefinition>;
  /** The tool connection listed (kind CONNECTION); null for an agent's item or once the connection was deleted. */
  connection?: Maybe<ToolConnection>;
  createdAt: Scalars['DateTime']['output'];
  description: Scalars['String']['output'];
  /** Who may discover the item: these orgs, teams and users (and their members). Account roles only (marketplace.read): FORBIDDEN for end users and agents. */
  grants: Array<AccessGrant>;
  id: Scalars['ID']['output'];
  kind: MarketplaceItemKind;
  /** Unique in the account among items not archived, ignoring case; 1 to 100 characters. */
  name: Scalars['String']['output'];
  /** When the item was last published; null while it never was (it stays once unpublished or archived). */
  publishedAt?: Maybe<Scalars['DateTime']['output']>;
  status: MarketplaceItemStatus;
  updatedAt: Scalars['DateTime']['output'];
  /** A semantic version (semver.org 2.0.0), e.g. 1.4.0 or 2.0.0-beta.1. */
  version: Scalars['String']['output'];
};

export type MarketplaceItemConnection = {
  __typename?: 'MarketplaceItemConnection';
  edges: Array<MarketplaceItemEdge>;
  nodes: Array<MarketplaceItem>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type MarketplaceItemEdge = {
  __typename?: 'MarketplaceItemEdge';
  cursor: Scalars['String']['output'];
  node: MarketplaceItem;
};

/** Narrows the account's marketplace items; every given field must match. */
export type MarketplaceItemFilter = {
  kind?: InputMaybe<MarketplaceItemKind>;
  /** A case-insensitive substring of the name or the description, at most 100 characters. */
  search?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<MarketplaceItemStatus>;
};

/** What a marketplace item lists: one of the account's agent definitions or tool connections. */
export type MarketplaceItemKind =
  | 'AGENT'
  | 'CONNECTION';

/**
 * Where a marketplace item is in its life: DRAFT (new, never published) → PUBLISHED ⇄ UNPUBLISHED, and
 * ARCHIVED from any of them (final: an archived item no longer changes, and gives its name up).
 * Only PUBLISHED items are discoverable.
 */
export type MarketplaceItemStatus =
  | 'ARCHIVED'
  | 'DRAFT'
  | 'PUBLISHED'
  | 'UNPUBLISHED';

/** A Copilot model in the platform catalog (CA1), maintained by super admins. Every kind but CHAT is a media model. */
export type Model = {
  __typename?: 'Model';
  /** The most tokens one request may hold; null when not stated (most media models). */
  contextWindow?: Maybe<Scalars['Int']['output']>;
  createdAt: Scalars['DateTime']['output'];
  displayName: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** USD per million input tokens, now. */
  inputPricePerMtok: Scalars['Decimal']['output'];
  /** True for every kind except CHAT (image, audio, video and embedding models). */
  isMedia: Scalars['Boolean']['output'];
  kind: ModelKind;
  /** Unique slug, e.g. gpt-4o. */
  name: Scalars['String']['output'];
  /** USD per million output tokens, now. */
  outputPricePerMtok: Scalars['Decimal']['output'];
  /** The price in force at `at`, so a past cost is explained at the price it was charged; null before the model existed. */
  priceAt?: Maybe<ModelPrice>;
  /** Every price the model has had, newest first: a price change adds one, effective from the change. */
  prices: Array<ModelPrice>;
  /** The provider serving the model. */
  provider: Provider;
  status: ModelStatus;
  updatedAt: Scalars['DateTime']['output'];
};


/** A Copilot model in the platform catalog (CA1), maintained by super admins. Every kind but CHAT is a media model. */
export type ModelPriceAtArgs = {
  at: Scalars['DateTime']['input'];
};

/** An account-level name for a model (CA5): callers may ask for the model by it. */
export type ModelAlias = {
  __typename?: 'ModelAlias';
  /** Lowercase slug, unique in the account, never the name of a catalog model. */
  alias: Scalars['String']['output'];
  model: Model;
  updatedAt: Scalars['DateTime']['output'];
};

export type ModelConnection = {
  __typename?: 'ModelConnection';
  edges: Array<ModelEdge>;
  nodes: Array<Model>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type ModelEdge = {
  __typename?: 'ModelEdge';
  cursor: Scalars['String']['output'];
  node: Model;
};

/** Narrows the catalog; every given field must match. */
export type ModelFilter = {
  kind?: InputMaybe<ModelKind>;
  providerId?: InputMaybe<Scalars['ID']['input']>;
  status?: InputMaybe<ModelStatus>;
};

/**
 * An account admin's explicit selection of eligible models for one scope (CA3). Only eligible models
 * are shown: a model withdrawn from eligibility disappears from every grant at once (and returns
 * where it was granted if it is made eligible again).
 */
export type ModelGrant = {
  __typename?: 'ModelGrant';
  /** Empty: the scope explicitly sees no model. */
  models: Array<Model>;
  /** The account's, org's, team's or user's id. */
  scopeId: Scalars['ID']['output'];
  scopeType: GrantScopeType;
  updatedAt: Scalars['DateTime']['output'];
};

/** What a model produces or consumes. Every kind but CHAT is a media model. */
export type ModelKind =
  | 'AUDIO'
  | 'CHAT'
  | 'EMBEDDING'
  | 'IMAGE'
  | 'VIDEO';

/** A model's price per million tokens (USD), in force from `validFrom` until the next price of the model. */
export type ModelPrice = {
  __typename?: 'ModelPrice';
  inputPricePerMtok: Scalars['Decimal']['output'];
  outputPricePerMtok: Scalars['Decimal']['output'];
  validFrom: Scalars['DateTime']['output'];
};

/** Whether a model may still be made eligible for accounts. */
export type ModelStatus =
  | 'ACTIVE'
  | 'DEPRECATED';

export type Mutation = {
  __typename?: 'Mutation';
  /** Grants an agent to more orgs, teams or users (ADMIN); already granted scopes are kept. */
  addAgentGrants: AgentDefinition;
  /** Grants an item to more orgs, teams or users (ADMIN); already granted scopes are kept. */
  addMarketplaceItemGrants: MarketplaceItem;
  /** Grants a connection to more orgs, teams or users (ADMIN). */
  addToolConnectionGrants: ToolConnection;
  /** Archives an item for good (ADMIN): it leaves discovery, no longer changes and gives its name up. */
  archiveMarketplaceItem: MarketplaceItem;
  /** Removes a CONSOLE scope's explicit console grant so it inherits again (ADMIN); false when it had none. */
  clearConsoleModelGrant: Scalars['Boolean']['output'];
  /** Removes a scope's explicit entitlement of a feature so it inherits again (ADMIN); false when it had none. */
  clearFeatureEntitlement: Scalars['Boolean']['output'];
  /** Removes a scope's explicit grant so it inherits again (ADMIN); false when it had none. */
  clearModelGrant: Scalars['Boolean']['output'];
  /**
   * Creates an agent definition (ADMIN). VALIDATION_ERROR without a guardrail preset or for a default model
   * outside the creator's effective set; NOT_FOUND for an unknown preset (guardrails is asked), model,
   * connection or grant scope (another account's included); CONFLICT for a taken name.
   */
  createAgentDefinition: AgentDefinition;
  /** Adds a feature to the platform catalog (super admin). VALIDATION_ERROR for a bad key, name or description; CONFLICT for a taken key. */
  createFeature: Feature;
  /**
   * Lists an agent definition or a tool connection in the marketplace as a DRAFT (ADMIN). NOT_FOUND for an
   * unknown or another account's agent, connection or grant scope; VALIDATION_ERROR for a bad name,
   * description or version; CONFLICT for a name taken by an item not archived.
   */
  createMarketplaceItem: MarketplaceItem;
  /** Adds a model to the platform catalog (super admin). */
  createModel: Model;
  /** Adds a provider (super admin). VALIDATION_ERROR for a bad name or URL; CONFLICT for a taken name. */
  createProvider: Provider;
  /**
   * Adds a tool connection (ADMIN) with settings checked per type and a secret sealed at rest. VALIDATION_ERROR
   * naming the field for bad settings (an invalid OpenAPI document, a Composio `api_key` mode without
   * `secret.api_key`, …); CONFLICT for a taken name. No secret value is ever answered, logged or audited.
   */
  createToolConnection: ToolConnection;
  /** Deletes an agent definition and its grants (ADMIN). */
  deleteAgentDefinition: Scalars['Boolean']['output'];
  /** Deletes a tool connection and its grants (ADMIN); agents listing it as a tool drop it. */
  deleteToolConnection: Scalars['Boolean']['output'];
  /**
   * Publishes a DRAFT or UNPUBLISHED item (ADMIN): it becomes discoverable by its grantees. NOT_FOUND when its
   * agent or connection was deleted; CONFLICT for an archived item; publishing a published item changes nothing.
   */
  publishMarketplaceItem: MarketplaceItem;
  /** Withdraws an agent from these orgs, teams or users (ADMIN). */
  removeAgentGrants: AgentDefinition;
  /** Withdraws an item from these orgs, teams or users (ADMIN). */
  removeMarketplaceItemGrants: MarketplaceItem;
  /** Removes an alias (ADMIN); false when there was none. */
  removeModelAlias: Scalars['Boolean']['output'];
  /** Withdraws a connection from these orgs, teams or users (ADMIN). */
  removeToolConnectionGrants: ToolConnection;
  /** Sets exactly who may discover an item (ADMIN); an empty list withdraws it from everyone. */
  replaceMarketplaceItemGrants: MarketplaceItem;
  /**
   * Re-seals every connection secret not under the first key of COCKPIT_SECRET_KEYS (super admin, after
   * putting a new key first): one transaction per account, safe to re-run. Keep the old key listed until it answers rotated 0.
   */
  rotateConnectionSecrets: SecretRotation;
  /**
   * Replaces the explicit console model grant of one scope (ADMIN). An empty list grants nothing;
   * `clearConsoleModelGrant` makes it inherit. NOT_FOUND for an unknown model and for an org, team or
   * user not in the account (another account's included); VALIDATION_ERROR for a model outside the
   * account's console model policy or a scope in the COPILOT tree.
   */
  setConsoleModelGrant: ConsoleModelGrant;
  /**
   * Replaces the console (BYOK) model policy of the account named by X-Account-Id (super admin): the
   * models its console users may bring their own keys for. NOT_FOUND for an unknown model;
   * VALIDATION_ERROR for a deprecated one newly added.
   */
  setConsoleModelPolicy: Array<Model>;
  /** Replaces the eligible models of the account named by X-Account-Id (super admin). */
  setEligibleModels: Array<Model>;
  /**
   * Sets one scope's explicit on/off of a feature (ADMIN); the scope is the account or an org, team or
   * user of either directory tree. NOT_FOUND for an unknown feature and for a scope not in the account
   * (another account's included); VALIDATION_ERROR for a feature outside the account's pack.
   */
  setFeatureEntitlement: FeatureEntitlement;
  /** Replaces the feature pack of the account named by X-Account-Id (super admin). NOT_FOUND for an unknown feature; VALIDATION_ERROR for a deprecated one newly added. */
  setFeaturePack: Array<Feature>;
  /** Creates or moves an account-level alias (ADMIN). VALIDATION_ERROR for a bad slug, a catalog model's name or a model not eligible for the account; NOT_FOUND for an unknown model. */
  setModelAlias: ModelAlias;
  /**
   * Replaces the explicit model grant of one scope (ADMIN). An empty list grants nothing (the scope sees
   * no model); `clearModelGrant` makes it inherit. NOT_FOUND for an unknown or malformed model id and for
   * an org, team or user not in the account (another account's included); VALIDATION_ERROR for a model
   * outside the account's eligible set or a scope in the CONSOLE tree.
   */
  setModelGrant: ModelGrant;
  /** Withdraws a PUBLISHED item from discovery (ADMIN); CONFLICT for a draft or an archived item. */
  unpublishMarketplaceItem: MarketplaceItem;
  /** Changes an agent definition (ADMIN); `guardrailPresetIds` is required (at least one) and `grants`, when given, replaces the grants. */
  updateAgentDefinition: AgentDefinition;
  /** Changes a catalog feature (super admin); NOT_FOUND for an unknown key. */
  updateFeature: Feature;
  /** Changes an item's name, description or version (ADMIN); CONFLICT for an archived item. */
  updateMarketplaceItem: MarketplaceItem;
  /** Changes a catalog model (super admin). */
  updateModel: Model;
  /** Changes a provider (super admin); NOT_FOUND for an unknown id. */
  updateProvider: Provider;
  /** Changes a tool connection (ADMIN): `secret` replaces the whole secret, `clearSecret` removes it, `grants` replaces the grants. */
  updateToolConnection: ToolConnection;
};


export type MutationAddAgentGrantsArgs = {
  id: Scalars['ID']['input'];
  scopes: Array<AccessScopeInput>;
};


export type MutationAddMarketplaceItemGrantsArgs = {
  id: Scalars['ID']['input'];
  scopes: Array<AccessScopeInput>;
};


export type MutationAddToolConnectionGrantsArgs = {
  id: Scalars['ID']['input'];
  scopes: Array<AccessScopeInput>;
};


export type MutationArchiveMarketplaceItemArgs = {
  id: Scalars['ID']['input'];
};


export type MutationClearConsoleModelGrantArgs = {
  scope: GrantScopeInput;
};


export type MutationClearFeatureEntitlementArgs = {
  featureKey: Scalars['String']['input'];
  scope: GrantScopeInput;
};


export type MutationClearModelGrantArgs = {
  scope: GrantScopeInput;
};


export type MutationCreateAgentDefinitionArgs = {
  input: CreateAgentDefinitionInput;
};


export type MutationCreateFeatureArgs = {
  input: CreateFeatureInput;
};


export type MutationCreateMarketplaceItemArgs = {
  input: CreateMarketplaceItemInput;
};


export type MutationCreateModelArgs = {
  input: CreateModelInput;
};


export type MutationCreateProviderArgs = {
  input: CreateProviderInput;
};


export type MutationCreateToolConnectionArgs = {
  input: CreateToolConnectionInput;
};


export type MutationDeleteAgentDefinitionArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteToolConnectionArgs = {
  id: Scalars['ID']['input'];
};


export type MutationPublishMarketplaceItemArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRemoveAgentGrantsArgs = {
  id: Scalars['ID']['input'];
  scopes: Array<AccessScopeInput>;
};


export type MutationRemoveMarketplaceItemGrantsArgs = {
  id: Scalars['ID']['input'];
  scopes: Array<AccessScopeInput>;
};


export type MutationRemoveModelAliasArgs = {
  alias: Scalars['String']['input'];
};


export type MutationRemoveToolConnectionGrantsArgs = {
  id: Scalars['ID']['input'];
  scopes: Array<AccessScopeInput>;
};


export type MutationReplaceMarketplaceItemGrantsArgs = {
  id: Scalars['ID']['input'];
  scopes: Array<AccessScopeInput>;
};


export type MutationSetConsoleModelGrantArgs = {
  modelIds: Array<Scalars['ID']['input']>;
  scope: GrantScopeInput;
};


export type MutationSetConsoleModelPolicyArgs = {
  modelIds: Array<Scalars['ID']['input']>;
};


export type MutationSetEligibleModelsArgs = {
  modelIds: Array<Scalars['ID']['input']>;
};


export type MutationSetFeatureEntitlementArgs = {
  enabled: Scalars['Boolean']['input'];
  featureKey: Scalars['String']['input'];
  scope: GrantScopeInput;
};


export type MutationSetFeaturePackArgs = {
  featureKeys: Array<Scalars['String']['input']>;
};


export type MutationSetModelAliasArgs = {
  alias: Scalars['String']['input'];
  modelId: Scalars['ID']['input'];
};


export type MutationSetModelGrantArgs = {
  modelIds: Array<Scalars['ID']['input']>;
  scope: GrantScopeInput;
};


export type MutationUnpublishMarketplaceItemArgs = {
  id: Scalars['ID']['input'];
};


export type MutationUpdateAgentDefinitionArgs = {
  id: Scalars['ID']['input'];
  input: UpdateAgentDefinitionInput;
};


export type MutationUpdateFeatureArgs = {
  input: UpdateFeatureInput;
  key: Scalars['String']['input'];
};


export type MutationUpdateMarketplaceItemArgs = {
  id: Scalars['ID']['input'];
  input: UpdateMarketplaceItemInput;
};


export type MutationUpdateModelArgs = {
  id: Scalars['ID']['input'];
  input: UpdateModelInput;
};


export type MutationUpdateProviderArgs = {
  id: Scalars['ID']['input'];
  input: UpdateProviderInput;
};


export type MutationUpdateToolConnectionArgs = {
  id: Scalars['ID']['input'];
  input: UpdateToolConnectionInput;
};

/** An org of identity's directory, with its Copilot model grant. */
export type Org = {
  __typename?: 'Org';
  /** The CONSOLE org's explicit console model grant (consoleModelSelection.read); null when it inherits. */
  consoleModelGrant?: Maybe<ConsoleModelGrant>;
  id: Scalars['ID']['output'];
  /** The org's explicit model grant (modelSelection.read); null when it inherits the account's. */
  modelGrant?: Maybe<ModelGrant>;
};

/** Relay page information. */
export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** A configured vendor endpoint serving catalog models (CA1), maintained by super admins. Holds no credential. */
export type Provider = {
  __typename?: 'Provider';
  /** The endpoint models are called at; null = the kind's public endpoint. */
  baseUrl?: Maybe<Scalars['String']['output']>;
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  kind: ProviderKind;
  /** Unique slug, e.g. openai, azure-eu. */
  name: Scalars['String']['output'];
  status: ProviderStatus;
  updatedAt: Scalars['DateTime']['output'];
};

export type ProviderConnection = {
  __typename?: 'ProviderConnection';
  edges: Array<ProviderEdge>;
  nodes: Array<Provider>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type ProviderEdge = {
  __typename?: 'ProviderEdge';
  cursor: Scalars['String']['output'];
  node: Provider;
};

/** Narrows the providers; every given field must match. */
export type ProviderFilter = {
  kind?: InputMaybe<ProviderKind>;
  status?: InputMaybe<ProviderStatus>;
};

/** The API a provider speaks; AZURE_OPENAI and OPENAI_COMPATIBLE have no public endpoint and need a base URL. */
export type ProviderKind =
  | 'ANTHROPIC'
  | 'AWS_BEDROCK'
  | 'AZURE_OPENAI'
  | 'GOOGLE'
  | 'OPENAI'
  | 'OPENAI_COMPATIBLE';

/** Whether models may be attached to a provider. A disabled provider keeps its models; no model is added or moved to it. */
export type ProviderStatus =
  | 'ACTIVE'
  | 'DISABLED';

export type Query = {
  __typename?: 'Query';
  /** One agent definition; NOT_FOUND for an unknown or another account's id. */
  agentDefinition: AgentDefinition;
  /** The account's agent definitions (CA6), by name. */
  agentDefinitions: Array<AgentDefinition>;
  /** The account's explicit console model grants: the account's, then orgs', teams' and users'. */
  consoleModelGrants: Array<ConsoleModelGrant>;
  /** The caller's console effective models: the principal's directory user, teams and orgs (no lookup), or the account's set for a credential bound to no user. */
  effectiveConsoleModels: EffectiveConsoleModels;
  /** A CONSOLE user's console effective models (ADMIN view); NOT_FOUND for a user not in the account's CONSOLE tree. */
  effectiveConsoleModelsOf: EffectiveConsoleModels;
  /** The caller's effective features: the principal's directory user, teams and orgs (no lookup), or the account's for a credential bound to no user. */
  effectiveFeatures: EffectiveFeatures;
  /** A user's effective features (ADMIN view); NOT_FOUND for a user not in the account. */
  effectiveFeaturesOf: EffectiveFeatures;
  /**
   * The caller's effective models: the principal's directory user, teams and orgs (no lookup), or the
   * account's set for a credential bound to no user; narrowed by the API key's model allow-list (model
   * names or aliases) for requests made with such a key. Every account role, end users and agents.
   */
  effectiveModels: EffectiveModels;
  /** A user's effective models (ADMIN view, not narrowed by the caller's key); NOT_FOUND for a user not in the account's COPILOT tree. */
  effectiveModelsOf: EffectiveModels;
  /** One catalog feature (super admin); NOT_FOUND for an unknown key. */
  feature?: Maybe<Feature>;
  /** The account's explicit feature entitlements: the account's, then orgs', teams' and users', by scope then feature. */
  featureEntitlements: Array<FeatureEntitlement>;
  /** The platform feature catalog (super admin), by key. */
  features: FeatureConnection;
  /**
   * The marketplace as the caller sees it (every account role, end users and agents): the PUBLISHED items
   * granted to the principal's directory user, their teams or their orgs, whose agent or connection still
   * exists, by name (case-insensitive) then id. `search` is a case-insensitive substring of the name or the
   * description (at most 100 characters). Empty for a credential bound to no directory user.
   */
  marketplace: MarketplaceItemConnection;
  /** One marketplace item; NOT_FOUND for an unknown or another account's id. */
  marketplaceItem: MarketplaceItem;
  /** The account's marketplace items (CA8), every status, by name (case-insensitive) then id. */
  marketplaceItems: MarketplaceItemConnection;
  /** One catalog model (super admin); NOT_FOUND for an unknown id. */
  model?: Maybe<Model>;
  /** The account's explicit model grants: the account's, then orgs', teams' and users'. */
  modelGrants: Array<ModelGrant>;
  /** The platform model catalog (super admin), ordered by creation. */
  models: ModelConnection;
  /** The agent definitions the caller may use: granted to the principal's directory user, teams or orgs (every account role, end users and agents). */
  myAgents: Array<AgentDefinition>;
  /** The tool connections the caller may use: granted to the principal's directory user, teams or orgs (end users and agents too). */
  myToolConnections: Array<ToolConnection>;
  /** One provider (super admin); NOT_FOUND for an unknown id. */
  provider?: Maybe<Provider>;
  /** The configured providers (super admin), by name. */
  providers: ProviderConnection;
  /** A model name or alias resolved in the caller's effective set (as `effectiveModels`); null when the caller may not use it. */
  resolveModel?: Maybe<EffectiveModel>;
  /** One tool connection; NOT_FOUND for an unknown or another account's id. */
  toolConnection: ToolConnection;
  /** The account's tool connections (CA7), by name. Secrets are never shown: only `hasSecret` and `secretFields`. */
  toolConnections: Array<ToolConnection>;
};


export type QueryAgentDefinitionArgs = {
  id: Scalars['ID']['input'];
};


export type QueryEffectiveConsoleModelsOfArgs = {
  userId: Scalars['ID']['input'];
};


export type QueryEffectiveFeaturesOfArgs = {
  userId: Scalars['ID']['input'];
};


export type QueryEffectiveModelsOfArgs = {
  userId: Scalars['ID']['input'];
};


export type QueryFeatureArgs = {
  key: Scalars['String']['input'];
};


export type QueryFeaturesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<FeatureFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryMarketplaceArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  kind?: InputMaybe<MarketplaceItemKind>;
  search?: InputMaybe<Scalars['String']['input']>;
};


export type QueryMarketplaceItemArgs = {
  id: Scalars['ID']['input'];
};


export type QueryMarketplaceItemsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<MarketplaceItemFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryModelArgs = {
  id: Scalars['ID']['input'];
};


export type QueryModelsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ModelFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryProviderArgs = {
  id: Scalars['ID']['input'];
};


export type QueryProvidersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ProviderFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryResolveModelArgs = {
  name: Scalars['String']['input'];
};


export type QueryToolConnectionArgs = {
  id: Scalars['ID']['input'];
};

/** What a secret rotation did. */
export type SecretRotation = {
  __typename?: 'SecretRotation';
  /** Accounts whose secrets were re-sealed (one transaction each). */
  accounts: Scalars['Int']['output'];
  /** The key every secret is now sealed under. */
  keyId: Scalars['String']['output'];
  /** Secrets re-sealed; 0 when everything was already under the key. */
  rotated: Scalars['Int']['output'];
};

/** A team of identity's directory, with its Copilot model grant. */
export type Team = {
  __typename?: 'Team';
  /** The CONSOLE team's explicit console model grant (consoleModelSelection.read); null when it inherits. */
  consoleModelGrant?: Maybe<ConsoleModelGrant>;
  id: Scalars['ID']['output'];
  /** The team's explicit model grant (modelSelection.read); null when it inherits its org's. */
  modelGrant?: Maybe<ModelGrant>;
};

/**
 * A tool an account's agents may call (CA7). Its secret is sealed at rest (AES-256-GCM under a key from
 * COCKPIT_SECRET_KEYS) and never shown, not even in part: only whether there is one and its field names.
 */
export type ToolConnection = {
  __typename?: 'ToolConnection';
  /**
   * The settings, by type. OPENAPI: `specUrl` (http(s), not fetched) or `spec` (an OpenAPI 3.0/3.1 document,
   * JSON), optional `baseUrl`. MCP: `transport` (streamable_http | sse) and `endpoint`. COMPOSIO: `auth_mode`
   * (oauth | api_key) and optional `toolkit`.
   */
  config: Scalars['JSON']['output'];
  createdAt: Scalars['DateTime']['output'];
  description: Scalars['String']['output'];
  /** Who may use the connection. Account roles only (connection.read): FORBIDDEN for end users and agents. */
  grants: Array<AccessGrant>;
  hasSecret: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** The names of the secret's fields, e.g. ["api_key"]; never their values. */
  secretFields: Array<Scalars['String']['output']>;
  type: ToolConnectionType;
  updatedAt: Scalars['DateTime']['output'];
};

/** What a tool connection talks to. */
export type ToolConnectionType =
  | 'COMPOSIO'
  | 'MCP'
  | 'OPENAPI';

/** Only the fields given change, but the presets are always given (at least one); `grants` replaces the grants. */
export type UpdateAgentDefinitionInput = {
  connectionIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  defaultModelId?: InputMaybe<Scalars['ID']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  grants?: InputMaybe<Array<AccessScopeInput>>;
  guardrailPresetIds: Array<Scalars['ID']['input']>;
  instructions?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
};

/** Only the fields given change; the key never does. */
export type UpdateFeatureInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<FeatureStatus>;
};

/** Only the fields given change. */
export type UpdateMarketplaceItemInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  version?: InputMaybe<Scalars['String']['input']>;
};

/** Only the fields given change (`contextWindow: null` clears it). A price change takes effect now and is added to `prices`. */
export type UpdateModelInput = {
  contextWindow?: InputMaybe<Scalars['Int']['input']>;
  displayName?: InputMaybe<Scalars['String']['input']>;
  inputPricePerMtok?: InputMaybe<Scalars['Decimal']['input']>;
  kind?: InputMaybe<ModelKind>;
  name?: InputMaybe<Scalars['String']['input']>;
  outputPricePerMtok?: InputMaybe<Scalars['Decimal']['input']>;
  providerId?: InputMaybe<Scalars['ID']['input']>;
  status?: InputMaybe<ModelStatus>;
};

/** Only the fields given change; `baseUrl: null` clears the URL (refused for kinds that need one). */
export type UpdateProviderInput = {
  baseUrl?: InputMaybe<Scalars['String']['input']>;
  kind?: InputMaybe<ProviderKind>;
  name?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<ProviderStatus>;
};

/** Only the fields given change; `config` is checked again against the type. */
export type UpdateToolConnectionInput = {
  /** Removes the secret. */
  clearSecret?: InputMaybe<Scalars['Boolean']['input']>;
  config?: InputMaybe<Scalars['JSON']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  /** Replaces the grants. */
  grants?: InputMaybe<Array<AccessScopeInput>>;
  name?: InputMaybe<Scalars['String']['input']>;
  /** Replaces the whole secret. */
  secret?: InputMaybe<Scalars['JSON']['input']>;
};

/** A user of identity's directory, with their Copilot model grant and effective models. */
export type User = {
  __typename?: 'User';
  /**
   * The agent definitions the user may use (CA6; agentDefinition.read): granted to them, one of their
   * teams or one of their orgs, by name. Batched: one directory call and one statement per request.
   * Empty for a user not in the account's COPILOT tree.
   */
  agents: Array<AgentDefinition>;
  /** The CONSOLE user's explicit console model grant (consoleModelSelection.read); null when they inherit. */
  consoleModelGrant?: Maybe<ConsoleModelGrant>;
  /**
   * The user's console effective models (consoleModelSelection.read), batched like `effectiveModels`;
   * null for a user not in the account's CONSOLE tree.
   */
  effectiveConsoleModels?: Maybe<EffectiveConsoleModels>;
  /**
   * The user's effective features (CA9; featureSelection.read), batched (one identity call and two
   * statements per request whatever the number of users); null for a user not in the account.
   */
  effectiveFeatures?: Maybe<EffectiveFeatures>;
  /**
   * The user's effective models (modelSelection.read) on the account the request acts on; catalog reads
   * the user's teams and orgs from identity, batched (one internal call per request). Null for a user not
   * in that account's COPILOT tree. Not narrowed by the caller's API key (that is `effectiveModels`).
   */
  effectiveModels?: Maybe<EffectiveModels>;
  id: Scalars['ID']['output'];
  /** The user's explicit model grant (modelSelection.read); null when they inherit. */
  modelGrant?: Maybe<ModelGrant>;
  /** The tool connections the user may use (CA7; connection.read), as `agents`: granted to them, their teams or their orgs. */
  toolConnections: Array<ToolConnection>;
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
  Team:
    ( { __typename: 'Team' }
    & GraphQLRecursivePick<FederationTypes['Team'], {"id":true}> );
  User:
    ( { __typename: 'User' }
    & GraphQLRecursivePick<FederationTypes['User'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  AccessGrant: ResolverTypeWrapper<ScopeGrantEntity>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AccessScopeInput: AccessScopeInput;
  AccessScopeType: AccessScopeType;
  Account: ResolverTypeWrapper<{ id: string }>;
  AgentDefinition: ResolverTypeWrapper<AgentDefinitionEntity>;
  AuthScope: AuthScope;
  ConsoleModelGrant: ResolverTypeWrapper<ConsoleModelGrantEntity>;
  CreateAgentDefinitionInput: CreateAgentDefinitionInput;
  CreateFeatureInput: CreateFeatureInput;
  CreateMarketplaceItemInput: CreateMarketplaceItemInput;
  CreateModelInput: CreateModelInput;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  CreateProviderInput: CreateProviderInput;
  CreateToolConnectionInput: CreateToolConnectionInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Decimal: ResolverTypeWrapper<Scalars['Decimal']['output']>;
  EffectiveConsoleModelSource: EffectiveConsoleModelSource;
  EffectiveConsoleModels: ResolverTypeWrapper<EffectiveConsoleModelsValue>;
  EffectiveFeature: ResolverTypeWrapper<EffectiveFeatureValue>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  EffectiveFeatureSource: EffectiveFeatureSource;
  EffectiveFeatures: ResolverTypeWrapper<EffectiveFeaturesValue>;
  EffectiveModel: ResolverTypeWrapper<EffectiveModelValue>;
  EffectiveModelSource: EffectiveModelSource;
  EffectiveModels: ResolverTypeWrapper<EffectiveModelsValue>;
  Feature: ResolverTypeWrapper<FeatureEntity>;
  FeatureConnection: ResolverTypeWrapper<Connection<FeatureEntity>>;
  FeatureEdge: ResolverTypeWrapper<Omit<FeatureEdge, 'node'> & { node: ResolversTypes['Feature'] }>;
  FeatureEntitlement: ResolverTypeWrapper<FeatureEntitlementEntity>;
  FeatureEntitlementStep: ResolverTypeWrapper<FeatureEntitlementStep>;
  FeatureFilter: FeatureFilter;
  FeatureStatus: FeatureStatus;
  GrantScopeInput: GrantScopeInput;
  GrantScopeType: GrantScopeType;
  GuardrailPreset: ResolverTypeWrapper<{ id: string }>;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  MarketplaceItem: ResolverTypeWrapper<MarketplaceItemEntity>;
  MarketplaceItemConnection: ResolverTypeWrapper<Connection<MarketplaceItemEntity>>;
  MarketplaceItemEdge: ResolverTypeWrapper<Omit<MarketplaceItemEdge, 'node'> & { node: ResolversTypes['MarketplaceItem'] }>;
  MarketplaceItemFilter: MarketplaceItemFilter;
  MarketplaceItemKind: MarketplaceItemKind;
  MarketplaceItemStatus: MarketplaceItemStatus;
  Model: ResolverTypeWrapper<ModelEntity>;
  ModelAlias: ResolverTypeWrapper<ModelAliasEntity>;
  ModelConnection: ResolverTypeWrapper<ModelPage>;
  ModelEdge: ResolverTypeWrapper<Omit<ModelEdge, 'node'> & { node: ResolversTypes['Model'] }>;
  ModelFilter: ModelFilter;
  ModelGrant: ResolverTypeWrapper<ModelGrantEntity>;
  ModelKind: ModelKind;
  ModelPrice: ResolverTypeWrapper<ModelPriceEntity>;
  ModelStatus: ModelStatus;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Org: ResolverTypeWrapper<{ id: string }>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Provider: ResolverTypeWrapper<ProviderEntity>;
  ProviderConnection: ResolverTypeWrapper<Connection<ProviderEntity>>;
  ProviderEdge: ResolverTypeWrapper<Omit<ProviderEdge, 'node'> & { node: ResolversTypes['Provider'] }>;
  ProviderFilter: ProviderFilter;
  ProviderKind: ProviderKind;
  ProviderStatus: ProviderStatus;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  SecretRotation: ResolverTypeWrapper<SecretRotation>;
  Team: ResolverTypeWrapper<{ id: string }>;
  ToolConnection: ResolverTypeWrapper<ToolConnectionEntity>;
  ToolConnectionType: ToolConnectionType;
  UpdateAgentDefinitionInput: UpdateAgentDefinitionInput;
  UpdateFeatureInput: UpdateFeatureInput;
  UpdateMarketplaceItemInput: UpdateMarketplaceItemInput;
  UpdateModelInput: UpdateModelInput;
  UpdateProviderInput: UpdateProviderInput;
  UpdateToolConnectionInput: UpdateToolConnectionInput;
  User: ResolverTypeWrapper<{ id: string }>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AccessGrant: ScopeGrantEntity;
  ID: Scalars['ID']['output'];
  AccessScopeInput: AccessScopeInput;
  Account: { id: string };
  AgentDefinition: AgentDefinitionEntity;
  ConsoleModelGrant: ConsoleModelGrantEntity;
  CreateAgentDefinitionInput: CreateAgentDefinitionInput;
  CreateFeatureInput: CreateFeatureInput;
  CreateMarketplaceItemInput: CreateMarketplaceItemInput;
  CreateModelInput: CreateModelInput;
  Int: Scalars['Int']['output'];
  CreateProviderInput: CreateProviderInput;
  CreateToolConnectionInput: CreateToolConnectionInput;
  DateTime: Scalars['DateTime']['output'];
  Decimal: Scalars['Decimal']['output'];
  EffectiveConsoleModels: EffectiveConsoleModelsValue;
  EffectiveFeature: EffectiveFeatureValue;
  Boolean: Scalars['Boolean']['output'];
  EffectiveFeatures: EffectiveFeaturesValue;
  EffectiveModel: EffectiveModelValue;
  EffectiveModels: EffectiveModelsValue;
  Feature: FeatureEntity;
  FeatureConnection: Connection<FeatureEntity>;
  FeatureEdge: Omit<FeatureEdge, 'node'> & { node: ResolversParentTypes['Feature'] };
  FeatureEntitlement: FeatureEntitlementEntity;
  FeatureEntitlementStep: FeatureEntitlementStep;
  FeatureFilter: FeatureFilter;
  GrantScopeInput: GrantScopeInput;
  GuardrailPreset: { id: string };
  JSON: Scalars['JSON']['output'];
  MarketplaceItem: MarketplaceItemEntity;
  MarketplaceItemConnection: Connection<MarketplaceItemEntity>;
  MarketplaceItemEdge: Omit<MarketplaceItemEdge, 'node'> & { node: ResolversParentTypes['MarketplaceItem'] };
  MarketplaceItemFilter: MarketplaceItemFilter;
  Model: ModelEntity;
  ModelAlias: ModelAliasEntity;
  ModelConnection: ModelPage;
  ModelEdge: Omit<ModelEdge, 'node'> & { node: ResolversParentTypes['Model'] };
  ModelFilter: ModelFilter;
  ModelGrant: ModelGrantEntity;
  ModelPrice: ModelPriceEntity;
  Mutation: Record<PropertyKey, never>;
  Org: { id: string };
  PageInfo: PageInfo;
  Provider: ProviderEntity;
  ProviderConnection: Connection<ProviderEntity>;
  ProviderEdge: Omit<ProviderEdge, 'node'> & { node: ResolversParentTypes['Provider'] };
  ProviderFilter: ProviderFilter;
  Query: Record<PropertyKey, never>;
  SecretRotation: SecretRotation;
  Team: { id: string };
  ToolConnection: ToolConnectionEntity;
  UpdateAgentDefinitionInput: UpdateAgentDefinitionInput;
  UpdateFeatureInput: UpdateFeatureInput;
  UpdateMarketplaceItemInput: UpdateMarketplaceItemInput;
  UpdateModelInput: UpdateModelInput;
  UpdateProviderInput: UpdateProviderInput;
  UpdateToolConnectionInput: UpdateToolConnectionInput;
  User: { id: string };
  String: Scalars['String']['output'];
};

export type AuthorizeDirectiveArgs = {
  action?: Maybe<Scalars['String']['input']>;
  platformAction?: Maybe<Scalars['String']['input']>;
  scope: AuthScope;
};

export type AuthorizeDirectiveResolver<Result, Parent, ContextType = RequestContext, Args = AuthorizeDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type AccessGrantResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['AccessGrant'] = ResolversParentTypes['AccessGrant']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  scopeId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  scopeType?: Resolver<ResolversTypes['AccessScopeType'], ParentType, ContextType>;
};

export type AccountResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Account'] = ResolversParentTypes['Account'], FederationReferenceType extends FederationReferenceTypes['Account'] = FederationReferenceTypes['Account']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Account']> | FederationReferenceType, FederationReferenceType, ContextType>;
  consoleModelGrant?: Resolver<Maybe<ResolversTypes['ConsoleModelGrant']>, ParentType, ContextType>;
  consoleModelPolicy?: Resolver<Array<ResolversTypes['Model']>, ParentType, ContextType>;
  eligibleModels?: Resolver<Array<ResolversTypes['Model']>, ParentType, ContextType>;
  featurePack?: Resolver<Array<ResolversTypes['Feature']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  modelAliases?: Resolver<Array<ResolversTypes['ModelAlias']>, ParentType, ContextType>;
  modelGrant?: Resolver<Maybe<ResolversTypes['ModelGrant']>, ParentType, ContextType>;
};

export type AgentDefinitionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['AgentDefinition'] = ResolversParentTypes['AgentDefinition']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  defaultModel?: Resolver<ResolversTypes['Model'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  grants?: Resolver<Array<ResolversTypes['AccessGrant']>, ParentType, ContextType>;
  guardrailPresetIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  guardrailPresets?: Resolver<Array<Maybe<ResolversTypes['GuardrailPreset']>>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  instructions?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  tools?: Resolver<Array<ResolversTypes['ToolConnection']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type ConsoleModelGrantResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ConsoleModelGrant'] = ResolversParentTypes['ConsoleModelGrant']> = {
  models?: Resolver<Array<ResolversTypes['Model']>, ParentType, ContextType>;
  scopeId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  scopeType?: Resolver<ResolversTypes['GrantScopeType'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export interface DecimalScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Decimal'], any> {
  name: 'Decimal';
}

export type EffectiveConsoleModelsResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['EffectiveConsoleModels'] = ResolversParentTypes['EffectiveConsoleModels']> = {
  decidedBy?: Resolver<ResolversTypes['EffectiveConsoleModelSource'], ParentType, ContextType>;
  models?: Resolver<Array<ResolversTypes['Model']>, ParentType, ContextType>;
};

export type EffectiveFeatureResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['EffectiveFeature'] = ResolversParentTypes['EffectiveFeature']> = {
  chain?: Resolver<Array<ResolversTypes['FeatureEntitlementStep']>, ParentType, ContextType>;
  decidedBy?: Resolver<ResolversTypes['EffectiveFeatureSource'], ParentType, ContextType>;
  enabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  feature?: Resolver<ResolversTypes['Feature'], ParentType, ContextType>;
};

export type EffectiveFeaturesResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['EffectiveFeatures'] = ResolversParentTypes['EffectiveFeatures']> = {
  enabledKeys?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  features?: Resolver<Array<ResolversTypes['EffectiveFeature']>, ParentType, ContextType>;
};

export type EffectiveModelResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['EffectiveModel'] = ResolversParentTypes['EffectiveModel']> = {
  aliases?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  model?: Resolver<ResolversTypes['Model'], ParentType, ContextType>;
};

export type EffectiveModelsResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['EffectiveModels'] = ResolversParentTypes['EffectiveModels']> = {
  decidedBy?: Resolver<ResolversTypes['EffectiveModelSource'], ParentType, ContextType>;
  models?: Resolver<Array<ResolversTypes['EffectiveModel']>, ParentType, ContextType>;
};

export type FeatureResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Feature'] = ResolversParentTypes['Feature']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['FeatureStatus'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type FeatureConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['FeatureConnection'] = ResolversParentTypes['FeatureConnection']> = {
  edges?: Resolver<Array<ResolversTypes['FeatureEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Feature']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type FeatureEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['FeatureEdge'] = ResolversParentTypes['FeatureEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Feature'], ParentType, ContextType>;
};

export type FeatureEntitlementResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['FeatureEntitlement'] = ResolversParentTypes['FeatureEntitlement']> = {
  enabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  feature?: Resolver<ResolversTypes['Feature'], ParentType, ContextType>;
  inPack?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  scopeId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  scopeType?: Resolver<ResolversTypes['GrantScopeType'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type FeatureEntitlementStepResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['FeatureEntitlementStep'] = ResolversParentTypes['FeatureEntitlementStep']> = {
  enabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  scopeId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  scopeType?: Resolver<ResolversTypes['GrantScopeType'], ParentType, ContextType>;
};

export type GuardrailPresetResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['GuardrailPreset'] = ResolversParentTypes['GuardrailPreset']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type MarketplaceItemResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['MarketplaceItem'] = ResolversParentTypes['MarketplaceItem']> = {
  agent?: Resolver<Maybe<ResolversTypes['AgentDefinition']>, ParentType, ContextType>;
  connection?: Resolver<Maybe<ResolversTypes['ToolConnection']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  grants?: Resolver<Array<ResolversTypes['AccessGrant']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['MarketplaceItemKind'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  publishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['MarketplaceItemStatus'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MarketplaceItemConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['MarketplaceItemConnection'] = ResolversParentTypes['MarketplaceItemConnection']> = {
  edges?: Resolver<Array<ResolversTypes['MarketplaceItemEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['MarketplaceItem']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type MarketplaceItemEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['MarketplaceItemEdge'] = ResolversParentTypes['MarketplaceItemEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['MarketplaceItem'], ParentType, ContextType>;
};

export type ModelResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Model'] = ResolversParentTypes['Model']> = {
  contextWindow?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  displayName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  inputPricePerMtok?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  isMedia?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['ModelKind'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  outputPricePerMtok?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  priceAt?: Resolver<Maybe<ResolversTypes['ModelPrice']>, ParentType, ContextType, RequireFields<ModelPriceAtArgs, 'at'>>;
  prices?: Resolver<Array<ResolversTypes['ModelPrice']>, ParentType, ContextType>;
  provider?: Resolver<ResolversTypes['Provider'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ModelStatus'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type ModelAliasResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ModelAlias'] = ResolversParentTypes['ModelAlias']> = {
  alias?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  model?: Resolver<ResolversTypes['Model'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type ModelConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ModelConnection'] = ResolversParentTypes['ModelConnection']> = {
  edges?: Resolver<Array<ResolversTypes['ModelEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Model']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ModelEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ModelEdge'] = ResolversParentTypes['ModelEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Model'], ParentType, ContextType>;
};

export type ModelGrantResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ModelGrant'] = ResolversParentTypes['ModelGrant']> = {
  models?: Resolver<Array<ResolversTypes['Model']>, ParentType, ContextType>;
  scopeId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  scopeType?: Resolver<ResolversTypes['GrantScopeType'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type ModelPriceResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ModelPrice'] = ResolversParentTypes['ModelPrice']> = {
  inputPricePerMtok?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  outputPricePerMtok?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  validFrom?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  addAgentGrants?: Resolver<ResolversTypes['AgentDefinition'], ParentType, ContextType, RequireFields<MutationAddAgentGrantsArgs, 'id' | 'scopes'>>;
  addMarketplaceItemGrants?: Resolver<ResolversTypes['MarketplaceItem'], ParentType, ContextType, RequireFields<MutationAddMarketplaceItemGrantsArgs, 'id' | 'scopes'>>;
  addToolConnectionGrants?: Resolver<ResolversTypes['ToolConnection'], ParentType, ContextType, RequireFields<MutationAddToolConnectionGrantsArgs, 'id' | 'scopes'>>;
  archiveMarketplaceItem?: Resolver<ResolversTypes['MarketplaceItem'], ParentType, ContextType, RequireFields<MutationArchiveMarketplaceItemArgs, 'id'>>;
  clearConsoleModelGrant?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationClearConsoleModelGrantArgs, 'scope'>>;
  clearFeatureEntitlement?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationClearFeatureEntitlementArgs, 'featureKey' | 'scope'>>;
  clearModelGrant?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationClearModelGrantArgs, 'scope'>>;
  createAgentDefinition?: Resolver<ResolversTypes['AgentDefinition'], ParentType, ContextType, RequireFields<MutationCreateAgentDefinitionArgs, 'input'>>;
  createFeature?: Resolver<ResolversTypes['Feature'], ParentType, ContextType, RequireFields<MutationCreateFeatureArgs, 'input'>>;
  createMarketplaceItem?: Resolver<ResolversTypes['MarketplaceItem'], ParentType, ContextType, RequireFields<MutationCreateMarketplaceItemArgs, 'input'>>;
  createModel?: Resolver<ResolversTypes['Model'], ParentType, ContextType, RequireFields<MutationCreateModelArgs, 'input'>>;
  createProvider?: Resolver<ResolversTypes['Provider'], ParentType, ContextType, RequireFields<MutationCreateProviderArgs, 'input'>>;
  createToolConnection?: Resolver<ResolversTypes['ToolConnection'], ParentType, ContextType, RequireFields<MutationCreateToolConnectionArgs, 'input'>>;
  deleteAgentDefinition?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteAgentDefinitionArgs, 'id'>>;
  deleteToolConnection?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteToolConnectionArgs, 'id'>>;
  publishMarketplaceItem?: Resolver<ResolversTypes['MarketplaceItem'], ParentType, ContextType, RequireFields<MutationPublishMarketplaceItemArgs, 'id'>>;
  removeAgentGrants?: Resolver<ResolversTypes['AgentDefinition'], ParentType, ContextType, RequireFields<MutationRemoveAgentGrantsArgs, 'id' | 'scopes'>>;
  removeMarketplaceItemGrants?: Resolver<ResolversTypes['MarketplaceItem'], ParentType, ContextType, RequireFields<MutationRemoveMarketplaceItemGrantsArgs, 'id' | 'scopes'>>;
  removeModelAlias?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationRemoveModelAliasArgs, 'alias'>>;
  removeToolConnectionGrants?: Resolver<ResolversTypes['ToolConnection'], ParentType, ContextType, RequireFields<MutationRemoveToolConnectionGrantsArgs, 'id' | 'scopes'>>;
  replaceMarketplaceItemGrants?: Resolver<ResolversTypes['MarketplaceItem'], ParentType, ContextType, RequireFields<MutationReplaceMarketplaceItemGrantsArgs, 'id' | 'scopes'>>;
  rotateConnectionSecrets?: Resolver<ResolversTypes['SecretRotation'], ParentType, ContextType>;
  setConsoleModelGrant?: Resolver<ResolversTypes['ConsoleModelGrant'], ParentType, ContextType, RequireFields<MutationSetConsoleModelGrantArgs, 'modelIds' | 'scope'>>;
  setConsoleModelPolicy?: Resolver<Array<ResolversTypes['Model']>, ParentType, ContextType, RequireFields<MutationSetConsoleModelPolicyArgs, 'modelIds'>>;
  setEligibleModels?: Resolver<Array<ResolversTypes['Model']>, ParentType, ContextType, RequireFields<MutationSetEligibleModelsArgs, 'modelIds'>>;
  setFeatureEntitlement?: Resolver<ResolversTypes['FeatureEntitlement'], ParentType, ContextType, RequireFields<MutationSetFeatureEntitlementArgs, 'enabled' | 'featureKey' | 'scope'>>;
  setFeaturePack?: Resolver<Array<ResolversTypes['Feature']>, ParentType, ContextType, RequireFields<MutationSetFeaturePackArgs, 'featureKeys'>>;
  setModelAlias?: Resolver<ResolversTypes['ModelAlias'], ParentType, ContextType, RequireFields<MutationSetModelAliasArgs, 'alias' | 'modelId'>>;
  setModelGrant?: Resolver<ResolversTypes['ModelGrant'], ParentType, ContextType, RequireFields<MutationSetModelGrantArgs, 'modelIds' | 'scope'>>;
  unpublishMarketplaceItem?: Resolver<ResolversTypes['MarketplaceItem'], ParentType, ContextType, RequireFields<MutationUnpublishMarketplaceItemArgs, 'id'>>;
  updateAgentDefinition?: Resolver<ResolversTypes['AgentDefinition'], ParentType, ContextType, RequireFields<MutationUpdateAgentDefinitionArgs, 'id' | 'input'>>;
  updateFeature?: Resolver<ResolversTypes['Feature'], ParentType, ContextType, RequireFields<MutationUpdateFeatureArgs, 'input' | 'key'>>;
  updateMarketplaceItem?: Resolver<ResolversTypes['MarketplaceItem'], ParentType, ContextType, RequireFields<MutationUpdateMarketplaceItemArgs, 'id' | 'input'>>;
  updateModel?: Resolver<ResolversTypes['Model'], ParentType, ContextType, RequireFields<MutationUpdateModelArgs, 'id' | 'input'>>;
  updateProvider?: Resolver<ResolversTypes['Provider'], ParentType, ContextType, RequireFields<MutationUpdateProviderArgs, 'id' | 'input'>>;
  updateToolConnection?: Resolver<ResolversTypes['ToolConnection'], ParentType, ContextType, RequireFields<MutationUpdateToolConnectionArgs, 'id' | 'input'>>;
};

export type OrgResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Org'] = ResolversParentTypes['Org'], FederationReferenceType extends FederationReferenceTypes['Org'] = FederationReferenceTypes['Org']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Org']> | FederationReferenceType, FederationReferenceType, ContextType>;
  consoleModelGrant?: Resolver<Maybe<ResolversTypes['ConsoleModelGrant']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  modelGrant?: Resolver<Maybe<ResolversTypes['ModelGrant']>, ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type ProviderResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Provider'] = ResolversParentTypes['Provider']> = {
  baseUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['ProviderKind'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ProviderStatus'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type ProviderConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ProviderConnection'] = ResolversParentTypes['ProviderConnection']> = {
  edges?: Resolver<Array<ResolversTypes['ProviderEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Provider']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ProviderEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ProviderEdge'] = ResolversParentTypes['ProviderEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Provider'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  agentDefinition?: Resolver<ResolversTypes['AgentDefinition'], ParentType, ContextType, RequireFields<QueryAgentDefinitionArgs, 'id'>>;
  agentDefinitions?: Resolver<Array<ResolversTypes['AgentDefinition']>, ParentType, ContextType>;
  consoleModelGrants?: Resolver<Array<ResolversTypes['ConsoleModelGrant']>, ParentType, ContextType>;
  effectiveConsoleModels?: Resolver<ResolversTypes['EffectiveConsoleModels'], ParentType, ContextType>;
  effectiveConsoleModelsOf?: Resolver<ResolversTypes['EffectiveConsoleModels'], ParentType, ContextType, RequireFields<QueryEffectiveConsoleModelsOfArgs, 'userId'>>;
  effectiveFeatures?: Resolver<ResolversTypes['EffectiveFeatures'], ParentType, ContextType>;
  effectiveFeaturesOf?: Resolver<ResolversTypes['EffectiveFeatures'], ParentType, ContextType, RequireFields<QueryEffectiveFeaturesOfArgs, 'userId'>>;
  effectiveModels?: Resolver<ResolversTypes['EffectiveModels'], ParentType, ContextType>;
  effectiveModelsOf?: Resolver<ResolversTypes['EffectiveModels'], ParentType, ContextType, RequireFields<QueryEffectiveModelsOfArgs, 'userId'>>;
  feature?: Resolver<Maybe<ResolversTypes['Feature']>, ParentType, ContextType, RequireFields<QueryFeatureArgs, 'key'>>;
  featureEntitlements?: Resolver<Array<ResolversTypes['FeatureEntitlement']>, ParentType, ContextType>;
  features?: Resolver<ResolversTypes['FeatureConnection'], ParentType, ContextType, Partial<QueryFeaturesArgs>>;
  marketplace?: Resolver<ResolversTypes['MarketplaceItemConnection'], ParentType, ContextType, Partial<QueryMarketplaceArgs>>;
  marketplaceItem?: Resolver<ResolversTypes['MarketplaceItem'], ParentType, ContextType, RequireFields<QueryMarketplaceItemArgs, 'id'>>;
  marketplaceItems?: Resolver<ResolversTypes['MarketplaceItemConnection'], ParentType, ContextType, Partial<QueryMarketplaceItemsArgs>>;
  model?: Resolver<Maybe<ResolversTypes['Model']>, ParentType, ContextType, RequireFields<QueryModelArgs, 'id'>>;
  modelGrants?: Resolver<Array<ResolversTypes['ModelGrant']>, ParentType, ContextType>;
  models?: Resolver<ResolversTypes['ModelConnection'], ParentType, ContextType, Partial<QueryModelsArgs>>;
  myAgents?: Resolver<Array<ResolversTypes['AgentDefinition']>, ParentType, ContextType>;
  myToolConnections?: Resolver<Array<ResolversTypes['ToolConnection']>, ParentType, ContextType>;
  provider?: Resolver<Maybe<ResolversTypes['Provider']>, ParentType, ContextType, RequireFields<QueryProviderArgs, 'id'>>;
  providers?: Resolver<ResolversTypes['ProviderConnection'], ParentType, ContextType, Partial<QueryProvidersArgs>>;
  resolveModel?: Resolver<Maybe<ResolversTypes['EffectiveModel']>, ParentType, ContextType, RequireFields<QueryResolveModelArgs, 'name'>>;
  toolConnection?: Resolver<ResolversTypes['ToolConnection'], ParentType, ContextType, RequireFields<QueryToolConnectionArgs, 'id'>>;
  toolConnections?: Resolver<Array<ResolversTypes['ToolConnection']>, ParentType, ContextType>;
};

export type SecretRotationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SecretRotation'] = ResolversParentTypes['SecretRotation']> = {
  accounts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  keyId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  rotated?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TeamResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Team'] = ResolversParentTypes['Team'], FederationReferenceType extends FederationReferenceTypes['Team'] = FederationReferenceTypes['Team']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Team']> | FederationReferenceType, FederationReferenceType, ContextType>;
  consoleModelGrant?: Resolver<Maybe<ResolversTypes['ConsoleModelGrant']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  modelGrant?: Resolver<Maybe<ResolversTypes['ModelGrant']>, ParentType, ContextType>;
};

export type ToolConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ToolConnection'] = ResolversParentTypes['ToolConnection']> = {
  config?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  grants?: Resolver<Array<ResolversTypes['AccessGrant']>, ParentType, ContextType>;
  hasSecret?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  secretFields?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['ToolConnectionType'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type UserResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User'], FederationReferenceType extends FederationReferenceTypes['User'] = FederationReferenceTypes['User']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['User']> | FederationReferenceType, FederationReferenceType, ContextType>;
  agents?: Resolver<Array<ResolversTypes['AgentDefinition']>, ParentType, ContextType>;
  consoleModelGrant?: Resolver<Maybe<ResolversTypes['ConsoleModelGrant']>, ParentType, ContextType>;
  effectiveConsoleModels?: Resolver<Maybe<ResolversTypes['EffectiveConsoleModels']>, ParentType, ContextType>;
  effectiveFeatures?: Resolver<Maybe<ResolversTypes['EffectiveFeatures']>, ParentType, ContextType>;
  effectiveModels?: Resolver<Maybe<ResolversTypes['EffectiveModels']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  modelGrant?: Resolver<Maybe<ResolversTypes['ModelGrant']>, ParentType, ContextType>;
  toolConnections?: Resolver<Array<ResolversTypes['ToolConnection']>, ParentType, ContextType>;
};

export type Resolvers<ContextType = RequestContext> = {
  AccessGrant?: AccessGrantResolvers<ContextType>;
  Account?: AccountResolvers<ContextType>;
  AgentDefinition?: AgentDefinitionResolvers<ContextType>;
  ConsoleModelGrant?: ConsoleModelGrantResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Decimal?: GraphQLScalarType;
  EffectiveConsoleModels?: EffectiveConsoleModelsResolvers<ContextType>;
  EffectiveFeature?: EffectiveFeatureResolvers<ContextType>;
  EffectiveFeatures?: EffectiveFeaturesResolvers<ContextType>;
  EffectiveModel?: EffectiveModelResolvers<ContextType>;
  EffectiveModels?: EffectiveModelsResolvers<ContextType>;
  Feature?: FeatureResolvers<ContextType>;
  FeatureConnection?: FeatureConnectionResolvers<ContextType>;
  FeatureEdge?: FeatureEdgeResolvers<ContextType>;
  FeatureEntitlement?: FeatureEntitlementResolvers<ContextType>;
  FeatureEntitlementStep?: FeatureEntitlementStepResolvers<ContextType>;
  GuardrailPreset?: GuardrailPresetResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  MarketplaceItem?: MarketplaceItemResolvers<ContextType>;
  MarketplaceItemConnection?: MarketplaceItemConnectionResolvers<ContextType>;
  MarketplaceItemEdge?: MarketplaceItemEdgeResolvers<ContextType>;
  Model?: ModelResolvers<ContextType>;
  ModelAlias?: ModelAliasResolvers<ContextType>;
  ModelConnection?: ModelConnectionResolvers<ContextType>;
  ModelEdge?: ModelEdgeResolvers<ContextType>;
  ModelGrant?: ModelGrantResolvers<ContextType>;
  ModelPrice?: ModelPriceResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Org?: OrgResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Provider?: ProviderResolvers<ContextType>;
  ProviderConnection?: ProviderConnectionResolvers<ContextType>;
  ProviderEdge?: ProviderEdgeResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  SecretRotation?: SecretRotationResolvers<ContextType>;
  Team?: TeamResolvers<ContextType>;
  ToolConnection?: ToolConnectionResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = RequestContext> = {
  authorize?: AuthorizeDirectiveResolver<any, any, ContextType>;
};
