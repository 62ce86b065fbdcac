import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../src';

/**
 * An in-memory embedded database (every test stack's and benchmark's) starts from a tarball of a fresh
 * cluster, made by the first one: each is still a cluster nothing has written to.
 */
describe('in-memory embedded databases start from a fresh cluster’s tarball', () => {
  let dir: string; // this test's own tarball, not the one other suites share
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cockpit-template-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const start = () => startEmbeddedPostgres({ templateDir: dir });
  const tarballs = () => readdirSync(dir).filter((f) => /^cockpit-pglite-.+\.tar$/.test(f));
  const query = async (url: string, sql: string) => {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      return (await c.query(sql)).rows;
    } finally {
      await c.end();
    }
  };

  it('the first makes the tarball; a later one starts from it and sees nothing the first wrote', async () => {
    const first = await start();
    try {
      expect(tarballs()).toHaveLength(1);
      await query(first.url, 'create table written_by_the_first (id int)');
      await query(first.url, 'create database also_by_the_first');
    } finally {
      await first.close();
    }
    const [tarball] = tarballs();
    const made = statSync(join(dir, tarball));
    expect(made.mode & 0o777).toBe(0o600);
    const second = await start();
    try {
      expect(await query(second.url, `select to_regclass('written_by_the_first') as t`)).toEqual([{ t: null }]);
      expect(await query(second.url, `select datname from pg_database where datname = 'also_by_the_first'`)).toEqual([]);
      expect(await query(second.url, 'select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      await second.close();
    }
    expect(tarballs()).toEqual([tarball]);
    expect(statSync(join(dir, tarball)).mtimeMs).toBe(made.mtimeMs); // loaded, not made again
  }, 180_000);

  it('a tarball that does not load is made again', async () => {
    const first = await start();
    await first.close();
    const [tarball] = tarballs();
    writeFileSync(join(dir, tarball), 'not a tarball');
    const second = await start();
    try {
      expect(await query(second.url, 'select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      await second.close();
    }
    expect(statSync(join(dir, tarball)).size).toBeGreaterThan(1_000_000);
  }, 180_000);
});
