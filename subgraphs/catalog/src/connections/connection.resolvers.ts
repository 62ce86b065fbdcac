import { notFound, type RequestContext } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { grantsByResourceLoader } from '../scope-grants/scope-grant.service';
import {
  changeConnectionGrants,
  connectionLoader,
  createConnection,
  deleteConnection,
  listConnections,
  rotateConnectionSecrets,
  updateConnection,
} from './connection.service';
import type { SecretBox } from './secret-box';

async function loadConnection(ctx: RequestContext, id: string) {
  const c = await connectionLoader(ctx).load(id);
  if (!c) throw notFound('ToolConnection');
  return c;
}

/** The connections' resolvers, with the stack's secret box (its keys come from configuration). */
export function connectionResolvers(box: SecretBox): Resolvers {
  return {
    Query: {
      toolConnections: (_, __, ctx) => listConnections(ctx, ctx.account),
      toolConnection: (_, { id }, ctx) => loadConnection(ctx, id),
    },
    Mutation: {
      createToolConnection: (_, { input }, ctx) => createConnection(ctx, box, ctx.account, input),
      updateToolConnection: (_, { id, input }, ctx) => updateConnection(ctx, box, ctx.account, id, input),
      deleteToolConnection: (_, { id }, ctx) => deleteConnection(ctx, ctx.account, id),
      addToolConnectionGrants: (_, { id, scopes }, ctx) => changeConnectionGrants(ctx, ctx.account, id, 'add', scopes),
      removeToolConnectionGrants: (_, { id, scopes }, ctx) => changeConnectionGrants(ctx, ctx.account, id, 'remove', scopes),
      rotateConnectionSecrets: (_, __, ctx) => rotateConnectionSecrets(ctx, box),
    },
    ToolConnection: {
      // the sealed columns never leave this subgraph: only whether there is a secret and its field names
      hasSecret: (c) => c.secretCiphertext !== null,
      secretFields: (c) => [...c.secretFields],
      config: (c) => c.config,
      grants: (c, _, ctx) => grantsByResourceLoader(ctx, 'CONNECTION').load(c.id),
    },
  };
}
