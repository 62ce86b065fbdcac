import { createOrm, freshDatabase, migrate } from '@cockpit/kit';
import { migrations } from '../src/migrations';

/** CA1's data move: free provider strings become providers, current prices become the first history rows. */
describe('catalog migration 20261202000001 (providers, price history)', () => {
  it('moves existing models onto providers and keeps their prices as history', async () => {
    const db = await freshDatabase();
    try {
      const before = await createOrm({ url: db.url, schema: 'catalog', entities: [], migrations: migrations.slice(0, 2) });
      await migrate(before, 'catalog');
      const conn = before.em.getConnection();
      const created = '2026-11-20T10:00:00.000Z';
      for (const [id, provider, name] of [
        ['0193f000-0000-7000-8000-000000000001', 'openai', 'gpt-4o'],
        ['0193f000-0000-7000-8000-000000000002', 'openai', 'gpt-4o-mini'],
        ['0193f000-0000-7000-8000-000000000003', 'acme-llm', 'acme-1'],
      ])
        await conn.execute(
          `insert into catalog.model (id, provider, name, display_name, kind, input_price_per_mtok, output_price_per_mtok, status, created_at, updated_at)
           values (?, ?, ?, ?, 'CHAT', 2.5, 10, 'ACTIVE', ?, ?)`,
          [id, provider, name, name, created, created],
        );
      await before.close();

      const after = await createOrm({ url: db.url, schema: 'catalog', entities: [], migrations });
      // every later migration runs too; the data move is the first of them
      expect(await migrate(after, 'catalog')).toEqual(migrations.slice(2).map((m) => m.name));
      expect(migrations[2].name).toBe('Migration20261202000001');
      const c = after.em.getConnection();
      const providers = await c.execute(`select name, kind, status from catalog.provider order by name`);
      expect(providers).toEqual([
        { name: 'acme-llm', kind: 'OPENAI_COMPATIBLE', status: 'ACTIVE' },
        { name: 'openai', kind: 'OPENAI', status: 'ACTIVE' },
      ]);
      const models = await c.execute(
        `select m.name, p.name as provider from catalog.model m join catalog.provider p on p.id = m.provider_id order by m.name`,
      );
      expect(models).toEqual([
        { name: 'acme-1', provider: 'acme-llm' },
        { name: 'gpt-4o', provider: 'openai' },
        { name: 'gpt-4o-mini', provider: 'openai' },
      ]);
      const prices = await c.execute(
        `select p.valid_from = m.created_at as from_creation, p.input_price_per_mtok::text as i, p.output_price_per_mtok::text as o
           from catalog.model_price p join catalog.model m on m.id = p.model_id`,
      );
      expect(prices).toHaveLength(3);
      for (const p of prices) expect(p).toEqual({ from_creation: true, i: '2.5000000000', o: '10.0000000000' });
      await after.close();
    } finally {
      await db.close();
    }
  });
});
