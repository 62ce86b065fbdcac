import { startStack, type Stack, type StackOptions } from '@cockpit/cli';
import { stripVTControlCharacters } from 'node:util';
import { freshDatabase, RELAY_LOG_LABEL, testKeys } from '@cockpit/kit';

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

/**
 * Counts the SQL a request causes, from the ORM's query log (`onQuery` of the stack): every
 * statement, transaction control included (a transaction is a `begin`), but not the outbox
 * relays' own polling.
 */
export function sqlCounter() {
  let statements = 0;
  let transactions = 0;
  return {
    onQuery(line: string) {
      if (!/\[query\]/.test(line) || line.includes(`(${RELAY_LOG_LABEL})`) || /"outbox"/.test(line)) return;
      statements++;
      if (/\] (\S+\s)?begin\b/.test(stripVTControlCharacters(line))) transactions++;
    },
    /** The fewest statements and transactions of one `ask()` in 5, after a warm-up (a relay's periodic poll may land inside one). */
    async fewest(ask: () => Promise<unknown>): Promise<{ statements: number; transactions: number }> {
      await ask(); // warm caches and plans
      let fewest = Infinity;
      let txs = Infinity;
      for (let i = 0; i < 5; i++) {
        statements = 0;
        transactions = 0;
        await ask();
        fewest = Math.min(fewest, statements);
        txs = Math.min(txs, transactions);
      }
      return { statements: fewest, transactions: txs };
    },
  };
}
