/** Months per cycle of a plan. */
const MONTHS = { MONTHLY: 1, QUARTERLY: 3, YEARLY: 12 } as const;
export type Cycle = keyof typeof MONTHS;

/** `anchor` plus `months` calendar months (UTC), the day clamped to the target month's last (Jan 31 → Feb 28). */
export function addMonths(anchor: Date, months: number): Date {
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
  return cycleWindowAt(anchor, cycle, now).start;
}

/** A cycle: from `start` (inclusive) to `end` (exclusive, the next cycle's start). */
export interface CycleWindow {
  start: Date;
  end: Date;
  cycle: Cycle;
}

/** The cycle `now` falls in and its end, both counted from the anchor (so a clamped day does not drift: Jan 31 → Feb 28 → Mar 31). */
export function cycleWindowAt(anchor: Date, cycle: Cycle, now: Date): CycleWindow {
  const step = MONTHS[cycle];
  if (now < anchor) return { start: anchor, end: addMonths(anchor, step), cycle };
  const months = (now.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + now.getUTCMonth() - anchor.getUTCMonth();
  let k = Math.floor(months / step);
  while (k > 0 && addMonths(anchor, k * step) > now) k--;
  while (addMonths(anchor, (k + 1) * step) <= now) k++;
  return { start: addMonths(anchor, k * step), end: addMonths(anchor, (k + 1) * step), cycle };
}

/**
 * The anchor after the plan's cycle length changes at `now` (BU7): the current cycle keeps its start (and what it
 * used) and runs one new length from it; when that end has already passed (a shorter cycle), it ends now and the
 * next cycle starts at the change.
 */
export function reanchor(anchor: Date, from: Cycle, to: Cycle, now: Date): Date {
  const { start } = cycleWindowAt(anchor, from, now);
  return addMonths(start, MONTHS[to]) > now ? start : now;
}
