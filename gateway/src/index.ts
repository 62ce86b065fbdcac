import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { Kind, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
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
import { identityClient } from './auth/identity-client';
import { OidcVerifier } from './auth/oidc';
import { SsoIssuerRegistry } from './auth/sso-issuers';
import type { GatewayConfig } from './config';
import { InternalDataSource, type GatewayContext } from './datasource';
import { operationLimitRules } from './limits';
import { createEdgeLimiter, DEFAULT_RATE_LIMIT, HttpAdmission } from './rate-limit';
import { SubscriptionBridge } from './subscriptions/bridge';
import { supergraphSource } from './supergraph';

export * from './config';
export { PLAN_LIMITS, createEdgeLimiter, rateLimitConfigFromEnv, type GatewayLimiter, type RateLimitConfig } from './rate-limit';
export type { GatewayContext } from './datasource';

export interface Gateway {
  httpServer: Server;
  apollo: ApolloServer<GatewayContext>;
  bridge: SubscriptionBridge;
  apiKeys: ApiKeyCache;
  /** Rate limits of the HTTP edge; null when they are off. */
  admission: HttpAdmission | null;
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
      return new InternalDataSource(name, config.subgraphUrls[name as SubgraphName] ?? url!, config.internalKey, log);
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
        async willSendResponse({ response, contextValue, operation }) {
          if (operation?.operation === 'mutation' && revokesKeys(operation)) {
            apiKeys.clear();
            accountStatus.clear();
            // live feeds too: a revoked credential's subscriptions end now, not at the next round
            void bridge.revalidate();
          }
          if (operation?.operation === 'mutation' && hasRootField(operation, SSO_FIELDS)) ssoIssuers.invalidate();
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
  const ssoIssuers = new SsoIssuerRegistry(identity, log);
  const oidc = new OidcVerifier(config.issuers, { jwksCooldownSeconds: config.jwksCooldownSeconds, sso: ssoIssuers, log });
  const agents = new AgentSessions(identity, config.internalKey);
  const auth = createAuthenticator({ masterKey: config.masterKey, apiKeys, oidc, claims: config.claims, accountStatus, agents });
  const limiter = await createEdgeLimiter(config.rateLimit ?? DEFAULT_RATE_LIMIT, { planOf: (a) => accountStatus.planOf(a), log });
  const admission = limiter && new HttpAdmission(limiter);

  const execute = async (principal: Principal, query: string, variables: Record<string, unknown>) => {
    const res = await apollo.executeOperation({ query, variables }, { contextValue: { principal, requestId: principal.requestId } });
    return res.body.kind === 'single' ? res.body.singleResult : { errors: [{ message: 'Incremental delivery is not supported' }] };
  };
  const bridge = new SubscriptionBridge({
    authenticate: (c) => auth.authenticate(c),
    apiSchema: () => apiSchema,
    execute,
    feedUrl: () => urlOf('observability').replace(/^http/, 'ws'),
    internalKey: config.internalKey,
    allowedOrigins: config.allowedOrigins,
    revalidateMs: Math.max(1, config.apiKeyCacheSeconds) * 1000,
    log,
    // TODO(lead): add `limiter: limiter ?? undefined,` once the bridge's options accept it (edge-ws branch)
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
    if (admission && !(await admission.admit(principal, res, requestId))) return;
    await respondWithApollo(apollo, req, res, url, async () => ({ principal, requestId }), requestId);
  }

  return {
    httpServer,
    apollo,
    bridge,
    apiKeys,
    admission,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve(`http://${host}:${(httpServer.address() as AddressInfo).port}/graphql`));
      });
    },
    async close() {
      await bridge.close();
      await new Promise<void>((r) => {
        httpServer.close(() => r());
        httpServer.closeIdleConnections();
      });
      await apollo.stop();
      await limiter?.close();
    },
  };
}

/** A mutation that may revoke API keys: this replica drops its key cache at once. */
function revokesKeys(op: OperationDefinitionNode): boolean {
  return hasRootField(op, REVOKING_FIELDS);
}
function hasRootField(op: OperationDefinitionNode, names: Set<string>): boolean {
  return op.selectionSet.selections.some((s) => s.kind === Kind.FIELD && names.has(s.name.value));
}
/** Mutations after which this replica re-reads the per-account SSO issuers. */
const SSO_FIELDS = new Set(['setAccountSso']);
const REVOKING_FIELDS = new Set([
  'revokeApiKey',
  'suspendAccount',
  'reactivateAccount',
  'deleteAccount',
  'deactivateUser',
  'reactivateUser',
  'disableServiceAccount',
  'revokeRuntimeAgent',
  'setAccountAdminRole',
  'removeAccountAdmin',
  'updateAccount', // a plan change moves the account's rate limits
]);

function sanitizeRequestId(v: string | string[] | undefined): string {
  const s = Array.isArray(v) ? v[0] : v;
  return s && REQUEST_ID_RE.test(s) ? s : uuidv7();
}
