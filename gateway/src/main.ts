import { gatewayConfigFromEnv, createGateway } from './index';

async function main() {
  const { config, port, host } = gatewayConfigFromEnv();
  const gw = await createGateway(config);
  const url = await gw.listen(port, host);
  console.error(`gateway listening on ${url}`);
  const stop = () =>
    gw.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('gateway did not stop cleanly:', err instanceof Error ? err.message : err);
        process.exit(1);
      },
    );
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
