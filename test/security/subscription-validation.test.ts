/**
 * A subscription is validated like any operation: a mistake in the client's
 * document is refused at subscribe time, about that document (never the
 * bridge's rewritten per-event query), with the code HTTP answers for it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import type { Client } from 'graphql-ws';
import { prepareOperation } from '../../gateway/src/subscriptions/bridge';
import { codeOf, eventually, ok, startTestStack, type TestStack } from '../support/stack';

type Outcome = { kind: 'error' | 'next' | 'complete'; value: any };

describe('subscriptions are validated at subscribe time', () => {
  let s: TestStack;
  let admin: string;
  let client: Client;
  /** Subscribing after this cursor replays an event at once: a document that slips through shows it. */
  let replayFrom: string;

  beforeAll(async () => {
    s = await startTestStack();
    const superToken = await s.tokenFor('SUPER_ADMIN');
    const account = ok(
      await s.gql(
        `mutation { createAccount(input: { name: "Strict", emailDomain: "strict.example", planTier: TEAM }) { id } }`,
        {},
        { token: superToken },
      ),
    ).createAccount.id;
    admin = await s.tokenFor('ADMIN', account);
    ok(await s.gql(`mutation { createOrg(input: { name: "Checked", domain: COPILOT }) { id } }`, {}, { token: admin }));
    const log = await eventually(async () => {
      const l = ok(await s.gql(`{ auditLog(first: 2) { totalCount edges { node { seq cursor } } } }`, {}, { token: admin })).auditLog;
      return l.totalCount === 2 && l;
    });
    replayFrom = log.edges.find((e: any) => e.node.seq === 1).node.cursor;
    client = s.wsClient(admin);
    // a whole stack and an OpenID provider: slow to start on a loaded machine
  }, 120_000);
  afterAll(() => s?.close());

  /** The first thing the gateway answers a subscription with. */
  function firstOutcome(query: string, variables: Record<string, unknown>): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer to the subscription')), 10_000);
      const settle = (o: Outcome) => {
        clearTimeout(timer);
        stop();
        resolve(o);
      };
      const stop = client.subscribe(
        { query, variables },
        {
          next: (value) => settle({ kind: 'next', value }),
          error: (value) => settle({ kind: 'error', value }),
          complete: () => settle({ kind: 'complete', value: null }),
        },
      );
    });
  }

  it.each([
    [
      'an unknown field',
      'subscription($a: String) { events(after: $a) { seq nope } }',
      (a: string) => ({ a }),
      /Cannot query field "nope" on type "Event"/,
    ],
    [
      'a missing selection of subfields',
      'subscription($a: String) { events(after: $a) { seq account } }',
      (a: string) => ({ a }),
      /Field "account" of type "Account!" must have a selection of subfields/,
    ],
    [
      'a misspelt argument (afterr: the replay would be lost)',
      'subscription($a: String) { events(afterr: $a) { seq } }',
      (a: string) => ({ a }),
      /Unknown argument "afterr" on field "Subscription.events"/,
    ],
    [
      'an undeclared variable',
      'subscription { events(after: $cursor) { seq } }',
      (a: string) => ({ cursor: a }),
      /Variable "\$cursor" is not defined/,
    ],
    [
      'a variable of the wrong type',
      'subscription($a: Int) { events(after: $a) { seq } }',
      () => ({ a: 1 }),
      /Variable "\$a" of type "Int" used in position expecting type "String"/,
    ],
    [
      'a variable value that does not coerce',
      'subscription($a: String, $t: [String!]) { events(after: $a, types: $t) { seq } }',
      (a: string) => ({ a, t: [{ not: 'a string' }] }),
      /Variable "\$t" got invalid value/,
    ],
    [
      'a required variable left out',
      'subscription($a: String!) { events(after: $a) { seq } }',
      () => ({}),
      /Variable "\$a" of required type "String!" was not provided/,
    ],
  ])('refuses %s with an error about the client’s document', async (_name, query, vars, message) => {
    const variables = vars(replayFrom);
    const outcome = await firstOutcome(query, variables);
    expect(outcome.kind).toBe('error');
    const errors = outcome.value as { message: string; extensions: { code: string } }[];
    expect(errors[0].message).toMatch(message);
    // never the bridge's rewrite
    expect(JSON.stringify(errors)).not.toMatch(/CockpitEvent|__eventId|event\(id/);
    const http = await s.gql(query, variables, { token: admin });
    expect(errors[0].extensions.code).toBe('INVALID_REQUEST');
    expect(codeOf(http)).toBe(errors[0].extensions.code);
  });

  it('a costly selection priced with its variables (first: $n) is refused at subscribe time with the cost, as over HTTP', async () => {
    const query =
      'subscription($n: Int) { events { account { orgs(first: $n) { nodes { teams(first: $n) { nodes { members(first: $n) { nodes { teams { name } } } } } } } } } }';
    // at the default page the document is admitted; with n = 100 it costs 22,020,202
    const outcome = await firstOutcome(query, { n: 100 });
    expect(outcome.kind).toBe('error');
    const [error] = outcome.value as { message: string; extensions: { code: string; cost: number; maxCost: number } }[];
    expect(error.extensions).toMatchObject({ code: 'INVALID_REQUEST', cost: 22020202, maxCost: 5000000 });
    const http = await s.gql(query.replace(/^subscription/, 'query').replace('events {', 'event(id: "x") {'), { n: 100 }, { token: admin });
    expect(codeOf(http)).toBe('INVALID_REQUEST');
    expect(http.body.errors![0].extensions).toMatchObject({ maxCost: 5000000 });
  });

  it('schema probing by misspelling: "Did you mean" hints are left out when schema details are hidden (production)', async () => {
    const schema = buildSchema(readFileSync(join(__dirname, '..', '..', 'schema', 'api.graphql'), 'utf8'));
    const query = 'subscription { events { sequ } }';
    const shown = prepareOperation(schema, { query });
    const hidden = prepareOperation(schema, { query }, { hideSchemaDetails: true });
    expect(shown.kind === 'refused' && shown.errors[0].message).toBe('Cannot query field "sequ" on type "Event". Did you mean "seq"?');
    expect(hidden.kind === 'refused' && hidden.errors[0].message).toBe('Cannot query field "sequ" on type "Event".');
  });

  it('still accepts a valid document and replays from the cursor', async () => {
    const outcome = await firstOutcome('subscription($a: String) { events(after: $a) { seq type } }', { a: replayFrom });
    expect(outcome).toEqual({ kind: 'next', value: { data: { events: { seq: 2, type: 'org.created' } } } });
  });
});
