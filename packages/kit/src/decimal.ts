import type { EntitySchema } from '@mikro-orm/core';
import { validationError, type FieldDetails } from './errors';

/**
 * Money and credits stay decimal strings end to end (the `Decimal` scalar, the
 * ORM's `decimal('string')`, PostgreSQL `numeric`): never a float. This is the
 * one place a value is checked against the column it goes into.
 */
export interface DecimalColumn {
  precision: number;
  scale: number;
  /** `zero`: must not be negative; `positive`: must be greater than 0. */
  min?: 'zero' | 'positive';
}

const SHAPE = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Why `value` does not fit `column` exactly, or null when it does (it is stored without rounding). */
export function decimalProblem(value: string, column: DecimalColumn): string | null {
  const m = SHAPE.exec(value);
  if (!m) return 'must be a decimal number like "12.50"';
  const [, sign, int, frac = ''] = m;
  const intDigits = int.replace(/^0+/, '');
  const fracDigits = frac.replace(/0+$/, '');
  const zero = intDigits === '' && fracDigits === '';
  if (fracDigits.length > column.scale) return `must have at most ${column.scale} decimal places`;
  if (intDigits.length > column.precision - column.scale)
    return `must have at most ${column.precision - column.scale} digits before the decimal point`;
  if (column.min === 'zero' && sign && !zero) return 'must not be negative';
  if (column.min === 'positive' && (sign || zero)) return 'must be greater than 0';
  return null;
}

/**
 * The decimal columns of an entity, read from its definition (`p.decimal('string').precision(20).scale(4)`),
 * so validation cannot drift from the schema; `bounds` adds each field's lower bound.
 */
export function decimalColumns<K extends string>(
  entity: EntitySchema<any, any>,
  bounds: Record<K, DecimalColumn['min'] | null>,
): Record<K, DecimalColumn> {
  const props = entity.meta.properties as Record<string, { precision?: number; scale?: number }>;
  const out = {} as Record<K, DecimalColumn>;
  for (const field of Object.keys(bounds) as K[]) {
    const { precision, scale } = props[field] ?? {};
    if (precision === undefined || scale === undefined)
      throw new Error(`${entity.meta.className}.${field} is no decimal column with a precision and scale`);
    out[field] = { precision, scale, min: bounds[field] ?? undefined };
  }
  return out;
}

/** Checks every given decimal field against its column: VALIDATION_ERROR naming each field that does not fit. */
export function checkDecimals<K extends string>(
  input: Partial<Record<K, string | null | undefined>>,
  columns: Record<K, DecimalColumn>,
  details: FieldDetails = {},
): FieldDetails {
  for (const field of Object.keys(columns) as K[]) {
    const v = input[field];
    if (v == null || details[field]) continue;
    const problem = decimalProblem(v, columns[field]);
    if (problem) details[field] = problem;
  }
  return details;
}

export function assertDecimals<K extends string>(
  input: Partial<Record<K, string | null | undefined>>,
  columns: Record<K, DecimalColumn>,
): void {
  const details = checkDecimals(input, columns);
  if (Object.keys(details).length) throw validationError(details);
}
