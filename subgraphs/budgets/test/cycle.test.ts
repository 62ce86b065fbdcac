import { cycleWindowAt, reanchor } from '../src/plans/cycle';

const d = (s: string) => new Date(s);
const iso = (w: { start: Date; end: Date }) => [w.start.toISOString(), w.end.toISOString()];

describe('plan cycles (BU7)', () => {
  it('counts cycles from the anchor, the day clamped per month without drifting', () => {
    const anchor = d('2031-01-31T00:00:00.000Z');
    expect(iso(cycleWindowAt(anchor, 'MONTHLY', d('2031-02-28T00:00:00.000Z')))).toEqual([
      '2031-02-28T00:00:00.000Z',
      '2031-03-31T00:00:00.000Z',
    ]);
    expect(iso(cycleWindowAt(anchor, 'MONTHLY', d('2031-03-31T00:00:00.000Z')))).toEqual([
      '2031-03-31T00:00:00.000Z',
      '2031-04-30T00:00:00.000Z',
    ]);
    // Jan 31 + a quarter is Apr 30 (clamped): the instant before is still the first quarter
    expect(cycleWindowAt(anchor, 'QUARTERLY', d('2031-04-29T23:59:59.999Z')).start.toISOString()).toBe('2031-01-31T00:00:00.000Z');
    expect(cycleWindowAt(anchor, 'YEARLY', d('2032-01-31T00:00:00.000Z')).start.toISOString()).toBe('2032-01-31T00:00:00.000Z');
  });

  it('re-anchors a cycle change at the current cycle start, or at the change when a shorter cycle has already ended', () => {
    const anchor = d('2031-01-01T00:00:00.000Z');
    // MONTHLY → QUARTERLY on Feb 10: the Feb 1 cycle goes on, to May 1
    const longer = reanchor(anchor, 'MONTHLY', 'QUARTERLY', d('2031-02-10T00:00:00.000Z'));
    expect(longer.toISOString()).toBe('2031-02-01T00:00:00.000Z');
    expect(iso(cycleWindowAt(longer, 'QUARTERLY', d('2031-03-10T00:00:00.000Z')))).toEqual([
      '2031-02-01T00:00:00.000Z',
      '2031-05-01T00:00:00.000Z',
    ]);
    // QUARTERLY → MONTHLY on Jan 20: the Jan 1 cycle ends on Feb 1 as a month would
    expect(reanchor(anchor, 'QUARTERLY', 'MONTHLY', d('2031-01-20T00:00:00.000Z')).toISOString()).toBe('2031-01-01T00:00:00.000Z');
    // QUARTERLY → MONTHLY on Mar 10: a month from Jan 1 has passed, so the next cycle starts at the change
    const now = d('2031-03-10T00:00:00.000Z');
    expect(reanchor(anchor, 'QUARTERLY', 'MONTHLY', now)).toEqual(now);
  });
});
