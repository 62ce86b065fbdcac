import { chmodSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
export async function startEmbeddedPostgres(
  opts: {
    dataDir?: string;
    socketDir?: string;
    /** Without `dataDir`: where the fresh cluster's tarball is kept (`inMemoryCluster`; the temp directory by default). */
    templateDir?: string;
  } = {},
): Promise<EmbeddedPostgres> {
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
  const db = opts.dataDir ? await PGlite.create({ dataDir: opts.dataDir }) : await inMemoryCluster(PGlite, opts.templateDir ?? tmpdir());
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
 * A new in-memory cluster, as `PGlite.create()` makes it, but from a tarball of one (PGlite's
 * `dumpDataDir`, taken right after its initdb) when one is at hand: loading it takes a fraction of
 * initdb's seconds, which every test stack and benchmark host would otherwise pay. The tarball is made
 * on first use and kept in the temp directory, one per PGlite version and user; one that fails to load
 * is made again.
 */
async function inMemoryCluster(PGlite: typeof PGliteType, dir: string): Promise<PGliteType> {
  const version = (
    JSON.parse(readFileSync(join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8')) as { version: string }
  ).version;
  const path = join(dir, `cockpit-pglite-${version}-${process.getuid?.() ?? 'u'}.tar`);
  let tarball: Uint8Array<ArrayBuffer> | undefined;
  try {
    tarball = new Uint8Array(readFileSync(path));
  } catch {
    // none yet
  }
  if (tarball) {
    try {
      return await PGlite.create({ loadDataDir: new Blob([tarball]) });
    } catch {
      rmSync(path, { force: true });
    }
  }
  const db = await PGlite.create();
  const dump = Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer());
  // written whole under another name, then renamed: a concurrent reader sees no tarball or all of it
  const partial = `${path}.${process.pid}.${Date.now()}`;
  writeFileSync(partial, dump, { mode: 0o600 });
  renameSync(partial, path);
  return db;
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
