import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  valueFromASTUntyped,
  type ArgumentNode,
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { BaseContext, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { MAX_PAGE, DEFAULT_PAGE } from '@cockpit/kit/edge';

/**
 * Operation limits (GraphQL Armor's defaults as the reference, ARCHITECTURE §8).
 * They run at validation or right after it, before the gateway plans a query:
 * the planner is synchronous, so what goes into it is what bounds its time.
 */
export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  /** Directives in an operation, counted through fragment spreads. */
  maxDirectives: number;
  /** Lexer tokens of a document (graphql-js `parse({ maxTokens })`). */
  maxTokens: number;
  /** Estimated values an operation may return: list sizes multiply through nesting. */
  maxCost: number;
  /** The size a list field without `first` is assumed to have. */
  defaultListSize: number;
  /** Bound variables: JSON bytes and nesting depth. */
  maxVariablesBytes: number;
  maxVariablesDepth: number;
}

export const DEFAULT_LIMITS: OperationLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 2000,
  // about the values a three-level directory at default pages returns (50 orgs × 50 teams × 50 members …)
  maxCost: 5_000_000,
  defaultListSize: 10,
  maxVariablesBytes: 256 * 1024,
  maxVariablesDepth: 16,
};

/**
 * The limits as validation rules (depth and aliases, directives, cost with
 * unbound `first` variables at their least, introspection shape), for Apollo
 * and the graphql-ws bridge alike. The variables-dependent cost is checked by
 * `checkOperationCost` once the variables are known, still before planning.
 */
export function operationLimitRules(limits: OperationLimits = DEFAULT_LIMITS): ValidationRule[] {
  return [limitsRule(limits), aliasRule(limits.maxAliases), introspectionRule()];
}

const limitError = (message: string, nodes: OperationDefinitionNode, extensions: Record<string, unknown> = {}) =>
  new GraphQLError(message, { nodes: [nodes], extensions: { code: 'INVALID_REQUEST', ...extensions } });

function limitsRule(limits: OperationLimits): ValidationRule {
  return (ctx: ValidationContext): ASTVisitor => {
    const analysis = analyze(ctx.getSchema(), ctx.getDocument(), limits);
    return {
      OperationDefinition(op) {
        const a = analysis.operations.get(op)!;
        if (a.depth > limits.maxDepth) ctx.reportError(limitError(`Query depth exceeds the limit of ${limits.maxDepth}`, op));
        if (a.directives > limits.maxDirectives) ctx.reportError(limitError(`Too many directives (limit ${limits.maxDirectives})`, op));
        const cost = evaluateCost(a.cost, () => 0);
        if (cost > limits.maxCost) ctx.reportError(costError(cost, limits.maxCost, op));
      },
    };
  };
}

/** The refusal of an operation over the cost limit, with the computed cost in its extensions. */
export const costError = (cost: number, maxCost: number, op?: OperationDefinitionNode) =>
  new GraphQLError(`Query cost ${cost} exceeds the limit of ${maxCost}; ask for smaller pages (first)`, {
    nodes: op ? [op] : undefined,
    extensions: { code: 'INVALID_REQUEST', cost, maxCost, http: { status: 400 } },
  });

function aliasRule(max: number): ValidationRule {
  return (ctx: ValidationContext): ASTVisitor => {
    let count = 0;
    return {
      Field(node) {
        if (node.alias && ++count === max + 1)
          ctx.reportError(new GraphQLError(`Too many aliases (limit ${max})`, { nodes: [node], extensions: { code: 'INVALID_REQUEST' } }));
      },
    };
  };
}

/**
 * The cost of an operation once its variables are known, before the gateway
 * plans it (Apollo's didResolveOperation). The cost tree is built once per
 * document; a request only evaluates it.
 */
export function checkOperationCost(
  {
    schema,
    document,
    operation,
    request,
  }: Pick<GraphQLRequestContextDidResolveOperation<BaseContext>, 'schema' | 'document' | 'operation' | 'request'>,
  limits: OperationLimits = DEFAULT_LIMITS,
): void {
  if (!operation) return;
  const a = analyze(schema, document, limits).operations.get(operation);
  if (!a || !a.cost.sized) return; // fully known at validation, which already checked it
  const cost = costWith(a, request.variables ?? {});
  if (cost > limits.maxCost) throw costError(cost, limits.maxCost);
}

/** Cost of an operation with the given variables (for callers that validate outside Apollo, like the graphql-ws bridge). */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
  limits: OperationLimits = DEFAULT_LIMITS,
): number {
  const a = analyze(schema, document, limits).operations.get(operation);
  return a ? costWith(a, variables) : 0;
}

