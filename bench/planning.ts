/**
 * `npx tsx bench/planning.ts` (never part of `npm test`): how long the gateway
 * spends planning the worst documents the operation limits still admit. The
 * planner is synchronous, so its time is bounded only by what goes into it:
 * each shape is sent once with a fresh document (planned) and again (plan
 * cached), and the difference is the planning time.
 */
import { performance } from 'node:perf_hooks';
import { MASTER_KEY, startBenchStack } from './stack';
import { gatewayPoster } from './gql';

const SHAPES: Record<string, (salt: string) => string> = {
  // 10 levels across identity, budgets and catalog, through named fragments
  'depth 10 through fragments': (salt) =>
    `query Q${salt} { account { ...A } } fragment A on Account { budgetPlan { monthlyCredits } eligibleModels { id } orgs(first: 1) { nodes { ...O } } } fragment O on Org { teams(first: 1) { nodes { org { teams(first: 1) { nodes { org { name } members(first: 1) { nodes { email } } } } } } } }`,
  // 15 aliases, each a cross-subgraph path 7 deep
  '15 aliases × cross-subgraph depth 7': (salt) =>
    `query Q${salt} { ${Array.from({ length: 15 }, (_, i) => `a${i}: account { budgetPlan { monthlyCredits } eligibleModels { id } orgs(first: 1) { nodes { teams(first: 1) { nodes { org { name } members(first: 1) { nodes { email } } } } } } }`).join(' ')} }`,
  // 50 inline fragments on interfaces/unions would be the next shape; the API has none
};

async function main() {
  const stack = await startBenchStack();
  const post = gatewayPoster(stack.url);
  try {
    const id = (await post(MASTER_KEY, `mutation { createAccount(input: { name: "P", emailDomain: "p.example", planTier: TEAM }) { id } }`))
      .createAccount.id;
    for (const [name, shape] of Object.entries(SHAPES)) {
      const planned: number[] = [];
      const cached: number[] = [];
      for (let i = 0; i < 5; i++) {
        const q = shape(String(i));
        let t = performance.now();
        await post(MASTER_KEY, q, {}, id);
        planned.push(performance.now() - t);
        t = performance.now();
        await post(MASTER_KEY, q, {}, id);
        cached.push(performance.now() - t);
      }
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      console.log(
        `${name}: first request ${median(planned).toFixed(1)} ms, plan cached ${median(cached).toFixed(1)} ms → planning ≈ ${(median(planned) - median(cached)).toFixed(1)} ms`,
      );
    }
  } finally {
    await stack.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
