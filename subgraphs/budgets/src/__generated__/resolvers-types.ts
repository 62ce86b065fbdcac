import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { BudgetPlan as BudgetPlanEntity } from '../plans/plan.entity';
import type { NodeFigures } from '../allocations/allocation.repository';
import type { UsageRecord as UsageRecordEntity } from '../usage/usage.entity';
import type { Placement as OrgPlacement, Placement as TeamPlacement, Placement as UserPlacement } from '../directory/placement.loader';
import type { CycleSummary } from '../cycles/cycle.service';
import type { Connection, RequestContext } from '@cockpit/kit';
import type { AlertRow } from '../alerts/alert.repository';
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

export type Account = {
  __typename?: 'Account';
  /** The account's plan; null until a super admin sets one. */
  budgetPlan?: Maybe<BudgetPlan>;
  id: Scalars['ID']['output'];
};

export type AllocateCreditsInput = {
  /** Credits per cycle, at least 0, at most 4 decimal places. */
  amount: Scalars['Decimal']['input'];
  /** An org, team or user of the Copilot tree of the account; NOT_FOUND for an unknown or another account's id. */
  scopeId: Scalars['ID']['input'];
  scopeType: AllocationScopeType;
  /**
   * For a user in several teams: the team the allocation sits under (must be one of theirs; default the team they
   * joined first). Ignored for orgs and teams.
   */
  teamId?: InputMaybe<Scalars['ID']['input']>;
};

/** The nodes of the Copilot tree an admin allocates credits to (BU2). */
export type AllocationScopeType =
  | 'ORG'
  | 'TEAM'
  | 'USER';

export type AuthScope =
  | 'ACCOUNT'
  | 'ACCOUNT_OR_PLATFORM'
  | 'PLATFORM'
  | 'SELF';

export type AuthorizeSpendInput = {
  /** The estimated cost; its credits are cost × creditFactor. */
  cost: Scalars['Decimal']['input'];
  teamId?: InputMaybe<Scalars['ID']['input']>;
  userId?: InputMaybe<Scalars['ID']['input']>;
};

/**
 * A threshold a level crossed in one cycle (BU9): recorded once per level, node, threshold and cycle by the debit that
 * first brought the level's used credits to it, and audited as `budget.threshold_crossed` (so live subscribers of
 * `events` receive it). The account's limit here is its monthly credits (100 %: the overflow begins); every other
 * level's is its allocation. A new cycle alerts afresh.
 */
export type BudgetAlert = {
  __typename?: 'BudgetAlert';
  /** The start of the cycle it was crossed in. */
  cycleStart: Scalars['DateTime']['output'];
  /** When the crossing debit was recorded. */
  emittedAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** The level's limit when it crossed. */
  limit: Scalars['Decimal']['output'];
  scopeId: Scalars['ID']['output'];
  scopeType: BudgetScopeType;
  /** Percent of the limit: 80 or 100. */
  threshold: Scalars['Int']['output'];
  /** The level's used credits in the cycle right after the debit that crossed. */
  used: Scalars['Decimal']['output'];
};

