import {
  getOperationAST,
  parse,
  print,
  specifiedRules,
  validate,
  visit,
  GraphQLError,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { getArgumentValues, getVariableValues } from 'graphql/execution/values';
import { checkVariables, costError, DEFAULT_LIMITS, operationCost, operationLimitRules } from '../limits';

/** What a graphql-ws `subscribe` message carries. */
export interface SubscribePayload {
  query: string;
  variables?: unknown;
  operationName?: string | null;
}

export interface EventPlan {
  /** The client's variables that the per-event query uses. */
  variables: Record<string, unknown>;
  /** `query ($__eventId: ID!, …) { event(id: $__eventId) { …client selection } }` plus the client's fragments. */
  query: string;
  responseKey: string;
  after?: string;
  types?: string[];
}

/** A checked operation: run once (query, mutation), followed live (events), or refused with errors about the client's document. */
export type PreparedOperation =
  | { kind: 'once'; query: string; variables: Record<string, unknown> }
  | { kind: 'events'; plan: EventPlan }
  | { kind: 'refused'; errors: GraphQLFormattedError[] };

/** graphql-js's "Did you mean …?" hints name schema fields; Apollo strips them the same way when hiding schema details. */
const SUGGESTION = / Did you mean(.+)\?$/;

/**
 * Parses, validates (graphql-js's rules plus the operation limits) and coerces
 * the variables of a client's operation, before anything is planned or sent
 * upstream: every mistake is answered here, about the client's own document,
 * and never later about the rewritten per-event query.
 */
export function prepareOperation(
  schema: GraphQLSchema,
  payload: SubscribePayload,
  opts: { hideSchemaDetails?: boolean } = {},
): PreparedOperation {
  // the same code the HTTP path answers for a document that does not parse, validate or coerce
  const refused = (
    errors: readonly { message: string; locations?: GraphQLError['locations']; extensions?: GraphQLError['extensions'] }[],
  ): PreparedOperation => ({
    kind: 'refused',
    errors: errors.map((e) => ({
      message: opts.hideSchemaDetails ? e.message.replace(SUGGESTION, '') : e.message,
      ...(e.locations ? { locations: e.locations } : {}),
      // the cost figures a refusal over HTTP carries too
      extensions: {
        code: 'INVALID_REQUEST',
        ...(e.extensions?.cost !== undefined ? { cost: e.extensions.cost, maxCost: e.extensions.maxCost } : {}),
      },
    })),
  });
  let doc: DocumentNode;
  try {
    doc = parse(payload.query, { maxTokens: DEFAULT_LIMITS.maxTokens });
  } catch (e) {
    return refused([e as GraphQLError]);
  }
  const errors = validate(schema, doc, [...specifiedRules, ...operationLimitRules()]);
  if (errors.length) return refused(errors);
  const op = getOperationAST(doc, payload.operationName ?? undefined);
  if (!op)
    return refused([
      { message: payload.operationName ? `Unknown operation named "${payload.operationName}"` : 'Name the operation to run' },
    ]);
  const raw = payload.variables ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) return refused([{ message: 'Variables must be an object' }]);
  const unbounded = checkVariables(raw);
  if (unbounded) return refused([unbounded]);
  const coerced = getVariableValues(schema, op.variableDefinitions ?? [], raw as Record<string, unknown>, { maxErrors: 25 });
  if (coerced.errors) return refused(coerced.errors);
  // priced with the values sent (`first: $n`), as over HTTP, before anything is planned
  const cost = operationCost(schema, doc, op, coerced.coerced);
  if (cost > DEFAULT_LIMITS.maxCost) return refused([costError(cost, DEFAULT_LIMITS.maxCost)]);
  const variables = raw as Record<string, unknown>;
  if (op.operation !== 'subscription') return { kind: 'once', query: payload.query, variables };
  try {
    return { kind: 'events', plan: planEventSubscription(schema, doc, op, coerced.coerced, variables) };
  } catch (e) {
    return refused([e as GraphQLError]);
  }
}

