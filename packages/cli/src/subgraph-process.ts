import { bootstrapAdminKey } from '@cockpit/identity';
import { createLogger } from '@cockpit/kit';
import type { ToParent } from './processes';
import { PortInUseError, startSubgraphs, type StackOptions } from './stack';

/**
 * Child side: starts the database and the subgraphs, bootstraps the admin key,
 * reports to the parent and stays up until the parent says stop — or goes away
 * (its IPC channel closes: a parent killed with SIGKILL leaves no orphan).
 * Ctrl-C reaches the whole process group; the child leaves it to the parent,
 * which stops the gateway first and then this process.
 */
export function serveSubgraphs(opts: StackOptions): void {
  const send = (m: ToParent) => process.send?.(m);
  const log = createLogger('cockpit', opts.logLevel ?? 'info');
  const starting = startSubgraphs(opts, log);
  let stopping: Promise<void> | undefined;
  let exitCode = 0;
  // closes what started (a failed start closed itself), then exits
  const stop = () =>
    (stopping ??= starting
      .then(
        (set) => set.close(),
        () => undefined,
      )
      .then(
        () => process.exit(exitCode),
        (err) => {
          log.error({ err }, 'the subgraph process failed to stop cleanly');
          process.exit(1);
        },
      ));
  process.on('SIGINT', () => {});
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'stop') void stop();
  });
  void starting
    .then(async (set) => {
      const boot = await bootstrapAdminKey(set.subgraphs.identity.orm);
      send({ type: 'ready', urls: set.subgraphUrls, boot: boot.created ? { created: true, secret: boot.secret } : { created: false } });
    })
    .catch((err: Error) => {
      send({ type: 'failed', message: err instanceof PortInUseError ? err.message : String(err?.stack ?? err) });
      exitCode = 1;
      void stop();
    });
}
