import { ApolloServer } from '@apollo/server';
import { checkOperationCost, DEFAULT_LIMITS, DocumentAnalyzer, operationLimitRules } from '../src/limits';

/**
 * The operation limits analyse a document once: the validation rules and the
 * variables-dependent cost check (didResolveOperation, as the gateway runs it)
 * share one analysis per DocumentNode, and Apollo's document store hands the
 * same node to every request with that query. A repeat costs a lookup and the
 * multiplication by the `first` sent.
 */
describe('operation limits, once per document', () => {
  const server = new ApolloServer({
    typeDefs: `type Query { items(first: Int = 50): [Item!]! } type Item { id: ID! children(first: Int = 50): [Item!]! }`,
    resolvers: { Query: { items: () => [] } },
    validationRules: operationLimitRules(DEFAULT_LIMITS),
    plugins: [{ requestDidStart: async () => ({ didResolveOperation: async (rc) => checkOperationCost(rc, DEFAULT_LIMITS) }) }],
  });
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it('analyses a document at its first request only, and prices each request with its own variables', async () => {
    const run = jest.spyOn(DocumentAnalyzer.prototype, 'run');
    const query = `query($n: Int) { items(first: $n) { children(first: $n) { children(first: $n) { children(first: $n) { id } } } } }`;
    const send = async (n: number) => {
      const r = await server.executeOperation({ query, variables: { n } });
      return r.body.kind === 'single' ? r.body.singleResult : undefined;
    };
    expect((await send(10))?.errors).toBeUndefined();
    // 100 per level through four levels (each item and its id) is over 5,000,000: refused with its cost
    expect((await send(100))?.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_REQUEST', cost: 201010100, maxCost: 5_000_000 });
    expect((await send(20))?.errors).toBeUndefined();
    expect(run).toHaveBeenCalledTimes(1);

    // another document is analysed on its own
    await server.executeOperation({ query: `{ items { id } }` });
    expect(run).toHaveBeenCalledTimes(2);
    run.mockRestore();
  });
});
