import { serveSubgraph } from '@cockpit/kit';
import { createBudgetsSubgraph } from './index';

// the directory (BU2, BU4, BU5) is identity's: budgets asks it through its internal route (COCKPIT_IDENTITY_URL)
serveSubgraph('budgets', createBudgetsSubgraph);
