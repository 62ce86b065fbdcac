import { DEFAULT_PORTS, EnvReader, serveSubgraph } from '@cockpit/kit';
import { createBudgetsSubgraph } from './index';

serveSubgraph('budgets', (config) => {
  const env = new EnvReader(process.env);
  // the directory (BU2, BU4, BU5) is identity's: budgets asks it through its internal route
  const identityUrl = env.url('COCKPIT_IDENTITY_URL', `http://127.0.0.1:${DEFAULT_PORTS.identity}`)!;
  env.done();
  return createBudgetsSubgraph({ ...config, identityUrl });
});
