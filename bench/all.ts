/**
 * `npm run bench` (never part of `npm test`): every figure of the performance
 * issue in one run, on one kind of database (embedded PGlite, or PostgreSQL with
 * DATABASE_URL), then one markdown summary of every table, ready for
 * bench/BENCHMARKS.md.
 *
 *   npm run bench                                     short (≤ 10 min on 2 cores)
 *   npm run bench -- --full                           the long runs (5,000 subscribers, 8 × 300 requests, 60 s of writes)
 *   npm run bench -- --only=compare,live              some sections (names below)
 *   npm run bench -- --out=bench/last-run.md          also write the summary to a file
 *
 * Each section is its own script in a process of its own, run one after the
 * other (never two at once), so one section's heap, stack or children cannot
 * weigh on the next one's CPU and RSS figures, and each stays runnable alone
 * (`npm run bench:<name>`). A section prints progress on stderr (passed
 * through as it runs) and its tables on stdout (collected for the summary).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Section {
  name: string;
  title: string;
  script: string;
  /** Set for the section's process: the stack it starts (its subgraphs) reads them at start. */
  env?: Record<string, string>;
  /** Only with `--only` naming it. */
  optional?: boolean;
}

/**
 * The dashboard comparison and the subgraphs' CPU run twice: with the subgraphs' answer cache off
 * (`COCKPIT_ANSWER_CACHE_MB=0`: every request executes, the uncached path) and on
 * (`BENCH_ANSWER_CACHE_MB`, default 32: repeated dashboards are answered from it while no write
 * changed the account). The stacks these sections start read the variable.
 */
const CACHE_MB = process.env.BENCH_ANSWER_CACHE_MB ?? '32';
const OFF = { COCKPIT_ANSWER_CACHE_MB: '0' };
const ON = { COCKPIT_ANSWER_CACHE_MB: CACHE_MB };

const SECTIONS: Section[] = [
  {
    name: 'statements',
    title: 'SQL statements per request at 10 / 100 / 1,000 rows (answer cache off)',
    script: 'statements.ts',
    env: OFF,
  },
  {
    name: 'compare',
    title: 'The dashboard through Cockpit, raw @apollo/gateway, @graphql-hive/gateway and the direct floor (answer cache off)',
    script: 'compare.ts',
    env: OFF,
  },
  {
    name: 'compare-cache',
    title: `The same comparison with the subgraphs' answer cache on (${CACHE_MB} MB)`,
    script: 'compare.ts',
    env: ON,
  },
  // the subgraphs' own CPU per dashboard request, the subgraphs in a process of their own
  { name: 'subgraph-cpu', title: "The subgraphs' CPU per dashboard request (answer cache off)", script: 'subgraph-cpu.ts', env: OFF },
  {
    name: 'subgraph-cpu-cache',
    title: `The subgraphs' CPU per dashboard request (answer cache on, ${CACHE_MB} MB)`,
    script: 'subgraph-cpu.ts',
    env: ON,
  },
  { name: 'live', title: 'Live events to many subscribers of one account', script: 'live.ts' },
  { name: 'mutations', title: 'Audited writes per second and their audit lag', script: 'mutations.ts' },
  // not figures of the issue; `--only=edge,overhead` runs them here too
  { name: 'edge', title: 'Edge limits on vs off', script: 'edge.ts', optional: true },
  { name: 'overhead', title: 'Federation overhead: via the gateway vs the direct calls', script: 'run.ts', optional: true },
];

const FULL = process.argv.includes('--full');
const flag = (name: string) =>
  process.argv
    .find((a) => a.startsWith(`--${name}=`))
    ?.split('=')
    .slice(1)
    .join('=');
const ONLY = flag('only')?.split(',');
const OUT = flag('out');

/** Runs one section's script, passing its stderr through and collecting its stdout. */
function run(section: Section): Promise<{ out: string; code: number | null }> {
  // under tsx, execArgv carries its loader; `node bench/all.ts` has none
  const execArgv = process.execArgv.length ? process.execArgv : ['--import', 'tsx'];
  const proc = spawn(process.execPath, [...execArgv, join(__dirname, section.script), ...(FULL ? ['--full'] : [])], {
    env: { ...process.env, ...section.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (chunk: string) => {
    out += chunk;
    process.stderr.write(chunk);
  });
  return new Promise((resolve, reject) => {
    proc.once('error', reject);
    proc.once('close', (code) => resolve({ out, code }));
  });
}

/** A blank line before each table, so the caption above it stays a paragraph of its own in markdown. */
const paragraphs = (text: string) => text.replace(/^([^|\n].*)\n\|/gm, '$1\n\n|');

async function main() {
  const unknown = ONLY?.filter((n) => !SECTIONS.some((s) => s.name === n));
  if (unknown?.length) throw new Error(`unknown sections ${unknown.join(', ')}; known: ${SECTIONS.map((s) => s.name).join(', ')}`);
  const chosen = SECTIONS.filter((s) => (ONLY ? ONLY.includes(s.name) : !s.optional));
  const database = process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite';
  const started = Date.now();
  const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;
  const parts: string[] = [];
  let failed = 0;
  for (const [i, section] of chosen.entries()) {
    process.stderr.write(`\n=== [${i + 1}/${chosen.length}] ${section.name}: ${section.title} (${minutes(Date.now() - started)} in) ===\n`);
    const t0 = Date.now();
    const { out, code } = await run(section);
    const took = minutes(Date.now() - t0);
    if (code !== 0) failed++;
    const env = section.env
      ? ` ${Object.entries(section.env)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`
      : '';
    parts.push(
      `### ${section.title}\n\n` +
        `\`${env.trim() ? `${env.trim()} ` : ''}npx tsx bench/${section.script}${FULL ? ' --full' : ''}\` — ${took}` +
        (code === 0 ? '' : ` — **FAILED (exit ${code})**`) +
        `\n\n${paragraphs(out.trim())}\n`,
    );
  }
  const summary =
    `## \`npm run bench${FULL ? ' -- --full' : ''}\` — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC\n\n` +
    `${database}; ${chosen.length} sections in ${minutes(Date.now() - started)}, one after the other.\n\n` +
    parts.join('\n');
  console.log(`\n${summary}`);
  if (OUT) writeFileSync(OUT, summary);
  if (failed) {
    console.error(`${failed} section(s) failed`);
    process.exit(1);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