/** A `first` variable's value as sent, else its declared default, else (undefined) the field's default page. */
const costWith = (a: OperationAnalysis, variables: Record<string, unknown>) =>
  evaluateCost(a.cost, (name) => {
    const v = variables[name] ?? a.variableDefaults.get(name);
    return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
  });

/** Refuses bound variables too large or too deeply nested (their size is not bounded by the document's limits). */
export function checkVariables(
  variables: unknown,
  limits: OperationLimits = DEFAULT_LIMITS,
  /** Size of the body they came in: a smaller body spares re-serialising them. */
  bodyBytes = Infinity,
): GraphQLError | undefined {
  if (variables == null) return undefined;
  if (typeof variables === 'string') {
    // a GET's `variables` parameter: its size is bounded by the URL, its depth is not
    if (Buffer.byteLength(variables, 'utf8') > limits.maxVariablesBytes) return tooLarge(limits);
    try {
      variables = JSON.parse(variables);
    } catch {
      return undefined; // Apollo answers malformed variables itself
    }
  }
  if (nestingDepth(variables, limits.maxVariablesDepth) > limits.maxVariablesDepth)
    return new GraphQLError(`Variables nest deeper than ${limits.maxVariablesDepth} levels`, {
      extensions: { code: 'INVALID_REQUEST', http: { status: 400 } },
    });
  if (bodyBytes > limits.maxVariablesBytes && Buffer.byteLength(JSON.stringify(variables), 'utf8') > limits.maxVariablesBytes)
    return tooLarge(limits);
  return undefined;
}

const tooLarge = (limits: OperationLimits) =>
  new GraphQLError(`Variables exceed ${limits.maxVariablesBytes} bytes`, {
    extensions: { code: 'INVALID_REQUEST', http: { status: 413 } },
  });

/** Depth of a JSON value, giving up as soon as it passes `cap` (a deep value must not cost a deep recursion). */
function nestingDepth(v: unknown, cap: number, depth = 0): number {
  if (depth > cap || v === null || typeof v !== 'object') return depth;
  let deepest = depth + 1;
  for (const child of Array.isArray(v) ? v : Object.values(v)) {
    deepest = Math.max(deepest, nestingDepth(child, cap, depth + 1));
    if (deepest > cap) break;
  }
  return deepest;
}

// ---------------------------------------------------------------------------
// One analysis per document: depth, directives and a cost tree for each
// operation. Fragments are analysed once each (memoised), so a document that
// spreads fragments in a fan-out costs linear time, not exponential.

/** `value = multiplier × (self + Σ children)`; a fragment's node is shared by every spread of it. */
interface CostNode {
  self: number;
  /** A fixed list size, or the variable holding `first` and the size when it is not given. */
  multiplier: number | { variable: string; fallback: number };
  children: CostNode[];
  /** True when a `first: $var` at or below this node makes its cost depend on the request. */
  sized: boolean;
}

const costNode = (self: number, multiplier: CostNode['multiplier'], children: CostNode[]): CostNode => ({
  self,
  multiplier,
  children,
  sized: typeof multiplier !== 'number' || children.some((c) => c.sized),
});

interface OperationAnalysis {
  depth: number;
  directives: number;
  cost: CostNode;
  variableDefaults: Map<string, unknown>;
}

interface Analysis {
  operations: Map<OperationDefinitionNode, OperationAnalysis>;
}

const analyses = new WeakMap<DocumentNode, { schema: GraphQLSchema; limits: OperationLimits; analysis: Analysis }>();

function analyze(schema: GraphQLSchema, doc: DocumentNode, limits: OperationLimits): Analysis {
  const hit = analyses.get(doc);
  if (hit && hit.schema === schema && hit.limits === limits) return hit.analysis;
  const analysis = new DocumentAnalyzer(schema, doc, limits).run();
  analyses.set(doc, { schema, limits, analysis });
  return analysis;
}

/** Introspection subtrees: exempt from depth and cost, bounded by `introspectionRule`. */
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

