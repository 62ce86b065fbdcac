import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testLogger } from '@cockpit/kit';
import { WorkerPlanner } from '../src/planning/worker-planner';

const SUPERGRAPH = readFileSync(join(__dirname, '..', '..', 'schema', 'supergraph.graphql'), 'utf8');
/** The most expensive shape the operation limits admit (bench/planning.ts): 15 aliases, each a cross-subgraph path 7 deep. Tens of ms to plan. */
const heavy = (salt: string) =>
  `query H${salt} { ${Array.from({ length: 15 }, (_, i) => `a${i}: account { budgetPlan { monthlyCredits } eligibleModels { id } orgs(first: 1) { nodes { teams(first: 1) { nodes { org { name } members(first: 1) { nodes { email } } } } } } }`).join(' ')} }`;
const key = (source: string) => WorkerPlanner.keyOf(createHash('sha256').update(source).digest('hex'), undefined);

/**
 * Query planning has a hard bound (GW5): the gateway's planner runs in a worker
 * thread, so an expensive document never blocks the event loop, and one that
 * overruns its deadline is refused and its worker replaced.
 */
describe('query planning in a worker with a deadline', () => {
  const planner = new WorkerPlanner(60_000, testLogger());
  beforeAll(() => planner.setSupergraph(SUPERGRAPH));
  afterAll(() => planner.close());

  it('plans off the event loop: timers keep firing while a heavy document is planned', async () => {
    const q = heavy('loop');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const planned = planner.ensurePlanned(key(q), q, undefined).then(() => ticks);
    const ticksWhenPlanned = await planned;
    clearInterval(timer);
    // planning on the main thread would have run to completion before any timer fired
    expect(ticksWhenPlanned).toBeGreaterThan(0);
    const plan = await planner.get(key(q));
    expect(plan?.kind).toBe('QueryPlan');
    expect(JSON.stringify(plan)).toContain('"serviceName":"budgets"');
  });

  it('refuses a document whose planning overruns the deadline, then plans the next one with a fresh worker', async () => {
    const q = heavy('slow');
    // tens of milliseconds of planning against a 1 ms bound
    await expect(planner.ensurePlanned(key(q), q, undefined, 1)).rejects.toMatchObject({
      message: expect.stringContaining('longer than 1 ms'),
      extensions: { code: 'INVALID_REQUEST', planTimeoutMs: 1 },
    });
    expect(await planner.get(key(q))).toBeUndefined();
    const next = '{ account { id name } }';
    await planner.ensurePlanned(key(next), next, undefined);
    expect((await planner.get(key(next)))?.kind).toBe('QueryPlan');
  });

  it('plans one document once, however many requests ask for it at the same time', async () => {
    const q = heavy('shared');
    const before = planner.dispatched;
    await Promise.all(Array.from({ length: 10 }, () => planner.ensurePlanned(key(q), q, undefined)));
    expect(planner.dispatched - before).toBe(1);
    await planner.ensurePlanned(key(q), q, undefined); // cached
    expect(planner.dispatched - before).toBe(1);
  });

  it('a document the planner rejects is an error, not a hang', async () => {
    const q = '{ nope }';
    await expect(planner.ensurePlanned(key(q), q, undefined)).rejects.toThrow(/query planning failed/);
  });

  it('a new supergraph drops the old plans', async () => {
    const q = '{ account { id } }';
    await planner.ensurePlanned(key(q), q, undefined);
    planner.setSupergraph(`${SUPERGRAPH}\n`);
    expect(await planner.get(key(q))).toBeUndefined();
    await planner.ensurePlanned(key(q), q, undefined);
    expect((await planner.get(key(q)))?.kind).toBe('QueryPlan');
  });
});
