import { writeFileSync } from 'node:fs';
import { API_FILE, SUPERGRAPH_FILE, compose } from './subgraphs';

try {
  const { supergraph, api } = compose();
  writeFileSync(SUPERGRAPH_FILE, supergraph);
  writeFileSync(API_FILE, api);
  console.log(`wrote ${SUPERGRAPH_FILE} and ${API_FILE}`);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
