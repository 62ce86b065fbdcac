import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
}

export const DEFAULT_LIMITS: OperationLimits = { maxDepth: 10, maxAliases: 15 };

/**
 * Depth and alias limits as validation rules, so they run before query
 * planning; depth counts through fragment spreads (an unprotected gateway was
 * measured planning a 40-deep fragment query for minutes).
 */
export function operationLimitRules(limits: OperationLimits = DEFAULT_LIMITS): ValidationRule[] {
  return [depthRule(limits.maxDepth), aliasRule(limits.maxAliases)];
}

function depthRule(max: number): ValidationRule {
  return (ctx: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of ctx.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const depthOf = (set: SelectionSetNode, depth: number, seen: Set<string>): number => {
      if (depth > max) return depth;
      let deepest = depth;
      for (const s of set.selections) {
        if (s.kind === Kind.FIELD) {
          if (s.selectionSet) deepest = Math.max(deepest, depthOf(s.selectionSet, depth + 1, seen));
        } else if (s.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(s.selectionSet, depth, seen));
        } else {
          const f = fragments.get(s.name.value);
          if (f && !seen.has(f.name.value)) deepest = Math.max(deepest, depthOf(f.selectionSet, depth, new Set(seen).add(f.name.value)));
        }
        if (deepest > max) break;
      }
      return deepest;
    };
    return {
      OperationDefinition(op) {
        const d = depthOf(op.selectionSet, 0, new Set());
        if (d > max)
          ctx.reportError(
            new GraphQLError(`Query depth exceeds the limit of ${max}`, { nodes: [op], extensions: { code: 'INVALID_REQUEST' } }),
          );
      },
    };
  };
}

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
