import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { EnvReader, SubgraphName } from '@cockpit/kit/edge';

/**
 * `cockpit up` on more than one core: the gateway stays in the process the
 * operator started, the database (embedded PGlite, single-threaded and the
 * heaviest CPU user) and the five subgraphs run in one child process, so the
 * gateway's planning, auth and live fan-out never wait behind SQL.
 *
 * The child is this CLI again (`main.ts subgraph-process`, nothing secret on
 * its command line or in its environment beyond what the operator set): it
 * reads the same configuration and the same 0600 key files in COCKPIT_HOME,
 * and talks to the parent over the IPC channel only. The bootstrap admin key
 * it creates travels back over that channel, never through argv, env or logs.
 *
 * This file is the parent's side and loads nothing of the subgraphs; the
 * child's side is ./subgraph-process.ts.
 */

/** How many processes `cockpit up` uses: `COCKPIT_PROCESSES`, else the machine's cores; 1 is the single-process stack. */
export function processCount(r: EnvReader): number {
  return r.int('COCKPIT_PROCESSES', Math.min(2, availableParallelism()), 1, 64);
}

/** The internal command the parent forks; not in the usage text. */
export const SUBGRAPH_PROCESS_COMMAND = 'subgraph-process';

/** What the subgraph process (./subgraph-process.ts) tells its parent. */
export type ToParent =
  | { type: 'ready'; urls: Record<SubgraphName, string>; boot: { created: true; secret: string } | { created: false } }
  | { type: 'failed'; message: string };

/** Raised in the parent when the subgraph process could not start; its message is the child's (a taken port is named as in one process). */
export class SubgraphProcessError extends Error {}

export interface SubgraphProcess {
  pid: number;
  urls: Record<SubgraphName, string>;
  boot: { created: true; secret: string } | { created: false };
  /** Called once if the child exits when nobody asked it to (crash, OOM kill, `kill -9`). */
  onUnexpectedExit(cb: (why: string) => void): void;
  /** Asks the child to close its subgraphs and database, and waits until it has exited. */
  stop(): Promise<void>;
}

/** How long a stopping child may take to close its database before it is killed. */
const STOP_GRACE_MS = 20_000;

/** Parent side: forks `entry` as the subgraph process and resolves when its subgraphs listen (and the admin key is bootstrapped). */
export function startSubgraphProcess(entry: string): Promise<SubgraphProcess> {
  const child: ChildProcess = fork(entry, [SUBGRAPH_PROCESS_COMMAND], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let stopping = false;
  let unexpected: ((why: string) => void) | undefined;
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exit code ${code}`)),
  );
  void exited.then((why) => {
    if (!stopping) unexpected?.(why);
  });
  return new Promise<SubgraphProcess>((resolve, reject) => {
    child.once('error', (err) => reject(err));
    // settled once the child has gone, so a failed start leaves nothing behind (the database closed, its port free)
    let failure: string | undefined;
    void exited.then((why) => reject(new SubgraphProcessError(failure ?? `the subgraph process exited before it was ready (${why})`)));
    child.on('message', (m: ToParent) => {
      if (m.type === 'failed') {
        stopping = true;
        failure = m.message;
        return;
      }
      if (m.type !== 'ready') return;
      resolve({
        pid: child.pid!,
        urls: m.urls,
        boot: m.boot,
        onUnexpectedExit: (cb) => void (unexpected = cb),
        async stop() {
          stopping = true;
          if (child.exitCode === null && child.signalCode === null) {
            child.send({ type: 'stop' });
            const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
            await exited;
            clearTimeout(timer);
          }
        },
      });
    });
  });
}
