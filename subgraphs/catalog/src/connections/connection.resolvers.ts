import { authorizeOn, can, forbidden, invalidRequest, notFound, type RequestContext } from '@cockpit/kit';
import type { Resolvers } from '../__generated__/resolvers-types';
import { directoryUserLoader } from '../directory/directory.client';
import { grantsByResourceLoader, resourcesOfSubjectsLoader, type AccessSubject } from '../scope-grants/scope-grant.service';
import type { ToolConnection } from './connection.entity';
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

/** The connections a subject may use, by name: one statement for the grants of a batch of subjects, one for the connections. */
async function connectionsOf(ctx: RequestContext, accountId: string, s: AccessSubject): Promise<ToolConnection[]> {
  const ids = await resourcesOfSubjectsLoader(ctx, accountId, 'CONNECTION').load(s);
  const rows = (await connectionLoader(ctx).loadMany(ids)).filter((c): c is ToolConnection => !!c && !(c instanceof Error));
  return rows.sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
}

/** The connections' resolvers, with the stack's secret box (its keys come from configuration). */
export function connectionResolvers(box: SecretBox): Resolvers {
  return {
    Query: {
      toolConnections: (_, __, ctx) => listConnections(ctx, ctx.account),
      toolConnection: (_, { id }, ctx) => loadConnection(ctx, id),
      myToolConnections: (_, __, ctx) => {
        const p = ctx.principal;
        return connectionsOf(ctx, ctx.account, { userId: p.userId ?? null, teamIds: p.teamIds, orgIds: p.orgIds });
      },
    },
    User: {
      toolConnections: async (user, _, ctx) => {
        const accountId = ctx.principal.accountId;
        if (!accountId) throw invalidRequest('Account context required: send the X-Account-Id header');
        if (!can(ctx.principal, 'connection.read', { accountId })) throw forbidden('Not allowed to connection.read');
        const u = await directoryUserLoader(ctx, accountId).load(user.id);
        if (!u || u.domain !== 'COPILOT') return [];
        return connectionsOf(ctx, accountId, { userId: u.id, teamIds: u.teamIds, orgIds: u.orgIds });
      },
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
      grants: (c, _, ctx) => {
        // an agent's tools and the marketplace hand connections to end users and agents; who else may use one is for account roles
        authorizeOn(ctx.principal, 'connection.read', c.accountId, 'ToolConnection');
        return grantsByResourceLoader(ctx, 'CONNECTION').load(c.id);
      },
    },
  };
}
