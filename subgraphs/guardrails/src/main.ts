import { serveSubgraph } from '@cockpit/kit';
import { createGuardrailsSubgraph } from './index';

serveSubgraph('guardrails', createGuardrailsSubgraph);
