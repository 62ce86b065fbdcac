import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type FragmentDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';
import { CockpitError } from './errors';

/**
 * How many `_entities` representations one request to a subgraph may carry, in
 * all (every `_entities` selection of the operation, aliases included) and of
 * one `__typename`. The gateway's plans stay far below: the dashboard's largest
 * batch is 1 representation (measured through the gateway), and even a page of
 * 50 teams under each of 20 orgs is 1,000 of one type. 10,000 representations
 * from a caller holding an internal token are refused before anything runs.
 * `COCKPIT_ENTITIES_MAX`, `COCKPIT_ENTITIES_MAX_PER_TYPE`.
 */
export interface EntitiesCap {
  maxRepresentations: number;
  maxPerType: number;
}

export const DEFAULT_ENTITIES_CAP: EntitiesCap = { maxRepresentations: 5000, maxPerType: 2500 };

/** The representations an operation's `_entities` selections carry, in all and by `__typename` (`?` when it has none). */
export function countRepresentations(
  selectionSet: SelectionSetNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  variables: Readonly<Record<string, unknown>>,
): { total: number; byType: Map<string, number> } {
  const byType = new Map<string, number>();
  let total = 0;
  const add = (type: string) => {
    total++;
    byType.set(type, (byType.get(type) ?? 0) + 1);
  };
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet);
      else if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const f = fragments[sel.name.value];
        if (f && !seen.has(f.name.value)) {
          seen.add(f.name.value);
          walk(f.selectionSet);
        }
      } else if (sel.name.value === '_entities') {
        const arg = sel.arguments?.find((a) => a.name.value === 'representations')?.value;
        if (arg) for (const type of typesOf(arg, variables)) add(type);
      }
    }
  };
  walk(selectionSet);
  return { total, byType };
}

/** The `__typename` of each representation an argument value holds (a variable's list, or a literal list). */
function typesOf(value: ValueNode, variables: Readonly<Record<string, unknown>>): string[] {
  if (value.kind === Kind.VARIABLE) {
    const v = variables[value.name.value];
    const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
    return list.map((r) => {
      const t = typeof r === 'object' && r !== null ? (r as { __typename?: unknown }).__typename : undefined;
      return typeof t === 'string' ? t : '?';
    });
  }
  const items = value.kind === Kind.LIST ? value.values : [value];
  return items.map((item) => {
    if (item.kind === Kind.VARIABLE) return typesOf(item, variables)[0] ?? '?';
    if (item.kind !== Kind.OBJECT) return '?';
    const t = item.fields.find((f) => f.name.value === '__typename')?.value;
    return t?.kind === Kind.STRING ? t.value : '?';
  });
}

function refuse(message: string, details: Record<string, string>): CockpitError {
  const err = new CockpitError('INVALID_REQUEST', message, details);
  (err.extensions as Record<string, unknown>).http = { status: 400 };
  return err;
}

/**
 * Refuses an operation whose `_entities` carry more representations than the
 * cap, once the operation is resolved and before any plugin or resolver reads
 * the database (INVALID_REQUEST, 400, the limit and the count in `details`).
 */
export function entitiesCapPlugin(cap: EntitiesCap = DEFAULT_ENTITIES_CAP): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (!operation || operation.operation !== 'query') return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
          const { total, byType } = countRepresentations(operation.selectionSet, fragments, request.variables ?? {});
          if (total > cap.maxRepresentations)
            throw refuse(`Too many entity representations: ${total}, at most ${cap.maxRepresentations} per request`, {
              representations: `at most ${cap.maxRepresentations} per request`,
              limit: String(cap.maxRepresentations),
              count: String(total),
            });
          for (const [type, n] of byType)
            if (n > cap.maxPerType)
              throw refuse(`Too many entity representations of type ${type}: ${n}, at most ${cap.maxPerType} per type`, {
                representations: `at most ${cap.maxPerType} of one type per request`,
                type,
                limit: String(cap.maxPerType),
                count: String(n),
              });
        },
      };
    },
  };
}