const PREPARED_CACHE_SIZE = 256;
/** Longer operations (documents, variables) are checked each time rather than kept. */
const PREPARED_CACHE_MAX_KEY = 16 * 1024;
const preparedBySchema = new WeakMap<GraphQLSchema, Map<string, PreparedOperation>>();

/**
 * `prepareOperation`, remembered per schema for the last few hundred distinct
 * operations (document, operation name, variables): a thousand dashboards that
 * subscribe with the same document are parsed and validated once, not a thousand
 * times. What it returns is shared: read it, never change it.
 */
export function prepareOperationCached(
  schema: GraphQLSchema,
  payload: SubscribePayload,
  opts: { hideSchemaDetails?: boolean } = {},
): PreparedOperation {
  const key = JSON.stringify([payload.query, payload.operationName ?? null, payload.variables ?? null, !!opts.hideSchemaDetails]);
  if (key.length > PREPARED_CACHE_MAX_KEY) return prepareOperation(schema, payload, opts);
  let cache = preparedBySchema.get(schema);
  if (!cache) preparedBySchema.set(schema, (cache = new Map()));
  let prepared = cache.get(key);
  if (!prepared) {
    prepared = prepareOperation(schema, payload, opts);
    cache.set(key, prepared);
    if (cache.size > PREPARED_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  return prepared;
}

/**
 * Checks the subscription is `events` and rewrites its selection into a per-event query.
 * `variables` are the coerced values (for the feed's arguments); `raw` the client's own,
 * passed on as they came to the per-event query, which coerces them again.
 */
export function planEventSubscription(
  schema: GraphQLSchema,
  doc: DocumentNode,
  op: OperationDefinitionNode,
  variables: Record<string, unknown>,
  raw: Record<string, unknown> = variables,
): EventPlan {
  const fields = op.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  if (fields.length !== 1 || op.selectionSet.selections.length !== 1 || fields[0].name.value !== 'events') {
    throw new GraphQLError('Subscribe to exactly one field: events');
  }
  const field = fields[0];
  const def = schema.getSubscriptionType()!.getFields().events;
  const args = getArgumentValues(def, field, variables) as { after?: string; types?: string[] };
  // keep only what the per-event query uses: the cursor and filter are the feed's business
  const fragments = doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const used = new Set<string>();
  visit(
    {
      kind: Kind.DOCUMENT,
      definitions: [{ ...op, selectionSet: field.selectionSet ?? op.selectionSet, variableDefinitions: [] }, ...fragments],
    },
    {
      Variable: (v) => {
        used.add(v.name.value);
      },
    },
  );
  for (const d of field.directives ?? []) visit(d, { Variable: (v) => void used.add(v.name.value) });
  const usedVariables = Object.fromEntries(Object.entries(raw).filter(([k]) => used.has(k)));
  const rewritten: OperationDefinitionNode = {
    ...op,
    operation: 'query' as never,
    name: { kind: Kind.NAME, value: 'CockpitEvent' },
    variableDefinitions: [
      ...(op.variableDefinitions ?? []).filter((v) => used.has(v.variable.name.value)),
      {
        kind: Kind.VARIABLE_DEFINITION,
        variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: '__eventId' } },
        type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
      },
    ],
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [
        {
          kind: Kind.FIELD,
          name: { kind: Kind.NAME, value: 'event' },
          arguments: [
            {
              kind: Kind.ARGUMENT,
              name: { kind: Kind.NAME, value: 'id' },
              value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: '__eventId' } },
            },
          ],
          directives: field.directives,
          selectionSet: field.selectionSet,
        },
      ],
    },
  };
  return {
    query: print({ kind: Kind.DOCUMENT, definitions: [rewritten, ...fragments] }),
    variables: usedVariables,
    responseKey: field.alias?.value ?? 'events',
    after: args.after,
    types: args.types,
  };
}