export type BudgetAlertConnection = {
  __typename?: 'BudgetAlertConnection';
  edges: Array<BudgetAlertEdge>;
  nodes: Array<BudgetAlert>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type BudgetAlertEdge = {
  __typename?: 'BudgetAlertEdge';
  cursor: Scalars['String']['output'];
  node: BudgetAlert;
};

/** Narrows the alerts; every given field must match. */
export type BudgetAlertFilter = {
  /** The start of a cycle (see budgetCycles). */
  cycleStart?: InputMaybe<Scalars['DateTime']['input']>;
  scopeType?: InputMaybe<BudgetScopeType>;
};

/** One level of a user's chain and its figures. */
export type BudgetChainLevel = {
  __typename?: 'BudgetChainLevel';
  /** Whether this level holds an explicit allocation (the account always does). */
  explicit: Scalars['Boolean']['output'];
  /** The level's bound: its allocation (the account: monthly credits + overflow); null when not explicit. */
  limit?: Maybe<Scalars['Decimal']['output']>;
  /** limit − used, never below 0; null when not explicit. */
  remaining?: Maybe<Scalars['Decimal']['output']>;
  scopeId: Scalars['ID']['output'];
  scopeType: BudgetScopeType;
  used: Scalars['Decimal']['output'];
};

/**
 * How often an account's credits reset (BU7). At the cycle's end every balance rolls over: the next debit of each
 * level starts the new cycle from 0 used, with the level's full allocation; past cycles keep their figures.
 */
export type BudgetCycle =
  | 'MONTHLY'
  | 'QUARTERLY'
  | 'YEARLY';

export type BudgetCycleConnection = {
  __typename?: 'BudgetCycleConnection';
  edges: Array<BudgetCycleEdge>;
  nodes: Array<BudgetCycleSummary>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type BudgetCycleEdge = {
  __typename?: 'BudgetCycleEdge';
  cursor: Scalars['String']['output'];
  node: BudgetCycleSummary;
};

/**
 * One cycle of the account's plan (BU7): its window and the account's totals in it. The current cycle is listed as soon
 * as it begins; a past one when anything was written in it.
 */
export type BudgetCycleSummary = {
  __typename?: 'BudgetCycleSummary';
  /** Whether it is the cycle the clock is in now. */
  current: Scalars['Boolean']['output'];
  /** The cycle length it runs under. */
  cycle: BudgetCycle;
  /** The first instant after it (the next cycle's start). A plan's cycle change moves the current cycle's end. */
  end: Scalars['DateTime']['output'];
  /** The account's bound in the cycle (monthly credits + overflow); null when nothing in the cycle was bounded (CONSOLE usage only). */
  limit?: Maybe<Scalars['Decimal']['output']>;
  /** limit − used, never below 0; null with the limit. */
  remaining?: Maybe<Scalars['Decimal']['output']>;
  /** The first instant of the cycle: pass it as `cycle` to budgetNode or a node's budget for that cycle's figures. */
  start: Scalars['DateTime']['output'];
  /** Credits the account's COPILOT usage used in the cycle. */
  used: Scalars['Decimal']['output'];
};

/**
 * One node's credits in the current cycle. Only the account and nodes with an explicit allocation are bounded;
 * every other node is tracked (used) and bounded by its nearest allocated ancestor.
 */
export type BudgetNode = {
  __typename?: 'BudgetNode';
  /** The explicit allocation (the account: its plan's monthly credits); null when the node has none. */
  allocated?: Maybe<Scalars['Decimal']['output']>;
  /** The start of the cycle these figures are of; null when the account has no plan. */
  cycleStart?: Maybe<Scalars['DateTime']['output']>;
  /** The nearest explicit level of the node's chain (itself when allocated; a user's chain runs through the team they joined first), in the current cycle. */
  effective: BudgetChainLevel;
  /** allocated − used (the account: monthly credits + overflow − used), never below 0; null when the node is unbounded. */
  remaining?: Maybe<Scalars['Decimal']['output']>;
  scopeId: Scalars['ID']['output'];
  scopeType: BudgetScopeType;
  /**
   * What is left of `allocated` after the allocations placed directly beneath this node: its nearest-allocated
   * descendants (a team's users, an org's teams and the users of its unallocated teams, the account's orgs and the
   * rest). Null when the node has no allocation.
   */
  unallocated?: Maybe<Scalars['Decimal']['output']>;
  /** Credits spent in the current cycle by usage attributed to this node. */
  used: Scalars['Decimal']['output'];
};

/**
 * An account's plan (BU1): the credits it receives each cycle. Set by a super admin; account roles read it.
 * The monthly credits are the account's pool: admins allocate them to orgs, teams and users (BU2). Spending
 * stops when the account has used monthly credits + overflow limit in the current cycle (BU6).
 */
export type BudgetPlan = {
  __typename?: 'BudgetPlan';
  accountId: Scalars['ID']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** credits = cost × creditFactor, computed exactly (PostgreSQL numeric). Greater than 0, at most 6 decimal places. */
  creditFactor: Scalars['Decimal']['output'];
  /**
   * The cycle length. Changing it keeps the current cycle's start and what it used: the cycle then ends one new length
   * after that start (MONTHLY → QUARTERLY: a cycle that began on Feb 1 now ends on May 1), or — when that moment has
   * passed already (a shorter cycle) — at the change, and the next cycle starts then. Past cycles keep their windows.
   */
  cycle: BudgetCycle;
  /** What cycles are counted from: when the plan was first set, or the start of the cycle its length last changed in. */
  cycleAnchor: Scalars['DateTime']['output'];
  /** Credits granted per cycle: the pool allocations are carved from. At most 16 digits before and 4 after the point. */
  monthlyCredits: Scalars['Decimal']['output'];
  /** Credits that may be spent beyond the allocation before a hard stop. */
  overflowLimit: Scalars['Decimal']['output'];
  updatedAt: Scalars['DateTime']['output'];
};

/** A level of the budget chain user → team → org → account (BU4). */
export type BudgetScopeType =
  | 'ACCOUNT'
  | 'ORG'
  | 'TEAM'
  | 'USER';

export type CostBreakdown = {
  __typename?: 'CostBreakdown';
  /** One row per group, ordered by day, org, team, user, model, domain (nulls last); empty when groupBy is empty. */
  rows: Array<CostBreakdownRow>;
  /** The sums over every record of the range and filter: equal to the sum of the rows, to the last decimal. */
  totals: CostFigures;
};

/** Narrows a breakdown; an id of another account (or not an id) matches nothing. */
export type CostBreakdownFilter = {
  domain?: InputMaybe<UsageDomain>;
  /** The usage's model exactly as recorded. */
  model?: InputMaybe<Scalars['String']['input']>;
  orgId?: InputMaybe<Scalars['ID']['input']>;
  teamId?: InputMaybe<Scalars['ID']['input']>;
  userId?: InputMaybe<Scalars['ID']['input']>;
};

/**
 * One group of a cost breakdown: its keys (those grouped by; the others null) and figures. An ORG/TEAM/USER key is
 * null for usage not attributed to one (account-level usage, a user in no team).
 */
export type CostBreakdownRow = {
  __typename?: 'CostBreakdownRow';
  cost: Scalars['Decimal']['output'];
  count: Scalars['Int']['output'];
  credits: Scalars['Decimal']['output'];
  /** YYYY-MM-DD, a UTC day. */
  day?: Maybe<Scalars['String']['output']>;
  domain?: Maybe<UsageDomain>;
  inputTokens: Scalars['Decimal']['output'];
  model?: Maybe<Scalars['String']['output']>;
  /** The org as an entity (its name from identity); null when not grouped by ORG, or the org is gone. */
  org?: Maybe<Org>;
  orgId?: Maybe<Scalars['ID']['output']>;
  outputTokens: Scalars['Decimal']['output'];
  team?: Maybe<Team>;
  teamId?: Maybe<Scalars['ID']['output']>;
  user?: Maybe<User>;
  userId?: Maybe<Scalars['ID']['output']>;
};

/** What a group of usage records (or all of them) adds up to, exactly. */
export type CostFigures = {
  __typename?: 'CostFigures';
  cost: Scalars['Decimal']['output'];
  /** How many usage records. */
  count: Scalars['Int']['output'];
  credits: Scalars['Decimal']['output'];
  /** Sums of token counts (exact integers, as decimals: they can pass the 32-bit Int). */
  inputTokens: Scalars['Decimal']['output'];
  outputTokens: Scalars['Decimal']['output'];
};

/** A key the cost breakdown groups by (BU8). */
export type CostGroupBy =
  /** The UTC calendar day of the record's time (createdAt), as YYYY-MM-DD. */
  | 'DAY'
  | 'DOMAIN'
  | 'MODEL'
  | 'ORG'
  | 'TEAM'
  | 'USER';

/** A half-open time range [from, to): records at `from` count, records at `to` do not. At most 400 days. */
export type CostRangeInput = {
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
};

export type DistributeCreditsInput = {
  /** The account's, org's or team's id. */
  scopeId: Scalars['ID']['input'];
  /** ACCOUNT: its orgs share the monthly credits; ORG: its teams share its allocation; TEAM: its members share its allocation. */
  scopeType: DistributionScopeType;
};

/** A node whose credits are shared among its children (BU3). */
export type DistributionScopeType =
  | 'ACCOUNT'
  | 'ORG'
  | 'TEAM';

/**
 * A user's effective allocation (BU4): the nearest explicit allocation up user → team → org → account, with the
 * chain that produced it. A user in several teams is placed under the team asked for (it must be one of theirs) or,
 * when none is named, the team they joined first; that team's org follows.
 */
export type EffectiveAllocation = {
  __typename?: 'EffectiveAllocation';
  /** The explicit level whose remaining is `spendable` (the nearest one on a tie). */
  bindingLevel: BudgetChainLevel;
  /** The chain from the user up to the account, nearest first. */
  chain: Array<BudgetChainLevel>;
  /** The org of that team; null for a user in no team. */
  orgId?: Maybe<Scalars['ID']['output']>;
  /** The nearest level with an explicit allocation. */
  source: BudgetChainLevel;
  /** What the user may still spend this cycle: the least remaining over every explicit level of the chain. */
  spendable: Scalars['Decimal']['output'];
  /** The team the chain runs through; null for a user in no team. */
  teamId?: Maybe<Scalars['ID']['output']>;
  userId: Scalars['ID']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Gives an org, team or user of the Copilot tree an allocation (ADMIN), replacing its previous one. VALIDATION_ERROR
   * when the node's parent (its nearest allocated ancestor, else the account's monthly credits) would be exceeded by
   * its children, or the node's own children would exceed the new amount: details name the node, the requested
   * amount, what was available and the shortfall. NOT_FOUND for an unknown or another account's node.
   */
  allocateCredits: BudgetNode;
  /**
   * Shares a node's credits equally among its direct children in the Copilot tree (BU3, ADMIN), replacing their
   * allocations; users with an override keep theirs and the others share the rest. Remainder rule: shares are whole
   * 0.0001 credits and the 0.0001s left over go one each to the first children in id order (the oldest first).
   * VALIDATION_ERROR when the node has no credits or no children, its overrides exceed it, or a child's share falls
   * below what is allocated beneath that child. Answers the children's figures, in id order.
   */
  distributeCreditsEqually: Array<BudgetNode>;
  /**
   * Records a spend (BU5) and debits it from every level of the chain user → team → org → account in one transaction
   * (BU6): each level with an explicit allocation bounds everything beneath it, the account is bounded by monthly
   * credits + overflow. A level without room answers FORBIDDEN with details { reason: BUDGET_EXCEEDED, level, scopeId,
   * limit, used, remaining, requested } and nothing is recorded. A repeated idempotency key returns the first record.
   * END_USER callers, agents and services (usage.write).
   */
  recordUsage: RecordUsageResult;
  /**
   * The batch form of recordUsage (1 to 100 records) for runtime services: each record is recorded in its own
   * transaction, in order, so a denied or invalid one fails alone and its error stands in its place.
   */
  recordUsageBatch: Array<RecordUsageBatchItem>;
  /**
   * Removes a node's explicit allocation (ADMIN): the node falls back to its chain, bounded by its nearest allocated
   * ancestor (user → team → org → account), whose unallocated remainder grows back by the amount. Usage already
   * recorded this cycle stays counted; allocations beneath the node (per-user overrides included) stay and are placed
   * under that ancestor (VALIDATION_ERROR if they would exceed it). NOT_FOUND for an unknown or another account's
   * node, or a node without an explicit allocation. Audited as budget.allocation.removed. Returns the node's figures.
   */
  removeAllocation: BudgetNode;
  /** Sets a user's allocation as an override (BU3, ADMIN): an allocateCredits that equal distribution leaves alone. */
  setAllocationOverride: BudgetNode;
  /**
   * Sets the plan of the account named by X-Account-Id (super admin; account roles answer FORBIDDEN). VALIDATION_ERROR
   * naming each field for a negative or over-precise amount.
   */
  setBudgetPlan: BudgetPlan;
};


export type MutationAllocateCreditsArgs = {
  input: AllocateCreditsInput;
};


export type MutationDistributeCreditsEquallyArgs = {
  input: DistributeCreditsInput;
};


export type MutationRecordUsageArgs = {
  input: RecordUsageInput;
};


export type MutationRecordUsageBatchArgs = {
  inputs: Array<RecordUsageInput>;
};


export type MutationRemoveAllocationArgs = {
  input: RemoveAllocationInput;
};


export type MutationSetAllocationOverrideArgs = {
  input: SetAllocationOverrideInput;
};


export type MutationSetBudgetPlanArgs = {
  input: SetBudgetPlanInput;
};

export type Org = {
  __typename?: 'Org';
  /**
   * The org's credits this cycle (allocation.read); null for a Console org. `cycle`: the start of a past cycle (see
   * budgetCycles) for its figures then — used, and the bound the cycle ended with (`unallocated` null).
   */
  budget?: Maybe<BudgetNode>;
  id: Scalars['ID']['output'];
};


export type OrgBudgetArgs = {
  cycle?: InputMaybe<Scalars['DateTime']['input']>;
};

/** Relay page information. */
export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

export type Query = {
  __typename?: 'Query';
  /**
   * The check before a spend (BU6): FORBIDDEN with details { reason: BUDGET_EXCEEDED, level, scopeId, limit, used,
   * remaining, requested } naming the nearest level without room, as recordUsage would; nothing is reserved.
   */
  authorizeSpend: SpendAuthorization;
  /** The account's threshold alerts (BU9), newest first. */
  budgetAlerts: BudgetAlertConnection;
  /** The account's cycles (BU7), newest first: the current one and every past one with its totals. */
  budgetCycles: BudgetCycleConnection;
  /**
   * One node's credits (ACCOUNT: scopeId is the account's id). NOT_FOUND for an unknown or another account's node.
   * `cycle`: the start of one of the account's cycles (budgetCycles) for the node's figures in it; a past cycle shows
   * used and the bound it ended with (`unallocated` null). VALIDATION_ERROR for a time that starts no cycle of the account.
   */
  budgetNode: BudgetNode;
  /** The plan of the account the request acts on. */
  budgetPlan?: Maybe<BudgetPlan>;
  /**
   * The cost breakdown (BU8) of the account's usage records in [range.from, range.to), grouped by the given keys, with
   * exact totals (one SQL aggregate in numeric). VALIDATION_ERROR on `range` when from is not before to or the range
   * passes 400 days, on `groupBy` past 5,000 rows. Account roles (VIEWER and up).
   */
  costBreakdown: CostBreakdown;
  /** A user's effective allocation (BU4); teamId picks the team of a user in several (VALIDATION_ERROR if not theirs). */
  effectiveAllocation: EffectiveAllocation;
  /**
   * The caller's own cost breakdown: costBreakdown restricted to the usage records of the directory user the caller's
   * login or user-bound key maps to (END_USER and every account role, costs.readOwn), with the same shape, ordering,
   * limits and exact totals. The filter narrows within those records only: a `filter.userId` naming another user is
   * VALIDATION_ERROR on `filter.userId` (it never widens the breakdown). NOT_FOUND when the caller maps to no directory
   * user (an agent, a service, a login without one).
   */
  myCostBreakdown: CostBreakdown;
  /** The caller's effective allocation, through the directory user its login or key maps to; NOT_FOUND when none. */
  myEffectiveAllocation: EffectiveAllocation;
};


export type QueryAuthorizeSpendArgs = {
  input: AuthorizeSpendInput;
};


export type QueryBudgetAlertsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<BudgetAlertFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryBudgetCyclesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryBudgetNodeArgs = {
  cycle?: InputMaybe<Scalars['DateTime']['input']>;
  scopeId: Scalars['ID']['input'];
  scopeType: BudgetScopeType;
};


export type QueryCostBreakdownArgs = {
  filter?: InputMaybe<CostBreakdownFilter>;
  groupBy: Array<CostGroupBy>;
  range: CostRangeInput;
};


export type QueryEffectiveAllocationArgs = {
  teamId?: InputMaybe<Scalars['ID']['input']>;
  userId: Scalars['ID']['input'];
};


export type QueryMyCostBreakdownArgs = {
  filter?: InputMaybe<CostBreakdownFilter>;
  groupBy: Array<CostGroupBy>;
  range: CostRangeInput;
};


export type QueryMyEffectiveAllocationArgs = {
  teamId?: InputMaybe<Scalars['ID']['input']>;
};

/** One record of recordUsageBatch, in the order sent. */
export type RecordUsageBatchItem = {
  __typename?: 'RecordUsageBatchItem';
  error?: Maybe<UsageError>;
  /** Null when the record failed (see error). */
  record?: Maybe<UsageRecord>;
  replayed: Scalars['Boolean']['output'];
};

export type RecordUsageInput = {
  /**
   * The spend's cost, at least 0, at most 8 decimal places. Omitted: computed from the catalog's price for the model in
   * force now — (inputTokens × input price + outputTokens × output price) / 1,000,000, rounded half up to 8 places —
   * and the price is kept on the record. A model with no catalog price (unknown name or alias, or no price then)
   * answers VALIDATION_ERROR on `cost` naming the model; eligibility plays no part (a price is a fact of the catalog,
   * which models an account may use is catalog's governance). When the catalog cannot be asked the write fails with
   * UPSTREAM_ERROR and nothing is recorded or debited.
   */
  cost?: InputMaybe<Scalars['Decimal']['input']>;
  domain: UsageDomain;
  /** 1 to 200 characters, unique per account; a retry sends the same key. */
  idempotencyKey: Scalars['String']['input'];
  inputTokens: Scalars['Int']['input'];
  /**
   * The model used: a catalog model's name or an alias of the account (CA5) when the cost is omitted (matched trimmed,
   * lowercase); any name up to 200 characters when the cost is given.
   */
  model: Scalars['String']['input'];
  outputTokens: Scalars['Int']['input'];
  /** The user's team the usage counts against (must be one of theirs); default the team they joined first. */
  teamId?: InputMaybe<Scalars['ID']['input']>;
  /**
   * The user who spent (services, agents and admins). A credential mapped to a directory user (a login, a user-bound
   * key) always spends as that user: naming another is FORBIDDEN. Omitted by a service: account-level usage.
   */
  userId?: InputMaybe<Scalars['ID']['input']>;
};

export type RecordUsageResult = {
  __typename?: 'RecordUsageResult';
  record: UsageRecord;
  /** True when the idempotency key was already used: the first record is returned and nothing is debited. */
  replayed: Scalars['Boolean']['output'];
};

/** The node whose explicit allocation removeAllocation deletes. */
export type RemoveAllocationInput = {
  scopeId: Scalars['ID']['input'];
  scopeType: AllocationScopeType;
  /** For a user in several teams: the team the allocation sits under (default the team they joined first). */
  teamId?: InputMaybe<Scalars['ID']['input']>;
};

export type SetAllocationOverrideInput = {
  /** Credits per cycle, at least 0, at most 4 decimal places. */
  amount: Scalars['Decimal']['input'];
  /** true: equal distribution leaves this amount alone; false: the user shares again at the next distribution. */
  override: Scalars['Boolean']['input'];
  /** For a user in several teams: the team the allocation sits under (default the team they joined first). */
  teamId?: InputMaybe<Scalars['ID']['input']>;
  userId: Scalars['ID']['input'];
};

export type SetBudgetPlanInput = {
  creditFactor: Scalars['Decimal']['input'];
  cycle: BudgetCycle;
  monthlyCredits: Scalars['Decimal']['input'];
  overflowLimit: Scalars['Decimal']['input'];
};

/** The answer of authorizeSpend when every level has room. */
export type SpendAuthorization = {
  __typename?: 'SpendAuthorization';
  bindingLevel: BudgetChainLevel;
  chain: Array<BudgetChainLevel>;
  /** What the estimate is worth in credits. */
  credits: Scalars['Decimal']['output'];
  /** The least remaining over the explicit levels of the chain. */
  spendable: Scalars['Decimal']['output'];
};

export type Team = {
  __typename?: 'Team';
  /**
   * The team's credits this cycle (allocation.read); null for a Console team. `cycle`: the start of a past cycle (see
   * budgetCycles) for its figures then — used, and the bound the cycle ended with (`unallocated` null).
   */
  budget?: Maybe<BudgetNode>;
  id: Scalars['ID']['output'];
};


export type TeamBudgetArgs = {
  cycle?: InputMaybe<Scalars['DateTime']['input']>;
};

/** Where a spend is recorded: COPILOT usage is bounded by the allocations; CONSOLE (BYOK) usage is recorded for spend visibility. */
export type UsageDomain =
  | 'CONSOLE'
  | 'COPILOT';

/** Why one record of a batch was not recorded: the error recordUsage would have answered. */
export type UsageError = {
  __typename?: 'UsageError';
  code: Scalars['String']['output'];
  /** Field → problem, or the denial's figures (reason, level, scopeId, limit, used, remaining, requested). */
  details?: Maybe<Scalars['JSON']['output']>;
  message: Scalars['String']['output'];
};

/**
 * The catalog price a usage was charged at (BU5): a later price change leaves it, and the record's cost, as they were.
 * cost = (inputTokens × inputPricePerMtok + outputTokens × outputPricePerMtok) / 1,000,000, rounded half up to 8 places.
 */
export type UsagePrice = {
  __typename?: 'UsagePrice';
  inputPricePerMtok: Scalars['Decimal']['output'];
  /** The catalog model the usage's `model` named (by its name or an alias of the account). */
  modelId: Scalars['ID']['output'];
  outputPricePerMtok: Scalars['Decimal']['output'];
  /** When this price took effect in the catalog's price history. */
  validFrom: Scalars['DateTime']['output'];
};

/** One spend reported by a runtime (BU5). */
export type UsageRecord = {
  __typename?: 'UsageRecord';
  cost: Scalars['Decimal']['output'];
  /** When it was recorded: the time a computed cost was priced at, and the time the cost breakdown (BU8) files it under. */
  createdAt: Scalars['DateTime']['output'];
  /** The plan's credit factor when it was recorded. */
  creditFactor: Scalars['Decimal']['output'];
  /** cost × creditFactor, exactly. */
  credits: Scalars['Decimal']['output'];
  /** The start of the cycle it counts in. */
  cycleStart: Scalars['DateTime']['output'];
  domain: UsageDomain;
  id: Scalars['ID']['output'];
  /** Unique per account: a repeat returns this record. */
  idempotencyKey: Scalars['String']['output'];
  inputTokens: Scalars['Int']['output'];
  model: Scalars['String']['output'];
  orgId?: Maybe<Scalars['ID']['output']>;
  outputTokens: Scalars['Int']['output'];
  /** The catalog price the cost was computed from when the runtime gave none (BU5); null when the cost was given. */
  price?: Maybe<UsagePrice>;
  /** The credential that recorded it (subject). */
  recordedBy: Scalars['String']['output'];
  teamId?: Maybe<Scalars['ID']['output']>;
  /** The chain it was attributed to (null: account-level usage). */
  userId?: Maybe<Scalars['ID']['output']>;
};

export type User = {
  __typename?: 'User';
  /**
   * The user's credits this cycle (allocation.read); null for a Console user. `cycle`: the start of a past cycle (see
   * budgetCycles) for its figures then — used, and the bound the cycle ended with (`unallocated` null).
   */
  budget?: Maybe<BudgetNode>;
  id: Scalars['ID']['output'];
};


export type UserBudgetArgs = {
  cycle?: InputMaybe<Scalars['DateTime']['input']>;
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
  Account: ResolverTypeWrapper<Omit<Account, 'budgetPlan'> & { budgetPlan?: Maybe<ResolversTypes['BudgetPlan']> }>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AllocateCreditsInput: AllocateCreditsInput;
  AllocationScopeType: AllocationScopeType;
  AuthScope: AuthScope;
  AuthorizeSpendInput: AuthorizeSpendInput;
  BudgetAlert: ResolverTypeWrapper<AlertRow>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  BudgetAlertConnection: ResolverTypeWrapper<Connection<AlertRow>>;
  BudgetAlertEdge: ResolverTypeWrapper<Omit<BudgetAlertEdge, 'node'> & { node: ResolversTypes['BudgetAlert'] }>;
  BudgetAlertFilter: BudgetAlertFilter;
  BudgetChainLevel: ResolverTypeWrapper<BudgetChainLevel>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  BudgetCycle: BudgetCycle;
  BudgetCycleConnection: ResolverTypeWrapper<Connection<CycleSummary>>;
  BudgetCycleEdge: ResolverTypeWrapper<Omit<BudgetCycleEdge, 'node'> & { node: ResolversTypes['BudgetCycleSummary'] }>;
  BudgetCycleSummary: ResolverTypeWrapper<CycleSummary>;
  BudgetNode: ResolverTypeWrapper<NodeFigures>;
  BudgetPlan: ResolverTypeWrapper<BudgetPlanEntity>;
  BudgetScopeType: BudgetScopeType;
  CostBreakdown: ResolverTypeWrapper<Omit<CostBreakdown, 'rows'> & { rows: Array<ResolversTypes['CostBreakdownRow']> }>;
  CostBreakdownFilter: CostBreakdownFilter;
  CostBreakdownRow: ResolverTypeWrapper<Omit<CostBreakdownRow, 'org' | 'team' | 'user'> & { org?: Maybe<ResolversTypes['Org']>, team?: Maybe<ResolversTypes['Team']>, user?: Maybe<ResolversTypes['User']> }>;
  CostFigures: ResolverTypeWrapper<CostFigures>;
  CostGroupBy: CostGroupBy;
  CostRangeInput: CostRangeInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Decimal: ResolverTypeWrapper<Scalars['Decimal']['output']>;
  DistributeCreditsInput: DistributeCreditsInput;
  DistributionScopeType: DistributionScopeType;
  EffectiveAllocation: ResolverTypeWrapper<EffectiveAllocation>;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Org: ResolverTypeWrapper<OrgPlacement>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RecordUsageBatchItem: ResolverTypeWrapper<Omit<RecordUsageBatchItem, 'record'> & { record?: Maybe<ResolversTypes['UsageRecord']> }>;
  RecordUsageInput: RecordUsageInput;
  RecordUsageResult: ResolverTypeWrapper<Omit<RecordUsageResult, 'record'> & { record: ResolversTypes['UsageRecord'] }>;
  RemoveAllocationInput: RemoveAllocationInput;
  SetAllocationOverrideInput: SetAllocationOverrideInput;
  SetBudgetPlanInput: SetBudgetPlanInput;
  SpendAuthorization: ResolverTypeWrapper<SpendAuthorization>;
  Team: ResolverTypeWrapper<TeamPlacement>;
  UsageDomain: UsageDomain;
  UsageError: ResolverTypeWrapper<UsageError>;
  UsagePrice: ResolverTypeWrapper<UsagePrice>;
  UsageRecord: ResolverTypeWrapper<UsageRecordEntity>;
  User: ResolverTypeWrapper<UserPlacement>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Account: Omit<Account, 'budgetPlan'> & { budgetPlan?: Maybe<ResolversParentTypes['BudgetPlan']> } | FederationReferenceTypes['Account'];
  ID: Scalars['ID']['output'];
  AllocateCreditsInput: AllocateCreditsInput;
  AuthorizeSpendInput: AuthorizeSpendInput;
  BudgetAlert: AlertRow;
  Int: Scalars['Int']['output'];
  BudgetAlertConnection: Connection<AlertRow>;
  BudgetAlertEdge: Omit<BudgetAlertEdge, 'node'> & { node: ResolversParentTypes['BudgetAlert'] };
  BudgetAlertFilter: BudgetAlertFilter;
  BudgetChainLevel: BudgetChainLevel;
  Boolean: Scalars['Boolean']['output'];
  BudgetCycleConnection: Connection<CycleSummary>;
  BudgetCycleEdge: Omit<BudgetCycleEdge, 'node'> & { node: ResolversParentTypes['BudgetCycleSummary'] };
  BudgetCycleSummary: CycleSummary;
  BudgetNode: NodeFigures;
  BudgetPlan: BudgetPlanEntity;
  CostBreakdown: Omit<CostBreakdown, 'rows'> & { rows: Array<ResolversParentTypes['CostBreakdownRow']> };
  CostBreakdownFilter: CostBreakdownFilter;
  CostBreakdownRow: Omit<CostBreakdownRow, 'org' | 'team' | 'user'> & { org?: Maybe<ResolversParentTypes['Org']>, team?: Maybe<ResolversParentTypes['Team']>, user?: Maybe<ResolversParentTypes['User']> };
  CostFigures: CostFigures;
  CostRangeInput: CostRangeInput;
  DateTime: Scalars['DateTime']['output'];
  Decimal: Scalars['Decimal']['output'];
  DistributeCreditsInput: DistributeCreditsInput;
  EffectiveAllocation: EffectiveAllocation;
  JSON: Scalars['JSON']['output'];
  Mutation: Record<PropertyKey, never>;
  Org: OrgPlacement;
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  RecordUsageBatchItem: Omit<RecordUsageBatchItem, 'record'> & { record?: Maybe<ResolversParentTypes['UsageRecord']> };
  RecordUsageInput: RecordUsageInput;
  RecordUsageResult: Omit<RecordUsageResult, 'record'> & { record: ResolversParentTypes['UsageRecord'] };
  RemoveAllocationInput: RemoveAllocationInput;
  SetAllocationOverrideInput: SetAllocationOverrideInput;
  SetBudgetPlanInput: SetBudgetPlanInput;
  SpendAuthorization: SpendAuthorization;
  Team: TeamPlacement;
  UsageError: UsageError;
  UsagePrice: UsagePrice;
  UsageRecord: UsageRecordEntity;
  User: UserPlacement;
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
  budgetPlan?: Resolver<Maybe<ResolversTypes['BudgetPlan']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type BudgetAlertResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['BudgetAlert'] = ResolversParentTypes['BudgetAlert']> = {
  cycleStart?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  emittedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  limit?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  scopeId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  scopeType?: Resolver<ResolversTypes['BudgetScopeType'], ParentType, ContextType>;
  threshold?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  used?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
};

export type BudgetAlertConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['BudgetAlertConnection'] = ResolversParentTypes['BudgetAlertConnection']> = {
  edges?: Resolver<Array<ResolversTypes['BudgetAlertEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['BudgetAlert']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type BudgetAlertEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['BudgetAlertEdge'] = ResolversParentTypes['BudgetAlertEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['BudgetAlert'], ParentType, ContextType>;
};

export type BudgetChainLevelResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['BudgetChainLevel'] = ResolversParentTypes['BudgetChainLevel']> = {
  explicit?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  limit?: Resolver<Maybe<ResolversTypes['Decimal']>, ParentType, ContextType>;
  remaining?: Resolver<Maybe<ResolversTypes['Decimal']>, ParentType, ContextType>;
  scopeId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  scopeType?: Resolver<ResolversTypes['BudgetScopeType'], ParentType, ContextType>;
  used?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
};

export type BudgetCycleConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['BudgetCycleConnection'] = ResolversParentTypes['BudgetCycleConnection']> = {
  edges?: Resolver<Array<ResolversTypes['BudgetCycleEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['BudgetCycleSummary']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type BudgetCycleEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['BudgetCycleEdge'] = ResolversParentTypes['BudgetCycleEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['BudgetCycleSummary'], ParentType, ContextType>;
};

export type BudgetCycleSummaryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['BudgetCycleSummary'] = ResolversParentTypes['BudgetCycleSummary']> = {
  current?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  cycle?: Resolver<ResolversTypes['BudgetCycle'], ParentType, ContextType>;
  end?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  limit?: Resolver<Maybe<ResolversTypes['Decimal']>, ParentType, ContextType>;
  remaining?: Resolver<Maybe<ResolversTypes['Decimal']>, ParentType, ContextType>;
  start?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  used?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
};

export type BudgetNodeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['BudgetNode'] = ResolversParentTypes['BudgetNode']> = {
  allocated?: Resolver<Maybe<ResolversTypes['Decimal']>, ParentType, ContextType>;
  cycleStart?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  effective?: Resolver<ResolversTypes['BudgetChainLevel'], ParentType, ContextType>;
  remaining?: Resolver<Maybe<ResolversTypes['Decimal']>, ParentType, ContextType>;
  scopeId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  scopeType?: Resolver<ResolversTypes['BudgetScopeType'], ParentType, ContextType>;
  unallocated?: Resolver<Maybe<ResolversTypes['Decimal']>, ParentType, ContextType>;
  used?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
};

export type BudgetPlanResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['BudgetPlan'] = ResolversParentTypes['BudgetPlan']> = {
  accountId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  creditFactor?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  cycle?: Resolver<ResolversTypes['BudgetCycle'], ParentType, ContextType>;
  cycleAnchor?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  monthlyCredits?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  overflowLimit?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type CostBreakdownResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['CostBreakdown'] = ResolversParentTypes['CostBreakdown']> = {
  rows?: Resolver<Array<ResolversTypes['CostBreakdownRow']>, ParentType, ContextType>;
  totals?: Resolver<ResolversTypes['CostFigures'], ParentType, ContextType>;
};

export type CostBreakdownRowResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['CostBreakdownRow'] = ResolversParentTypes['CostBreakdownRow']> = {
  cost?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  credits?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  day?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  domain?: Resolver<Maybe<ResolversTypes['UsageDomain']>, ParentType, ContextType>;
  inputTokens?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  model?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  org?: Resolver<Maybe<ResolversTypes['Org']>, ParentType, ContextType>;
  orgId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  outputTokens?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  team?: Resolver<Maybe<ResolversTypes['Team']>, ParentType, ContextType>;
  teamId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  user?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  userId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
};

export type CostFiguresResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['CostFigures'] = ResolversParentTypes['CostFigures']> = {
  cost?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  credits?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  inputTokens?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  outputTokens?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export interface DecimalScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Decimal'], any> {
  name: 'Decimal';
}

export type EffectiveAllocationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['EffectiveAllocation'] = ResolversParentTypes['EffectiveAllocation']> = {
  bindingLevel?: Resolver<ResolversTypes['BudgetChainLevel'], ParentType, ContextType>;
  chain?: Resolver<Array<ResolversTypes['BudgetChainLevel']>, ParentType, ContextType>;
  orgId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  source?: Resolver<ResolversTypes['BudgetChainLevel'], ParentType, ContextType>;
  spendable?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  teamId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  userId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type MutationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  allocateCredits?: Resolver<ResolversTypes['BudgetNode'], ParentType, ContextType, RequireFields<MutationAllocateCreditsArgs, 'input'>>;
  distributeCreditsEqually?: Resolver<Array<ResolversTypes['BudgetNode']>, ParentType, ContextType, RequireFields<MutationDistributeCreditsEquallyArgs, 'input'>>;
  recordUsage?: Resolver<ResolversTypes['RecordUsageResult'], ParentType, ContextType, RequireFields<MutationRecordUsageArgs, 'input'>>;
  recordUsageBatch?: Resolver<Array<ResolversTypes['RecordUsageBatchItem']>, ParentType, ContextType, RequireFields<MutationRecordUsageBatchArgs, 'inputs'>>;
  removeAllocation?: Resolver<ResolversTypes['BudgetNode'], ParentType, ContextType, RequireFields<MutationRemoveAllocationArgs, 'input'>>;
  setAllocationOverride?: Resolver<ResolversTypes['BudgetNode'], ParentType, ContextType, RequireFields<MutationSetAllocationOverrideArgs, 'input'>>;
  setBudgetPlan?: Resolver<ResolversTypes['BudgetPlan'], ParentType, ContextType, RequireFields<MutationSetBudgetPlanArgs, 'input'>>;
};

export type OrgResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Org'] = ResolversParentTypes['Org'], FederationReferenceType extends FederationReferenceTypes['Org'] = FederationReferenceTypes['Org']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Org']> | FederationReferenceType, FederationReferenceType, ContextType>;
  budget?: Resolver<Maybe<ResolversTypes['BudgetNode']>, ParentType, ContextType, Partial<OrgBudgetArgs>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  authorizeSpend?: Resolver<ResolversTypes['SpendAuthorization'], ParentType, ContextType, RequireFields<QueryAuthorizeSpendArgs, 'input'>>;
  budgetAlerts?: Resolver<ResolversTypes['BudgetAlertConnection'], ParentType, ContextType, Partial<QueryBudgetAlertsArgs>>;
  budgetCycles?: Resolver<ResolversTypes['BudgetCycleConnection'], ParentType, ContextType, Partial<QueryBudgetCyclesArgs>>;
  budgetNode?: Resolver<ResolversTypes['BudgetNode'], ParentType, ContextType, RequireFields<QueryBudgetNodeArgs, 'scopeId' | 'scopeType'>>;
  budgetPlan?: Resolver<Maybe<ResolversTypes['BudgetPlan']>, ParentType, ContextType>;
  costBreakdown?: Resolver<ResolversTypes['CostBreakdown'], ParentType, ContextType, RequireFields<QueryCostBreakdownArgs, 'groupBy' | 'range'>>;
  effectiveAllocation?: Resolver<ResolversTypes['EffectiveAllocation'], ParentType, ContextType, RequireFields<QueryEffectiveAllocationArgs, 'userId'>>;
  myCostBreakdown?: Resolver<ResolversTypes['CostBreakdown'], ParentType, ContextType, RequireFields<QueryMyCostBreakdownArgs, 'groupBy' | 'range'>>;
  myEffectiveAllocation?: Resolver<ResolversTypes['EffectiveAllocation'], ParentType, ContextType, Partial<QueryMyEffectiveAllocationArgs>>;
};

export type RecordUsageBatchItemResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['RecordUsageBatchItem'] = ResolversParentTypes['RecordUsageBatchItem']> = {
  error?: Resolver<Maybe<ResolversTypes['UsageError']>, ParentType, ContextType>;
  record?: Resolver<Maybe<ResolversTypes['UsageRecord']>, ParentType, ContextType>;
  replayed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type RecordUsageResultResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['RecordUsageResult'] = ResolversParentTypes['RecordUsageResult']> = {
  record?: Resolver<ResolversTypes['UsageRecord'], ParentType, ContextType>;
  replayed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type SpendAuthorizationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SpendAuthorization'] = ResolversParentTypes['SpendAuthorization']> = {
  bindingLevel?: Resolver<ResolversTypes['BudgetChainLevel'], ParentType, ContextType>;
  chain?: Resolver<Array<ResolversTypes['BudgetChainLevel']>, ParentType, ContextType>;
  credits?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  spendable?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
};

export type TeamResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Team'] = ResolversParentTypes['Team'], FederationReferenceType extends FederationReferenceTypes['Team'] = FederationReferenceTypes['Team']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Team']> | FederationReferenceType, FederationReferenceType, ContextType>;
  budget?: Resolver<Maybe<ResolversTypes['BudgetNode']>, ParentType, ContextType, Partial<TeamBudgetArgs>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type UsageErrorResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['UsageError'] = ResolversParentTypes['UsageError']> = {
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  details?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type UsagePriceResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['UsagePrice'] = ResolversParentTypes['UsagePrice']> = {
  inputPricePerMtok?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  modelId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  outputPricePerMtok?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  validFrom?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type UsageRecordResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['UsageRecord'] = ResolversParentTypes['UsageRecord']> = {
  cost?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  creditFactor?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  credits?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  cycleStart?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  domain?: Resolver<ResolversTypes['UsageDomain'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  idempotencyKey?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  inputTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  model?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orgId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  outputTokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  price?: Resolver<Maybe<ResolversTypes['UsagePrice']>, ParentType, ContextType>;
  recordedBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  teamId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  userId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
};

export type UserResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User'], FederationReferenceType extends FederationReferenceTypes['User'] = FederationReferenceTypes['User']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['User']> | FederationReferenceType, FederationReferenceType, ContextType>;
  budget?: Resolver<Maybe<ResolversTypes['BudgetNode']>, ParentType, ContextType, Partial<UserBudgetArgs>>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type Resolvers<ContextType = RequestContext> = {
  Account?: AccountResolvers<ContextType>;
  BudgetAlert?: BudgetAlertResolvers<ContextType>;
  BudgetAlertConnection?: BudgetAlertConnectionResolvers<ContextType>;
  BudgetAlertEdge?: BudgetAlertEdgeResolvers<ContextType>;
  BudgetChainLevel?: BudgetChainLevelResolvers<ContextType>;
  BudgetCycleConnection?: BudgetCycleConnectionResolvers<ContextType>;
  BudgetCycleEdge?: BudgetCycleEdgeResolvers<ContextType>;
  BudgetCycleSummary?: BudgetCycleSummaryResolvers<ContextType>;
  BudgetNode?: BudgetNodeResolvers<ContextType>;
  BudgetPlan?: BudgetPlanResolvers<ContextType>;
  CostBreakdown?: CostBreakdownResolvers<ContextType>;
  CostBreakdownRow?: CostBreakdownRowResolvers<ContextType>;
  CostFigures?: CostFiguresResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Decimal?: GraphQLScalarType;
  EffectiveAllocation?: EffectiveAllocationResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  Org?: OrgResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RecordUsageBatchItem?: RecordUsageBatchItemResolvers<ContextType>;
  RecordUsageResult?: RecordUsageResultResolvers<ContextType>;
  SpendAuthorization?: SpendAuthorizationResolvers<ContextType>;
  Team?: TeamResolvers<ContextType>;
  UsageError?: UsageErrorResolvers<ContextType>;
  UsagePrice?: UsagePriceResolvers<ContextType>;
  UsageRecord?: UsageRecordResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = RequestContext> = {
  authorize?: AuthorizeDirectiveResolver<any, any, ContextType>;
};
