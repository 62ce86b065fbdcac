/** Months per cycle of a plan. */
const MONTHS = { MONTHLY: 1, QUARTERLY: 3, YEARLY: 12 } as const;
export type Cycle = keyof typeof MONTHS;

/** `anchor` plus `months` calendar months (UTC), the day clamped to the target month's last (Jan 31 → Feb 28). */
function addMonths(anchor: Date, months: number): Date {
  const y = anchor.getUTCFullYear();
  const m = anchor.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const d = new Date(anchor);
  d.setUTCFullYear(y, m, Math.min(anchor.getUTCDate(), last));
  return d;
}

/**
 * The start of the cycle `now` falls in: the plan's anchor plus a whole number of cycles (the anchor is when
 * the plan was first set). Balances and usage are keyed by it; BU7's roll-over is a new key, nothing to reset.
 */
export function cycleStartAt(anchor: Date, cycle: Cycle, now: Date): Date {
  const step = MONTHS[cycle];
  if (now < anchor) return anchor;
  const months = (now.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + now.getUTCMonth() - anchor.getUTCMonth();
  let k = Math.floor(months / step);
  while (k > 0 && addMonths(anchor, k * step) > now) k--;
  while (addMonths(anchor, (k + 1) * step) <= now) k++;
  return addMonths(anchor, k * step);
}
