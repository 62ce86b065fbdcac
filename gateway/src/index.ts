import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { CREDENTIALS_CHANGED, parseCredentialsChanged } from '@cockpit/contracts';
import {
  CockpitError,
  createLogger,
  formatError,
  HTTP_STATUS,
  isUnexpected,
  respondWithApollo,
  sendJson,
  uuidv7,
  type Logger,
  type Principal,
  type SubgraphName,
} from '@cockpit/kit';
import { AccountStatusCache } from './auth/account-status';
import { AgentSessions } from './auth/agent-sessions';
import { ApiKeyCache } from './auth/api-keys';
import { createAuthenticator } from './auth/authenticate';
import { CredentialEvents, type CredentialChange } from './auth/credential-events';
import { DirectoryUsers } from './auth/directory-users';
import { identityClient } from './auth/identity-client';
import { OidcVerifier } from './auth/oidc';
import { SsoIssuerRegistry } from './auth/sso-issuers';
import type { GatewayConfig } from './config';
import { InternalDataSource, type GatewayContext } from './datasource';
import { operationLimitRules } from './limits';
import { SubscriptionBridge } from './subscriptions/bridge';
import { supergraphSource } from './supergraph';

export * from './config';
export type { GatewayContext } from './datasource';
export type { CredentialChange } from './auth/credential-events';

