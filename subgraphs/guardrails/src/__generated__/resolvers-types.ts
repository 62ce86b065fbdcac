import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { GuardrailPreset as GuardrailPresetEntity } from '../presets/preset.entity';
import type { PresetConnection } from '../presets/preset.service';
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
  /** Any JSON value. */
  JSON: { input: unknown; output: unknown; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type AuthScope =
  | 'ACCOUNT'
  | 'ACCOUNT_OR_PLATFORM'
  | 'PLATFORM'
  | 'SELF';

export type CreateGuardrailPresetInput = {
  /** A JSON object; {} when omitted. Known keys: blockedTerms (list of strings), piiRedaction (boolean). */
  config?: InputMaybe<Scalars['JSON']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  severity: GuardrailSeverity;
};

/** A reusable set of guardrail settings of one account (GP1); agents require at least one. */
export type GuardrailPreset = {
  __typename?: 'GuardrailPreset';
  accountId: Scalars['ID']['output'];
  /** The guardrail settings, a JSON object, e.g. {"blockedTerms": ["secret"], "piiRedaction": true}. */
  config: Scalars['JSON']['output'];
  createdAt: Scalars['DateTime']['output'];
  description: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** Unique within the account, ignoring case. */
  name: Scalars['String']['output'];
  severity: GuardrailSeverity;
  updatedAt: Scalars['DateTime']['output'];
  /** Starts at 1 and grows by one with every change; pass it back as expectedVersion to update safely. */
  version: Scalars['Int']['output'];
};

export type GuardrailPresetConnection = {
  __typename?: 'GuardrailPresetConnection';
  edges: Array<GuardrailPresetEdge>;
  nodes: Array<GuardrailPreset>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type GuardrailPresetEdge = {
  __typename?: 'GuardrailPresetEdge';
  cursor: Scalars['String']['output'];
  node: GuardrailPreset;
};

export type GuardrailPresetFilter = {
  /** Case-insensitive substring of the name or the description. */
  search?: InputMaybe<Scalars['String']['input']>;
  severity?: InputMaybe<GuardrailSeverity>;
};

/** How serious a violation of a guardrail is. */
export type GuardrailSeverity =
  | 'CRITICAL'
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM';

export type Mutation = {
  __typename?: 'Mutation';
  createGuardrailPreset: GuardrailPreset;
  /** Soft-deletes the preset; its name becomes free again. */
  deleteGuardrailPreset: Scalars['Boolean']['output'];
  /** CONFLICT when expectedVersion is given and the preset has moved on. */
  updateGuardrailPreset: GuardrailPreset;
};


export type MutationCreateGuardrailPresetArgs = {
  input: CreateGuardrailPresetInput;
};


export type MutationDeleteGuardrailPresetArgs = {
  id: Scalars['ID']['input'];
};


export type MutationUpdateGuardrailPresetArgs = {
  expectedVersion?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
  input: UpdateGuardrailPresetInput;
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
  /** One preset of the account; NOT_FOUND for an unknown or another account's id. */
  guardrailPreset?: Maybe<GuardrailPreset>;
  /** The presets of the account the request acts on, oldest first. */
  guardrailPresets: GuardrailPresetConnection;
};


export type QueryGuardrailPresetArgs = {
  id: Scalars['ID']['input'];
};


export type QueryGuardrailPresetsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<GuardrailPresetFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** Only the fields given change. */
export type UpdateGuardrailPresetInput = {
  config?: InputMaybe<Scalars['JSON']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  severity?: InputMaybe<GuardrailSeverity>;
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
  GuardrailPreset: GuardrailPreset;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  GuardrailPreset:
    ( { __typename: 'GuardrailPreset' }
    & GraphQLRecursivePick<FederationTypes['GuardrailPreset'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  AuthScope: AuthScope;
  CreateGuardrailPresetInput: CreateGuardrailPresetInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  GuardrailPreset: ResolverTypeWrapper<GuardrailPresetEntity>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  GuardrailPresetConnection: ResolverTypeWrapper<PresetConnection>;
  GuardrailPresetEdge: ResolverTypeWrapper<Omit<GuardrailPresetEdge, 'node'> & { node: ResolversTypes['GuardrailPreset'] }>;
  GuardrailPresetFilter: GuardrailPresetFilter;
  GuardrailSeverity: GuardrailSeverity;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  UpdateGuardrailPresetInput: UpdateGuardrailPresetInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  CreateGuardrailPresetInput: CreateGuardrailPresetInput;
  DateTime: Scalars['DateTime']['output'];
  GuardrailPreset: GuardrailPresetEntity;
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  GuardrailPresetConnection: PresetConnection;
  GuardrailPresetEdge: Omit<GuardrailPresetEdge, 'node'> & { node: ResolversParentTypes['GuardrailPreset'] };
  GuardrailPresetFilter: GuardrailPresetFilter;
  JSON: Scalars['JSON']['output'];
  Mutation: Record<PropertyKey, never>;
  Boolean: Scalars['Boolean']['output'];
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  UpdateGuardrailPresetInput: UpdateGuardrailPresetInput;
  String: Scalars['String']['output'];
};

export type AuthorizeDirectiveArgs = {
  action?: Maybe<Scalars['String']['input']>;
  platformAction?: Maybe<Scalars['String']['input']>;
  scope: AuthScope;
};

export type AuthorizeDirectiveResolver<Result, Parent, ContextType = RequestContext, Args = AuthorizeDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type GuardrailPresetResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['GuardrailPreset'] = ResolversParentTypes['GuardrailPreset'], FederationReferenceType extends FederationReferenceTypes['GuardrailPreset'] = FederationReferenceTypes['GuardrailPreset']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['GuardrailPreset']> | FederationReferenceType, FederationReferenceType, ContextType>;
  accountId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  config?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  severity?: Resolver<ResolversTypes['GuardrailSeverity'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type GuardrailPresetConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['GuardrailPresetConnection'] = ResolversParentTypes['GuardrailPresetConnection']> = {
  edges?: Resolver<Array<ResolversTypes['GuardrailPresetEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['GuardrailPreset']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type GuardrailPresetEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['GuardrailPresetEdge'] = ResolversParentTypes['GuardrailPresetEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['GuardrailPreset'], ParentType, ContextType>;
};

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type MutationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  createGuardrailPreset?: Resolver<ResolversTypes['GuardrailPreset'], ParentType, ContextType, RequireFields<MutationCreateGuardrailPresetArgs, 'input'>>;
  deleteGuardrailPreset?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteGuardrailPresetArgs, 'id'>>;
  updateGuardrailPreset?: Resolver<ResolversTypes['GuardrailPreset'], ParentType, ContextType, RequireFields<MutationUpdateGuardrailPresetArgs, 'id' | 'input'>>;
};

export type PageInfoResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  guardrailPreset?: Resolver<Maybe<ResolversTypes['GuardrailPreset']>, ParentType, ContextType, RequireFields<QueryGuardrailPresetArgs, 'id'>>;
  guardrailPresets?: Resolver<ResolversTypes['GuardrailPresetConnection'], ParentType, ContextType, Partial<QueryGuardrailPresetsArgs>>;
};

export type Resolvers<ContextType = RequestContext> = {
  DateTime?: GraphQLScalarType;
  GuardrailPreset?: GuardrailPresetResolvers<ContextType>;
  GuardrailPresetConnection?: GuardrailPresetConnectionResolvers<ContextType>;
  GuardrailPresetEdge?: GuardrailPresetEdgeResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = RequestContext> = {
  authorize?: AuthorizeDirectiveResolver<any, any, ContextType>;
};
