import { existsSync, readFileSync } from 'node:fs';
import { API_FILE, SUPERGRAPH_FILE, compose } from './subgraphs';

/** Fails on a composition error and on drift between the committed and the freshly composed schemas. */
try {
  const fresh = compose();
  const drift = [
    [SUPERGRAPH_FILE, fresh.supergraph],
    [API_FILE, fresh.api],
  ].filter(([file, text]) => !existsSync(file) || readFileSync(file, 'utf8') !== text);
  if (drift.length) {
    console.error(
      `schema drift: ${drift.map(([f]) => f).join(', ')} differ from the subgraphs' SDL.\nRun \`npm run schema:compose\` and commit the result.`,
    );
    process.exit(1);
  }
  console.log('schema check: composition ok, no drift');
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
