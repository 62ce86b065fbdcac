import { subgraphConfigFromEnv } from '@cockpit/kit';
import { createIdentitySubgraph } from './index';

async function main() {
  const { config, port, host } = subgraphConfigFromEnv('identity');
  const server = await createIdentitySubgraph(config);
  const url = await server.listen(port, host);
  config.log.info({ url }, 'identity subgraph listening');
  const stop = () => server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
