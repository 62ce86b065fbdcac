import { startStack, type Stack, type StackOptions } from '@cockpit/cli';
import { freshDatabase, testKeys } from '@cockpit/kit';

/** The master key every benchmark's stack trusts. */
export const MASTER_KEY = 'bench-master-key';

/**
 * The whole stack for a benchmark: a fresh database (PGlite in memory, or a new
 * database on DATABASE_URL's server), free loopback ports, the master key, quiet
 * logs. `close()` stops the stack and drops the database. The gateway's key pair
 * is `stack.keys.gateway`. `COCKPIT_ANSWER_CACHE_MB` sizes the subgraphs' answer cache as it
 * does for `cockpit up` (`0`: off).
 */
export async function startBenchStack(opts: Partial<StackOptions> = {}): Promise<Stack> {
  const db = await freshDatabase();
  try {
    const stack = await startStack({
      databaseUrl: db.url,
      port: 0,
      randomPorts: true,
      internalKey: testKeys(),
      masterKey: MASTER_KEY,
      logLevel: 'silent',
      ...(process.env.COCKPIT_ANSWER_CACHE_MB ? { answerCacheMb: Number(process.env.COCKPIT_ANSWER_CACHE_MB) } : {}),
      ...opts,
    });
    return {
      ...stack,
      async close() {
        await stack.close();
        await db.close();
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}