/** Exported for the test that checks a document is analysed once however often it is sent. */
export class DocumentAnalyzer {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly depthMemo = new Map<string, number>();
  private readonly directiveMemo = new Map<string, number>();
  private readonly costMemo = new Map<string, CostNode>();
  private readonly inProgress = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly doc: DocumentNode,
    private readonly limits: OperationLimits,
  ) {
    for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(d.name.value, d);
  }

  run(): Analysis {
    const operations = new Map<OperationDefinitionNode, OperationAnalysis>();
    for (const d of this.doc.definitions) {
      if (d.kind !== Kind.OPERATION_DEFINITION) continue;
      const root = this.schema.getRootType(d.operation) ?? undefined;
      const variableDefaults = new Map<string, unknown>();
      let directives = d.directives?.length ?? 0;
      for (const v of d.variableDefinitions ?? []) {
        directives += v.directives?.length ?? 0;
        if (v.defaultValue) variableDefaults.set(v.variable.name.value, valueFromASTUntyped(v.defaultValue));
      }
      const cost = costNode(0, 1, this.costOf(d.selectionSet, root));
      operations.set(d, {
        depth: this.depthOf(d.selectionSet),
        directives: Math.min(this.limits.maxDirectives + 1, directives + this.directivesOf(d.selectionSet)),
        cost,
        variableDefaults,
      });
    }
    return { operations };
  }

  /** Runs `compute` for a fragment once; a spread inside its own expansion (a cycle, refused by validation) counts as nothing. */
  private memo<T>(memo: Map<string, T>, kind: string, name: string, empty: T, compute: (f: FragmentDefinitionNode) => T): T {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const f = this.fragments.get(name);
    const key = `${kind}:${name}`;
    if (!f || this.inProgress.has(key)) return empty;
    this.inProgress.add(key);
    const value = compute(f);
    this.inProgress.delete(key);
    memo.set(name, value);
    return value;
  }

  private depthOf(set: SelectionSetNode): number {
    let deepest = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (s.selectionSet && !INTROSPECTION_ROOTS.has(s.name.value)) deepest = Math.max(deepest, 1 + this.depthOf(s.selectionSet));
      } else if (s.kind === Kind.INLINE_FRAGMENT) deepest = Math.max(deepest, this.depthOf(s.selectionSet));
      else
        deepest = Math.max(
          deepest,
          this.memo(this.depthMemo, 'depth', s.name.value, 0, (f) => this.depthOf(f.selectionSet)),
        );
    }
    return deepest;
  }

  /** Directives counted through every spread, as the executor would see them; stops counting past the cap. */
  private directivesOf(set: SelectionSetNode): number {
    const cap = this.limits.maxDirectives + 1;
    let n = 0;
    for (const s of set.selections) {
      n += s.directives?.length ?? 0;
      if (s.kind === Kind.FRAGMENT_SPREAD)
        n += this.memo(
          this.directiveMemo,
          'directives',
          s.name.value,
          0,
          (f) => (f.directives?.length ?? 0) + this.directivesOf(f.selectionSet),
        );
      else if (s.selectionSet) n += this.directivesOf(s.selectionSet);
      if (n >= cap) return cap;
    }
    return n;
  }

  private costOf(set: SelectionSetNode, parent: GraphQLCompositeType | undefined): CostNode[] {
    const nodes: CostNode[] = [];
    const spread = new Set<string>();
    for (const s of set.selections) {
      if (s.kind === Kind.FRAGMENT_SPREAD) {
        // the executor collects a fragment's fields once however often it is spread in one selection set
        if (spread.has(s.name.value)) continue;
        spread.add(s.name.value);
        nodes.push(
          this.memo(this.costMemo, 'cost', s.name.value, EMPTY_COST, (f) =>
            costNode(0, 1, this.costOf(f.selectionSet, this.compositeType(f.typeCondition.name.value))),
          ),
        );
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        nodes.push(costNode(0, 1, this.costOf(s.selectionSet, s.typeCondition ? this.compositeType(s.typeCondition.name.value) : parent)));
      } else {
        const name = s.name.value;
        if (name.startsWith('__')) continue; // __typename is free; introspection is bounded on its own
        const def = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
        if (!s.selectionSet) {
          nodes.push(costNode(1, 1, []));
          continue;
        }
        const type = def ? getNamedType(def.type) : undefined;
        nodes.push(
          costNode(
            1,
            this.multiplierOf(def, s.arguments ?? [], parent),
            this.costOf(s.selectionSet, type && isCompositeType(type) ? type : undefined),
          ),
        );
      }
    }
    return nodes;
  }

  /**
   * The page size a field stands for: its `first` (a literal, a variable, or
   * the server's default page), a default size for other lists, 1 otherwise.
   * A connection's `nodes`/`edges` are the page its field already counted.
   */
  private multiplierOf(
    def: GraphQLField<unknown, unknown> | undefined,
    args: readonly ArgumentNode[],
    parent: GraphQLCompositeType | undefined,
  ): CostNode['multiplier'] {
    if (!def) return 1;
    const firstArg = def.args.find((a) => a.name === 'first');
    if (firstArg) {
      const fallback = typeof firstArg.defaultValue === 'number' ? firstArg.defaultValue : DEFAULT_PAGE;
      const given = args.find((a) => a.name.value === 'first')?.value;
      if (!given || given.kind === Kind.NULL) return fallback;
      if (given.kind === Kind.INT) return clampPage(Number(given.value));
      if (given.kind === Kind.VARIABLE) return { variable: given.name.value, fallback };
      return fallback;
    }
    if (!isListType(getNullableType(def.type))) return 1;
    return parent && /Connection$/.test(parent.name) ? 1 : this.limits.defaultListSize;
  }

  private compositeType(name: string): GraphQLCompositeType | undefined {
    const t = this.schema.getType(name);
    return t && isCompositeType(t) ? t : undefined;
  }
}

