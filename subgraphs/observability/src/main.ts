import { EnvReader, subgraphConfigFromEnv } from '@cockpit/kit';
import { createInProcessLiveBus, createObservabilitySubgraph, createPostgresLiveBus } from './index';

async function main() {
  const { config, port, host } = subgraphConfigFromEnv('observability');
  const env = new EnvReader(process.env);
  // standalone processes are how replicas run, so the feed crosses them through PostgreSQL by default
  const busKind = env.oneOf('COCKPIT_LIVE_BUS', ['postgres', 'memory'] as const, 'postgres');
  env.done();
  const bus = busKind === 'postgres' ? await createPostgresLiveBus({ url: config.databaseUrl, log: config.log }) : createInProcessLiveBus();
  const server = await createObservabilitySubgraph({ ...config, bus });
  const url = await server.listen(port, host);
  config.log.info({ url, bus: busKind }, 'observability subgraph listening');
  const stop = () =>
    server
      .close()
      .then(() => bus.close?.())
      .then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
