import { EnvReader, serveSubgraph } from '@cockpit/kit';
import { createInProcessLiveBus, createObservabilitySubgraph, createPostgresLiveBus } from './index';

serveSubgraph('observability', async (config) => {
  const env = new EnvReader(process.env);
  // standalone processes are how replicas run, so the feed crosses them through PostgreSQL by default
  const busKind = env.oneOf('COCKPIT_LIVE_BUS', ['postgres', 'memory'] as const, 'postgres');
  env.done();
  const bus = busKind === 'postgres' ? await createPostgresLiveBus({ url: config.databaseUrl, log: config.log }) : createInProcessLiveBus();
  const server = await createObservabilitySubgraph({ ...config, bus });
  const close = server.close;
  server.close = async () => {
    await close();
    await bus.close?.();
  };
  return server;
});
