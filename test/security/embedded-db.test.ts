import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EMBEDDED_PORT, startEmbeddedPostgres } from '@cockpit/kit';

/** Inodes of the TCP sockets this process listens on (state 0A in /proc/net/tcp{,6}). */
function listeningTcpInodes(): Set<string> {
  const mine = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = readlinkSync(`/proc/self/fd/${fd}`).match(/^socket:\[(\d+)\]$/);
      if (m) mine.add(m[1]);
    } catch {
      // the fd closed while listing
    }
  }
  const listening = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === '0A' && mine.has(cols[9])) listening.add(cols[9]);
    }
  }
  return listening;
}

/**
 * Attack: PGlite has no authentication and every session is a superuser, which bypasses row-level security; served
 * on a loopback port, any local process could read and change every tenant's data. Defence: the embedded database
 * is reachable only through a Unix socket in a directory its OS user alone may enter.
 */
describe('the embedded database is reachable by Cockpit’s own OS user only', () => {
  it('listens on no TCP port, only on a 0600 socket in a 0700 directory, and serves the pg driver there', async () => {
    const before = listeningTcpInodes();
    const db = await startEmbeddedPostgres();
    try {
      expect([...listeningTcpInodes()].filter((i) => !before.has(i))).toEqual([]);
      const socket = join(db.socketDir, `.s.PGSQL.${EMBEDDED_PORT}`);
      expect(statSync(socket).isSocket()).toBe(true);
      expect(statSync(socket).mode & 0o777).toBe(0o600);
      expect(statSync(db.socketDir).mode & 0o777).toBe(0o700);
      expect(statSync(db.socketDir).uid).toBe(process.getuid!());
      expect(decodeURIComponent(new URL(db.url).hostname)).toBe(db.socketDir);

      const c = new Client({ connectionString: db.url });
      await c.connect();
      expect((await c.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
      await c.end();
    } finally {
      await db.close();
    }
  }, 180_000);

  it('refuses a process of another OS user at the socket (EACCES)', async () => {
    const db = await startEmbeddedPostgres();
    try {
      const probe = `require('net').connect(process.argv[1]).on('connect', () => { console.log('CONNECTED'); process.exit(0); })
        .on('error', (e) => { console.log(e.code); process.exit(0); })`;
      const path = join(db.socketDir, `.s.PGSQL.${EMBEDDED_PORT}`);
      const asOwner = spawnSync(process.execPath, ['-e', probe, path], { encoding: 'utf8' });
      expect(asOwner.stdout.trim()).toBe('CONNECTED');
      // another user: as root the probe runs as `nobody`; otherwise the kernel's check is the modes asserted above
      if (process.getuid!() === 0) {
        const asOther = spawnSync(process.execPath, ['-e', probe, path], { encoding: 'utf8', uid: 65534, gid: 65534, cwd: '/' });
        expect(asOther.stdout.trim()).toBe('EACCES');
      } else {
        expect(statSync(db.socketDir).mode & 0o077).toBe(0);
      }
    } finally {
      await db.close();
    }
  }, 180_000);

  it('refuses a socket that still answers (the database open elsewhere), replaces a stale one, and runs side by side', async () => {
    const busy = mkdtempSync(join(tmpdir(), 'cockpit-run-'));
    const other = createServer(); // another Cockpit already serving this home
    await new Promise<void>((r) => other.listen(join(busy, `.s.PGSQL.${EMBEDDED_PORT}`), r));
    try {
      await expect(startEmbeddedPostgres({ socketDir: busy })).rejects.toThrow(/already in use/);
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }

    const stale = mkdtempSync(join(tmpdir(), 'cockpit-run-'));
    writeFileSync(join(stale, `.s.PGSQL.${EMBEDDED_PORT}`), ''); // what a killed process leaves behind
    // tests start many in parallel (freshDatabase): each gets its own directory
    const many = await Promise.all([startEmbeddedPostgres({ socketDir: stale }), startEmbeddedPostgres()]);
    try {
      expect(new Set(many.map((d) => d.socketDir)).size).toBe(2);
      for (const d of many) {
        const c = new Client({ connectionString: d.url });
        await c.connect();
        await c.query('select 1');
        await c.end();
      }
    } finally {
      for (const d of many) await d.close();
    }
  }, 180_000);
});