export interface Gateway {
  httpServer: Server;
  apollo: ApolloServer<GatewayContext>;
  bridge: SubscriptionBridge;
  apiKeys: ApiKeyCache;
  /** Identity's credential changes as this gateway hears them on the live feed (tests wait on `change`). */
  credentialEvents: CredentialEvents;
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

/** The gateway: authentication, internal tokens, error masking, health, and the subscription bridge. Built, not listening. */
export async function createGateway(config: GatewayConfig, log: Logger = createLogger('gateway', config.logLevel)): Promise<Gateway> {
  const subgraphUrls = new Map<string, string>();
  const urlOf = (name: SubgraphName) => config.subgraphUrls[name] ?? subgraphUrls.get(name) ?? '';
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphSource(config.supergraph, log),
    buildService: ({ name, url }) => {
      subgraphUrls.set(name, url ?? '');
      return new InternalDataSource(name, config.subgraphUrls[name as SubgraphName] ?? url!, config.internalKey, log, (events) => {
        // the replica that served the write applies it before answering; the live feed brings it to the others
        for (const e of events) {
          const parsed = e.type === CREDENTIALS_CHANGED ? parseCredentialsChanged(e.payload) : null;
          if (parsed?.ok) applyChange(parsed.value);
        }
      });
    },
    logger: { debug() {}, info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) },
  });
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: s }) => {
    apiSchema = s;
  });

  const requestPlugin: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const err of errors)
            if (isUnexpected(err)) log.error({ requestId: contextValue.requestId, err: err.originalError ?? err }, 'unexpected error');
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind === 'single') {
            for (const e of response.body.singleResult.errors ?? [])
              (e.extensions as Record<string, unknown>).requestId = contextValue.requestId;
          }
        },
      };
    },
  };
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: !config.production,
    hideSchemaDetailsFromClientErrors: config.production,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    validationRules: operationLimitRules(),
    plugins: [ApolloServerPluginLandingPageDisabled(), requestPlugin],
  });
  await apollo.start();

  const identity = identityClient(() => urlOf('identity'), config.internalKey);
  const apiKeys = new ApiKeyCache(identity, config.apiKeyCacheSeconds * 1000);
  const accountStatus = new AccountStatusCache(identity, config.apiKeyCacheSeconds * 1000);
  const directory = new DirectoryUsers(identity, config.apiKeyCacheSeconds * 1000);
  const ssoIssuers = new SsoIssuerRegistry(identity, log);
  const oidc = new OidcVerifier(config.issuers, { jwksCooldownSeconds: config.jwksCooldownSeconds, sso: ssoIssuers, log });
  const agents = new AgentSessions(identity, config.identityPublicKey);
  const auth = createAuthenticator({ masterKey: config.masterKey, apiKeys, oidc, claims: config.claims, accountStatus, agents, directory });

  const execute = async (principal: Principal, query: string, variables: Record<string, unknown>) => {
    const res = await apollo.executeOperation({ query, variables }, { contextValue: { principal, requestId: principal.requestId } });
    return res.body.kind === 'single' ? res.body.singleResult : { errors: [{ message: 'Incremental delivery is not supported' }] };
  };
  /** Drops what this gateway cached about a changed credential's account, and checks its live connections again. */
  function applyChange(c: Pick<CredentialChange, 'accountId' | 'reason'>) {
    if (c.reason === 'RECONNECTED' || c.reason === 'UNKNOWN') {
      // changes may have been missed: start over
      apiKeys.clear();
      accountStatus.clear();
      directory.clear();
      ssoIssuers.invalidate();
    } else {
      apiKeys.forgetAccount(c.accountId);
      if (c.accountId) {
        accountStatus.forget(c.accountId);
        directory.forgetAccount(c.accountId);
      }
      if (c.reason === 'SSO') ssoIssuers.invalidate();
    }
    // live feeds too: a revoked credential's subscriptions end now, not at the next round
    void bridge.revalidate();
  }
  const credentialEvents = new CredentialEvents({
    feedUrl: () => urlOf('observability').replace(/^http/, 'ws'),
    internalKey: config.internalKey,
    log,
  });
  credentialEvents.on('change', applyChange);

  const bridge = new SubscriptionBridge({
    authenticate: (c) => auth.authenticate(c),
    apiSchema: () => apiSchema,
    execute,
    feedUrl: () => urlOf('observability').replace(/^http/, 'ws'),
    internalKey: config.internalKey,
    allowedOrigins: config.allowedOrigins,
    revalidateMs: Math.max(1, config.apiKeyCacheSeconds) * 1000,
    log,
  });

  const httpServer = createServer((req, res) => {
    const requestId = sanitizeRequestId(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    handle(req, res, requestId).catch((err) => {
      log.error({ requestId, err }, 'request failed');
      if (!res.headersSent)
        sendJson(res, 500, { errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_ERROR', requestId } }] });
    });
  });
  httpServer.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/graphql') bridge.handleUpgrade(req, socket, head);
    else socket.destroy();
  });

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') return sendJson(res, 200, { ok: true });
    if (url.pathname === '/readyz') return sendJson(res, apiSchema ? 200 : 503, { ready: Boolean(apiSchema) });
    if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'Not found' });
    let principal: Principal;
    try {
      const h = (n: string) => (Array.isArray(req.headers[n]) ? (req.headers[n] as string[])[0] : (req.headers[n] as string | undefined));
      principal = await auth.authenticate({ authorization: h('authorization'), accountId: h('x-account-id'), requestId });
    } catch (e) {
      if (!(e instanceof CockpitError)) throw e;
      return sendJson(res, HTTP_STATUS[e.code], { errors: [{ message: e.message, extensions: { code: e.code, requestId } }] });
    }
    await respondWithApollo(apollo, req, res, url, async () => ({ principal, requestId }), requestId);
  }

  return {
    httpServer,
    apollo,
    bridge,
    apiKeys,
    credentialEvents,
    listen(port = 0, host = '127.0.0.1') {
      credentialEvents.start();
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve(`http://${host}:${(httpServer.address() as AddressInfo).port}/graphql`));
      });
    },
    async close() {
      await credentialEvents.close();
      await bridge.close();
      await new Promise<void>((r) => {
        httpServer.close(() => r());
        httpServer.closeIdleConnections();
      });
      await apollo.stop();
    },
  };
}

function sanitizeRequestId(v: string | string[] | undefined): string {
  const s = Array.isArray(v) ? v[0] : v;
  return s && REQUEST_ID_RE.test(s) ? s : uuidv7();
}
