import { serveSubgraph } from '@cockpit/kit';
import { createIdentitySubgraph } from './index';

serveSubgraph('identity', createIdentitySubgraph);
