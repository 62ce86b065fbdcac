import { ConfigError } from './config';
import type { BuiltSubgraph, SubgraphConfig } from './subgraph';
import { subgraphConfigFromEnv, type SubgraphName } from './subgraph-env';

/**
 * What every subgraph's `main.ts` does: read the environment once, build,
 * listen, and drain on SIGTERM/SIGINT. `create` may attach its own resources
 * (observability's live bus) and release them in its server's close.
 */
export function serveSubgraph(name: SubgraphName, create: (config: SubgraphConfig) => Promise<BuiltSubgraph>): void {
  (async () => {
    const { config, port, host } = subgraphConfigFromEnv(name);
    const server = await create(config);
    const url = await server.listen(port, host);
    config.log.info({ url }, `${name} subgraph listening`);
    const stop = () =>
      server.close().then(
        () => process.exit(0),
        (err: unknown) => {
          config.log.error({ err }, `${name} subgraph did not stop cleanly`);
          process.exit(1);
        },
      );
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  })().catch((err) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  });
}
