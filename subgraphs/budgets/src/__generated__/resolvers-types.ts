import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { BudgetPlan as BudgetPlanEntity } from '../plans/plan.entity';
import type { RequestContext } from '@cockpit/kit';
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
  _FieldSet: { input: unknown; output: unknown; }
};

export type Account = {
  __typename?: 'Account';
  /** The account's plan; null until a super admin sets one. */
  budgetPlan?: Maybe<BudgetPlan>;
  id: Scalars['ID']['output'];
};

export type AuthScope =
  | 'ACCOUNT'
  | 'ACCOUNT_OR_PLATFORM'
  | 'PLATFORM'
  | 'SELF';

/** How often an account's credits reset. */
export type BudgetCycle =
  | 'MONTHLY'
  | 'QUARTERLY'
  | 'YEARLY';

/** An account's plan (BU1): the credits it receives each cycle. Set by a super admin. */
export type BudgetPlan = {
  __typename?: 'BudgetPlan';
  accountId: Scalars['ID']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** credits = cost × creditFactor. */
  creditFactor: Scalars['Decimal']['output'];
  cycle: BudgetCycle;
  /** When the current cycle started. */
  cycleAnchor: Scalars['DateTime']['output'];
  /** Credits granted per cycle. */
  monthlyCredits: Scalars['Decimal']['output'];
  /** Credits that may be spent beyond the allocation before a hard stop. */
  overflowLimit: Scalars['Decimal']['output'];
  updatedAt: Scalars['DateTime']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Sets the plan of the account named by X-Account-Id (super admin). */
  setBudgetPlan: BudgetPlan;
};


export type MutationSetBudgetPlanArgs = {
  input: SetBudgetPlanInput;
};

export type Query = {
  __typename?: 'Query';
  /** The plan of the account the request acts on. */
  budgetPlan?: Maybe<BudgetPlan>;
};

export type SetBudgetPlanInput = {
  creditFactor: Scalars['Decimal']['input'];
  cycle: BudgetCycle;
  monthlyCredits: Scalars['Decimal']['input'];
  overflowLimit: Scalars['Decimal']['input'];
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
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Account:
    ( { __typename: 'Account' }
    & GraphQLRecursivePick<FederationTypes['Account'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Account: ResolverTypeWrapper<Omit<Account, 'budgetPlan'> & { budgetPlan?: Maybe<ResolversTypes['BudgetPlan']> }>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AuthScope: AuthScope;
  BudgetCycle: BudgetCycle;
  BudgetPlan: ResolverTypeWrapper<BudgetPlanEntity>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Decimal: ResolverTypeWrapper<Scalars['Decimal']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  SetBudgetPlanInput: SetBudgetPlanInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Account: Omit<Account, 'budgetPlan'> & { budgetPlan?: Maybe<ResolversParentTypes['BudgetPlan']> } | FederationReferenceTypes['Account'];
  ID: Scalars['ID']['output'];
  BudgetPlan: BudgetPlanEntity;
  DateTime: Scalars['DateTime']['output'];
  Decimal: Scalars['Decimal']['output'];
  Mutation: Record<PropertyKey, never>;
  Query: Record<PropertyKey, never>;
  SetBudgetPlanInput: SetBudgetPlanInput;
  String: Scalars['String']['output'];
  Boolean: Scalars['Boolean']['output'];
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

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export interface DecimalScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Decimal'], any> {
  name: 'Decimal';
}

export type MutationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  setBudgetPlan?: Resolver<ResolversTypes['BudgetPlan'], ParentType, ContextType, RequireFields<MutationSetBudgetPlanArgs, 'input'>>;
};

export type QueryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  budgetPlan?: Resolver<Maybe<ResolversTypes['BudgetPlan']>, ParentType, ContextType>;
};

export type Resolvers<ContextType = RequestContext> = {
  Account?: AccountResolvers<ContextType>;
  BudgetPlan?: BudgetPlanResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Decimal?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = RequestContext> = {
  authorize?: AuthorizeDirectiveResolver<any, any, ContextType>;
};
