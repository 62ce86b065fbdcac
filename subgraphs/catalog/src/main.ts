import { serveSubgraph } from '@cockpit/kit';
import { createCatalogSubgraph } from './index';

serveSubgraph('catalog', createCatalogSubgraph);
