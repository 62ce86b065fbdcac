import { priceLookup, type ModelPriceAt, type PriceLookupRequest } from '@cockpit/contracts';
import { CockpitError, decimalProblem, type DecimalColumn, type RequestContext } from '@cockpit/kit';

/**
 * The catalog's prices are catalog's (CA1): budgets keeps no copy. Usage recorded without a cost (BU5) is priced by
 * asking catalog's internal route `/internal/catalog/prices` (through `ctx.callService`, signed as budgets) for the
 * price in force when the usage happened; a batch asks once for all its records.
 */
export interface PriceClient {
  prices(ctx: RequestContext, req: PriceLookupRequest): Promise<(ModelPriceAt | null)[]>;
}

export function httpPriceClient(): PriceClient {
  return {
    async prices(ctx, req) {
      let raw: unknown;
      try {
        raw = await ctx.callService<unknown>('catalog', priceLookup.path, req);
      } catch (err) {
        // unreachable, timed out or failing: nothing is recorded, and no guessed amount is ever debited
        throw new CockpitError(
          'UPSTREAM_ERROR',
          'The catalog could not be asked for the model price; the usage was not recorded (retry, or give cost)',
          { cost: err instanceof CockpitError ? err.message : 'catalog unreachable' },
        );
      }
      const parsed = priceLookup.answer(raw);
      if (!parsed.ok || parsed.value.prices.length !== req.lookups.length)
        throw new CockpitError('UPSTREAM_ERROR', 'The catalog answered a malformed price lookup; the usage was not recorded');
      return parsed.value.prices;
    },
  };
}

const SHAPE = /^(\d+)(?:\.(\d+))?$/;
/** A non-negative decimal string as an integer count of 10^-scale units (exact: the price's digits fit `scale`). */
function units(s: string, scale: number): bigint {
  const m = SHAPE.exec(s);
  if (!m) throw new Error(`not a price: ${s}`);
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > scale) throw new Error(`price ${s} has more than ${scale} decimal places`);
  return BigInt(m[1] + frac.padEnd(scale, '0'));
}

/** The price columns' scale (catalog's numeric(30,10)). */
const PRICE_SCALE = 10;
/** Tokens are priced per 1,000,000. */
const PER_MTOK = 1_000_000n;
/** The cost column's scale: numeric(20,8). */
export const COST_SCALE = 8;

/**
 * cost = (inputTokens × inputPricePerMtok + outputTokens × outputPricePerMtok) / 1,000,000, computed exactly in
 * integers, then rounded half up (away from zero; costs are never negative) to the cost column's 8 decimal places
 * — as PostgreSQL's `round(x, 8)` does. "0.000000005" rounds to "0.00000001", "0.0000000049" to "0".
 */
export function costFromPrice(
  inputTokens: number,
  outputTokens: number,
  price: Pick<ModelPriceAt, 'inputPricePerMtok' | 'outputPricePerMtok'>,
) {
  const exact =
    BigInt(inputTokens) * units(price.inputPricePerMtok, PRICE_SCALE) + BigInt(outputTokens) * units(price.outputPricePerMtok, PRICE_SCALE);
  // exact is in 10^-10 units per MTok: cost in 10^-(10+6) units; to 10^-8 units divide by 10^8, rounding half up
  const divisor = PER_MTOK * 10n ** BigInt(PRICE_SCALE - COST_SCALE);
  const q = (exact + divisor / 2n) / divisor;
  const digits = q.toString().padStart(COST_SCALE + 1, '0');
  const int = digits.slice(0, -COST_SCALE);
  const frac = digits.slice(-COST_SCALE).replace(/0+$/, '');
  return frac ? `${int}.${frac}` : int;
}

/** A computed cost that does not fit the column (an absurd price × token count): VALIDATION_ERROR on cost. */
export function costFits(cost: string, column: DecimalColumn): string | null {
  return decimalProblem(cost, column);
}
