import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');

/**
 * Loads `@cockpit/gateway` in a fresh node under tsx (jest's own module registry
 * would hide what node loads) and lists every file in require.cache.
 */
async function loadedBy(specifier: string): Promise<string[]> {
  const script = `require(${JSON.stringify(specifier)}); process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as string[];
}

/** Packages only the subgraphs run: the gateway importing the kit's barrel instead of `@cockpit/kit/edge` loads them all. */
const SUBGRAPH_ONLY = /[\\/]node_modules[\\/](@mikro-orm|knex|pg|pg-pool|@electric-sql|@apollo[\\/]subgraph|umzug)[\\/]/;
const KIT_SUBGRAPH_MODULES = /[\\/]packages[\\/]kit[\\/]src[\\/](db|context|server|subgraph|outbox|pglite|testing|data|main)\.ts$/;

describe('the gateway module graph', () => {
  it('loads neither the ORM, the database drivers, PGlite nor the subgraph server', async () => {
    const files = await loadedBy('@cockpit/gateway');
    // the probe works: the gateway and the kit's edge were loaded from this checkout
    expect(files.some((f) => f.endsWith(join('gateway', 'src', 'index.ts')))).toBe(true);
    expect(files.some((f) => f.endsWith(join('kit', 'src', 'edge.ts')))).toBe(true);
    expect(files.filter((f) => SUBGRAPH_ONLY.test(f) || KIT_SUBGRAPH_MODULES.test(f))).toEqual([]);
  });

  it('would see them: the kit barrel, as the subgraphs use it, loads the ORM and pg', async () => {
    const files = await loadedBy('@cockpit/kit');
    expect(files.some((f) => /[\\/]node_modules[\\/]@mikro-orm[\\/]core[\\/]/.test(f))).toBe(true);
    expect(files.some((f) => /[\\/]node_modules[\\/]pg[\\/]/.test(f))).toBe(true);
    expect(files.some((f) => KIT_SUBGRAPH_MODULES.test(f))).toBe(true);
  });
});
