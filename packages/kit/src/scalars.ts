import { GraphQLScalarType, Kind } from 'graphql';
import { invalidRequest } from './errors';

const DECIMAL_RE = /^-?\d{1,20}(\.\d{1,10})?$/;

/** Money and credits: exact decimals carried as strings, never floats. */
export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: 'An exact decimal number as a string, e.g. "1250.50".',
  serialize: (v) => normalizeDecimal(String(v)),
  parseValue: (v) => parseDecimal(v),
  parseLiteral: (ast) => parseDecimal(ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT ? ast.value : undefined),
});

/** "2000.5000" → "2000.5", "10.000" → "10": one spelling per value, whatever the column scale. */
export function normalizeDecimal(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

function parseDecimal(v: unknown): string {
  const s = typeof v === 'number' ? String(v) : v;
  if (typeof s !== 'string' || !DECIMAL_RE.test(s))
    throw invalidRequest(`Decimal must be a decimal string like "12.50" (got ${JSON.stringify(v)})`);
  return s;
}

/** ISO 8601 timestamps in UTC. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO 8601 timestamp in UTC.',
  serialize: (v) => (v instanceof Date ? v.toISOString() : new Date(v as string).toISOString()),
  parseValue: (v) => parseDate(v),
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

function parseDate(v: unknown): Date {
  const d = typeof v === 'string' ? new Date(v) : undefined;
  if (!d || Number.isNaN(d.getTime())) throw invalidRequest(`DateTime must be an ISO 8601 string (got ${JSON.stringify(v)})`);
  return d;
}

/** Arbitrary JSON objects (payloads, configs). */
export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: function literal(ast): unknown {
    switch (ast.kind) {
      case Kind.STRING:
      case Kind.BOOLEAN:
        return ast.value;
      case Kind.INT:
      case Kind.FLOAT:
        return Number(ast.value);
      case Kind.NULL:
        return null;
      case Kind.LIST:
        return ast.values.map((x) => literal(x));
      case Kind.OBJECT:
        return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value)]));
      default:
        throw invalidRequest('JSON literals may not contain variables');
    }
  },
});

export const scalarResolvers = { Decimal: DecimalScalar, DateTime: DateTimeScalar, JSON: JSONScalar };
