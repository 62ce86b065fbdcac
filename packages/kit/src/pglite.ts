import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PGlite as PGliteType } from '@electric-sql/pglite';
import type { PGLiteSocketServer as PGLiteSocketServerType } from '@electric-sql/pglite-socket';

/**
 * Loaded on first use: importing PGlite costs ~58 MB of memory (its WebAssembly), which a
 * process that never starts the embedded database (the gateway, services on PostgreSQL) should not pay.
 */
function embeddedModules(): { PGlite: typeof PGliteType; PGLiteSocketServer: typeof PGLiteSocketServerType } {
  return {
    PGlite: (require('@electric-sql/pglite') as typeof import('@electric-sql/pglite')).PGlite,
    PGLiteSocketServer: (require('@electric-sql/pglite-socket') as typeof import('@electric-sql/pglite-socket')).PGLiteSocketServer,
  };
}

export interface EmbeddedPostgres {
  url: string;
  /** The directory holding the socket (`psql "host=<socketDir> port=5432 user=postgres"`). */
  socketDir: string;
  close(): Promise<void>;
}

/** libpq's and pg's convention: the server socket in `host=<dir>` is `<dir>/.s.PGSQL.<port>`. */
export const EMBEDDED_PORT = 5432;
/** sun_path holds 108 bytes on Linux (104 on macOS), the terminating NUL included. */
const MAX_SOCKET_PATH = 103;

/**
 * The embedded default: PGlite (persisted in `dataDir`, or in memory) served so
 * the same pg driver, SQL and migrations run as on PostgreSQL. PGlite has no
 * authentication and every session is a superuser, so it is never on a TCP port:
 * it listens on a Unix socket in a directory only this OS user may enter (0700;
 * the socket 0600) — `socketDir`, or a fresh private temporary directory.
 */
export async function startEmbeddedPostgres(opts: { dataDir?: string; socketDir?: string } = {}): Promise<EmbeddedPostgres> {
  const ownDir = !opts.socketDir;
  const dir = opts.socketDir ?? mkdtempSync(join(tmpdir(), 'cockpit-pg-'));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700); // an existing directory keeps its mode otherwise
  const path = join(dir, `.s.PGSQL.${EMBEDDED_PORT}`);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH)
    throw new Error(`The embedded database's socket path is too long for the OS (${path}): use a shorter COCKPIT_HOME`);
  await clearStaleSocket(path);
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const { PGlite, PGLiteSocketServer } = embeddedModules();
  const db = await PGlite.create(opts.dataDir ? { dataDir: opts.dataDir } : {});
  const server = new PGLiteSocketServer({ db, path, maxConnections: 64 }); // five subgraph pools of 8 plus relays and migrations
  try {
    await server.start();
    chmodSync(path, 0o600);
  } catch (err) {
    await db.close();
    throw err;
  }
  return {
    // pg and MikroORM both read a percent-encoded absolute path as the host as "a Unix socket in this directory"
    url: `postgres://postgres@${encodeURIComponent(dir)}:${EMBEDDED_PORT}/postgres`,
    socketDir: dir,
    async close() {
      await server.stop();
      await db.close();
      rmSync(ownDir ? dir : path, { recursive: true, force: true });
    },
  };
}

/**
 * A socket file left by a process that was killed would make listen fail; one that
 * still answers means the same database is open elsewhere (PGlite's files are not
 * safe to open twice), which is refused.
 */
async function clearStaleSocket(path: string): Promise<void> {
  const alive = await new Promise<boolean>((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
  if (alive) throw new Error(`The embedded database is already in use (${path}): stop the Cockpit that runs on it first`);
  rmSync(path, { force: true });
}