const EMPTY_COST = costNode(0, 1, []);
const clampPage = (n: number) => Math.max(0, Math.min(MAX_PAGE, n));

/** Evaluates a cost tree; a shared fragment node is evaluated once (the tree is a DAG). */
function evaluateCost(root: CostNode, variable: (name: string) => number | undefined): number {
  const seen = new Map<CostNode, number>();
  const value = (n: CostNode): number => {
    const known = seen.get(n);
    if (known !== undefined) return known;
    let sum = n.self;
    for (const c of n.children) sum += value(c);
    const m = typeof n.multiplier === 'number' ? n.multiplier : clampPage(variable(n.multiplier.variable) ?? n.multiplier.fallback);
    const v = m * sum;
    seen.set(n, v);
    return v;
  };
  return value(root);
}

// ---------------------------------------------------------------------------
// Introspection. The standard query (graphql-js `getIntrospectionQuery`, what
// Codegen, Inspector and IDEs send) walks `types → fields → args` once each and
// `ofType` a few levels. What it never does is re-enter a type's lists below
// another (`fields { type { fields { type { fields … } } } }`), which is how a
// small document makes the schema answer itself exponentially many times.

/** `__Type`/`__Schema` fields that return lists of schema elements: each at most once on any path. */
const INTROSPECTION_LISTS = new Set(['types', 'fields', 'inputFields', 'interfaces', 'possibleTypes', 'enumValues', 'args', 'directives']);
/** Deeper than any real wrapping (`[[T!]!]!` is 5); graphql-js's TypeRef goes 9 levels. */
export const MAX_OF_TYPE_DEPTH = 12;

function introspectionRule(): ValidationRule {
  return (ctx: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of ctx.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    // (fragment, path state) pairs already checked: a fan-out of spreads is checked once per state
    const checked = new Set<string>();
    let refused = false;
    const walk = (set: SelectionSetNode, lists: string[], ofType: number): void => {
      for (const s of set.selections) {
        if (refused) return;
        if (s.kind === Kind.FRAGMENT_SPREAD) {
          const key = `${s.name.value}|${lists.join(',')}|${ofType}`;
          const f = fragments.get(s.name.value);
          if (f && !checked.has(key)) {
            checked.add(key);
            walk(f.selectionSet, lists, ofType);
          }
          continue;
        }
        if (s.kind === Kind.INLINE_FRAGMENT) {
          walk(s.selectionSet, lists, ofType);
          continue;
        }
        if (!s.selectionSet) continue;
        const name = s.name.value;
        if (INTROSPECTION_LISTS.has(name)) {
          if (lists.includes(name)) return refuse(`Introspection may not nest "${name}" inside "${lists.join(' › ')}"`);
          walk(s.selectionSet, [...lists, name], ofType);
        } else if (name === 'ofType') {
          if (ofType + 1 > MAX_OF_TYPE_DEPTH) return refuse(`Introspection may nest "ofType" at most ${MAX_OF_TYPE_DEPTH} levels`);
          walk(s.selectionSet, lists, ofType + 1);
        } else walk(s.selectionSet, lists, ofType);
      }
    };
    const refuse = (message: string) => {
      refused = true;
      ctx.reportError(new GraphQLError(message, { extensions: { code: 'INVALID_REQUEST' } }));
    };
    const findRoots = (set: SelectionSetNode, seen: Set<string>): void => {
      for (const s of set.selections) {
        if (s.kind === Kind.FIELD) {
          if (INTROSPECTION_ROOTS.has(s.name.value) && s.selectionSet) walk(s.selectionSet, [], 0);
        } else if (s.kind === Kind.INLINE_FRAGMENT) findRoots(s.selectionSet, seen);
        else if (!seen.has(s.name.value)) {
          seen.add(s.name.value);
          const f = fragments.get(s.name.value);
          if (f) findRoots(f.selectionSet, seen);
        }
      }
    };
    return {
      OperationDefinition(op) {
        if (op.operation === 'query') findRoots(op.selectionSet, new Set());
      },
    };
  };
}
