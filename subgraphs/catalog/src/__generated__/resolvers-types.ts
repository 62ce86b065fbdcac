import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Model as ModelEntity, ModelPrice as ModelPriceEntity } from '../models/model.entity';
import type { ModelConnection as ModelPage } from '../models/model.service';
import type { Provider as ProviderEntity } from '../providers/provider.entity';
import type { Connection, RequestContext } from '@cockpit/kit';
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
  /** The catalog models a super admin made eligible for this account (CA2), by name. */
  eligibleModels: Array<Model>;
  id: Scalars['ID']['output'];
};

export type AuthScope =
  | 'ACCOUNT'
  | 'ACCOUNT_OR_PLATFORM'
  | 'PLATFORM'
  | 'SELF';

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
  /** Adds a model to the platform catalog (super admin). */
  createModel: Model;
  /** Adds a provider (super admin). VALIDATION_ERROR for a bad name or URL; CONFLICT for a taken name. */
  createProvider: Provider;
  /** Replaces the eligible models of the account named by X-Account-Id (super admin). */
  setEligibleModels: Array<Model>;
  /** Changes a catalog model (super admin). */
  updateModel: Model;
  /** Changes a provider (super admin); NOT_FOUND for an unknown id. */
  updateProvider: Provider;
};


export type MutationCreateModelArgs = {
  input: CreateModelInput;
};


export type MutationCreateProviderArgs = {
  input: CreateProviderInput;
};


export type MutationSetEligibleModelsArgs = {
  modelIds: Array<Scalars['ID']['input']>;
};


export type MutationUpdateModelArgs = {
  id: Scalars['ID']['input'];
  input: UpdateModelInput;
};


export type MutationUpdateProviderArgs = {
  id: Scalars['ID']['input'];
  input: UpdateProviderInput;
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
  /** One catalog model (super admin); NOT_FOUND for an unknown id. */
  model?: Maybe<Model>;
  /** The platform model catalog (super admin), ordered by creation. */
  models: ModelConnection;
  /** One provider (super admin); NOT_FOUND for an unknown id. */
  provider?: Maybe<Provider>;
  /** The configured providers (super admin), by name. */
  providers: ProviderConnection;
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
  Account: ResolverTypeWrapper<{ id: string }>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AuthScope: AuthScope;
  CreateModelInput: CreateModelInput;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  CreateProviderInput: CreateProviderInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Decimal: ResolverTypeWrapper<Scalars['Decimal']['output']>;
  Model: ResolverTypeWrapper<ModelEntity>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  ModelConnection: ResolverTypeWrapper<ModelPage>;
  ModelEdge: ResolverTypeWrapper<Omit<ModelEdge, 'node'> & { node: ResolversTypes['Model'] }>;
  ModelFilter: ModelFilter;
  ModelKind: ModelKind;
  ModelPrice: ResolverTypeWrapper<ModelPriceEntity>;
  ModelStatus: ModelStatus;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Provider: ResolverTypeWrapper<ProviderEntity>;
  ProviderConnection: ResolverTypeWrapper<Connection<ProviderEntity>>;
  ProviderEdge: ResolverTypeWrapper<Omit<ProviderEdge, 'node'> & { node: ResolversTypes['Provider'] }>;
  ProviderFilter: ProviderFilter;
  ProviderKind: ProviderKind;
  ProviderStatus: ProviderStatus;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  UpdateModelInput: UpdateModelInput;
  UpdateProviderInput: UpdateProviderInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Account: { id: string };
  ID: Scalars['ID']['output'];
  CreateModelInput: CreateModelInput;
  Int: Scalars['Int']['output'];
  CreateProviderInput: CreateProviderInput;
  DateTime: Scalars['DateTime']['output'];
  Decimal: Scalars['Decimal']['output'];
  Model: ModelEntity;
  Boolean: Scalars['Boolean']['output'];
  ModelConnection: ModelPage;
  ModelEdge: Omit<ModelEdge, 'node'> & { node: ResolversParentTypes['Model'] };
  ModelFilter: ModelFilter;
  ModelPrice: ModelPriceEntity;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Provider: ProviderEntity;
  ProviderConnection: Connection<ProviderEntity>;
  ProviderEdge: Omit<ProviderEdge, 'node'> & { node: ResolversParentTypes['Provider'] };
  ProviderFilter: ProviderFilter;
  Query: Record<PropertyKey, never>;
  UpdateModelInput: UpdateModelInput;
  UpdateProviderInput: UpdateProviderInput;
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
  eligibleModels?: Resolver<Array<ResolversTypes['Model']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export interface DecimalScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Decimal'], any> {
  name: 'Decimal';
}

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

export type ModelPriceResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ModelPrice'] = ResolversParentTypes['ModelPrice']> = {
  inputPricePerMtok?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  outputPricePerMtok?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  validFrom?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  createModel?: Resolver<ResolversTypes['Model'], ParentType, ContextType, RequireFields<MutationCreateModelArgs, 'input'>>;
  createProvider?: Resolver<ResolversTypes['Provider'], ParentType, ContextType, RequireFields<MutationCreateProviderArgs, 'input'>>;
  setEligibleModels?: Resolver<Array<ResolversTypes['Model']>, ParentType, ContextType, RequireFields<MutationSetEligibleModelsArgs, 'modelIds'>>;
  updateModel?: Resolver<ResolversTypes['Model'], ParentType, ContextType, RequireFields<MutationUpdateModelArgs, 'id' | 'input'>>;
  updateProvider?: Resolver<ResolversTypes['Provider'], ParentType, ContextType, RequireFields<MutationUpdateProviderArgs, 'id' | 'input'>>;
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
  model?: Resolver<Maybe<ResolversTypes['Model']>, ParentType, ContextType, RequireFields<QueryModelArgs, 'id'>>;
  models?: Resolver<ResolversTypes['ModelConnection'], ParentType, ContextType, Partial<QueryModelsArgs>>;
  provider?: Resolver<Maybe<ResolversTypes['Provider']>, ParentType, ContextType, RequireFields<QueryProviderArgs, 'id'>>;
  providers?: Resolver<ResolversTypes['ProviderConnection'], ParentType, ContextType, Partial<QueryProvidersArgs>>;
};

export type Resolvers<ContextType = RequestContext> = {
  Account?: AccountResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Decimal?: GraphQLScalarType;
  Model?: ModelResolvers<ContextType>;
  ModelConnection?: ModelConnectionResolvers<ContextType>;
  ModelEdge?: ModelEdgeResolvers<ContextType>;
  ModelPrice?: ModelPriceResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Provider?: ProviderResolvers<ContextType>;
  ProviderConnection?: ProviderConnectionResolvers<ContextType>;
  ProviderEdge?: ProviderEdgeResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = RequestContext> = {
  authorize?: AuthorizeDirectiveResolver<any, any, ContextType>;
};
