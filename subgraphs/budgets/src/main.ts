import { serveSubgraph } from '@cockpit/kit';
import { createBudgetsSubgraph } from './index';

serveSubgraph('budgets', createBudgetsSubgraph);
