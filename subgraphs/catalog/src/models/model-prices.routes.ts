import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { priceLookup, type ModelPriceAt, type PriceLookupAnswer } from '@cockpit/contracts';
import { inTenantTx, internalRoute, invalidRequest, tablesOf, type InternalRoute } from '@cockpit/kit';
import { ModelAlias } from '../aliases/alias.entity';
import { Model, ModelPrice } from './model.entity';

/**
 * Budgets' view of the catalog's prices (BU5): for usage recorded without a cost, the price per 1M tokens in force
 * at the usage's time for the model it names — a catalog model's name, else an alias of the account (matched
 * trimmed and lowercase). Eligibility is not consulted: the price of a model is a fact of the catalog, whether the
 * account may use it is catalog's governance (CA2/CA3), enforced where models are resolved, not when spend is
 * counted. Only budgets may call it; it reads in the account's tenant transaction (aliases are RLS-confined), in
 * one statement for the whole batch.
 */
export function modelPricesRoutes(orm: MikroORM): Record<string, InternalRoute> {
  return {
    [priceLookup.path]: internalRoute(['budgets'], async (body) => {
      const parsed = priceLookup.request(body);
      if (!parsed.ok) throw invalidRequest(`Malformed request to ${priceLookup.path}`, parsed.problems);
      const accountId = parsed.value.accountId.toLowerCase();
      const lookups = parsed.value.lookups;
      if (!lookups.length) return { prices: [] } satisfies PriceLookupAnswer;
      return inTenantTx(orm.em.fork() as EntityManager, { accountId, platform: false }, async (em): Promise<PriceLookupAnswer> => {
        const t = tablesOf(em, { model: Model, price: ModelPrice, alias: ModelAlias });
        const rows = (await em.execute(
          `with l(n, name, at) as (values ${lookups.map(() => '(?::int, ?::text, ?::timestamptz)').join(', ')})
           select l.n, m.id as model_id, m.name as model_name, p.input_price_per_mtok::text as input, p.output_price_per_mtok::text as output,
                  p.valid_from
             from l
             left join lateral (select coalesce((select id from ${t.model} where name = l.name),
                                                (select model_id from ${t.alias} where account_id = ? and alias = l.name)) as id) r on true
             left join ${t.model} m on m.id = r.id
             left join lateral (select * from ${t.price} where model_id = m.id and valid_from <= l.at order by valid_from desc limit 1) p on true
            order by l.n`,
          [...lookups.flatMap((l, n) => [n, l.model.trim().toLowerCase(), l.at]), accountId],
        )) as {
          n: number;
          model_id: string | null;
          model_name: string | null;
          input: string | null;
          output: string | null;
          valid_from: Date | string | null;
        }[];
        return {
          prices: rows.map((r): ModelPriceAt | null =>
            r.model_id && r.input !== null && r.output !== null && r.valid_from
              ? {
                  modelId: r.model_id,
                  modelName: r.model_name!,
                  inputPricePerMtok: r.input,
                  outputPricePerMtok: r.output,
                  validFrom: new Date(r.valid_from).toISOString(),
                }
              : null,
          ),
        };
      });
    }),
  };
}
