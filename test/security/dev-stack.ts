import { createGateway, DEV_ISSUER, type Gateway, type RateLimitConfig } from '@cockpit/gateway';
import { startStack, type Stack } from '@cockpit/cli';
import { freshDatabase, testKeys } from '@cockpit/kit';

/**
 * The whole stack on a fresh database, trusting a local dev issuer whose key the test holds (so it can
 * mint account tokens), plus further gateways on the same subgraphs with their own rate-limit settings.
 */
export async function startDevStack(rateLimit?: RateLimitConfig) {
  const db = await freshDatabase();
  const keys = testKeys();
  const dev = testKeys();
  const masterKey = `mk-${Date.now()}-${Math.random().toString(36).slice(2)}-dev-stack`;
  const issuers = [{ issuer: DEV_ISSUER, audience: 'cockpit', publicKey: dev.publicKey, algorithms: ['EdDSA'] }];
  let stack: Stack;
  try {
    stack = await startStack({
      databaseUrl: db.url,
      port: 0,
      randomPorts: true,
      internalKey: keys,
      masterKey,
      issuers,
      logLevel: process.env.LOG_LEVEL ?? 'silent',
      rateLimit,
    });
  } catch (err) {
    await db.close();
    throw err;
  }
  const extra: Gateway[] = [];
  return {
    stack,
    dev,
    masterKey,
    /** Another gateway on the same subgraphs with its own rate-limit settings. */
    async gatewayWith(limits: RateLimitConfig): Promise<{ gw: Gateway; url: string }> {
      const gw = await createGateway({ ...stack.gatewayConfig, logLevel: 'silent', rateLimit: limits });
      extra.push(gw);
      return { gw, url: await gw.listen(0) };
    },
    async close() {
      for (const g of extra) await g.close();
      await stack.close();
      await db.close();
    },
  };
}
export type DevStack = Awaited<ReturnType<typeof startDevStack>>;
