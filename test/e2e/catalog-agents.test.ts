import pino from 'pino';
import { SecretBox, generateSecretKeys } from '@cockpit/catalog';
import { freshDatabase } from '@cockpit/kit';
import { codeOf, eventually, ok, startTestStack, type GqlResult, type TestStack } from '../support/stack';

/** Agent definitions (CA6) and tool connections with sealed secrets (CA7) through the gateway. */
describe('agent definitions and tool connections through the gateway', () => {
  let s: TestStack;
  let superToken: string;
  let admin: string;
  let otherAdmin: string;
  const logLines: string[] = [];
  const ids: Record<string, string> = {};
  const acct: Record<string, string> = {};

  const asSuper = (q: string, v?: Record<string, unknown>, accountId?: string) => s.gql(q, v, { token: superToken, accountId });
  const asAdmin = (q: string, v?: Record<string, unknown>) => s.gql(q, v, { token: admin });
  const details = (r: GqlResult) => r.body.errors?.[0]?.extensions?.details;

  const CREATE_AGENT = `mutation($i: CreateAgentDefinitionInput!) { createAgentDefinition(input: $i) {
    id name defaultModel { name } tools { name type } guardrailPresetIds guardrailPresets { id name } grants { scopeType scopeId } } }`;
  const CREATE_CONN = `mutation($i: CreateToolConnectionInput!) { createToolConnection(input: $i) { id name type config hasSecret secretFields grants { scopeType scopeId } } }`;

  beforeAll(async () => {
    const log = pino({ level: 'trace' }, { write: (line: string) => void logLines.push(line) });
    s = await startTestStack({ log });
    superToken = await s.tokenFor('SUPER_ADMIN');
    // ENTERPRISE: this file sends more requests per admin credential than the FREE plan's rate allows
    for (const [key, name] of [
      ['a', 'Initech'],
      ['b', 'Hooli'],
    ])
      acct[key] = ok(
        await asSuper(
          `mutation($n: String!, $d: String!) { createAccount(input: { name: $n, emailDomain: $d, planTier: ENTERPRISE }) { id } }`,
          {
            n: name,
            d: `${name.toLowerCase()}.example`,
          },
        ),
      ).createAccount.id;
    admin = await s.tokenFor('ADMIN', acct.a);
    otherAdmin = await s.tokenFor('ADMIN', acct.b);
    const provider = ok(await asSuper(`mutation { createProvider(input: { name: "openai", kind: OPENAI }) { id } }`)).createProvider.id;
    for (const name of ['gpt-4o', 'gpt-4o-mini'])
      ids[name] = ok(
        await asSuper(
          `mutation($p: ID!, $n: String!) { createModel(input: { providerId: $p, name: $n, displayName: $n, kind: CHAT, inputPricePerMtok: "1", outputPricePerMtok: "2" }) { id } }`,
          { p: provider, n: name },
        ),
      ).createModel.id;
    for (const a of [acct.a, acct.b])
      ok(await asSuper(`mutation($m: [ID!]!) { setEligibleModels(modelIds: $m) { id } }`, { m: [ids['gpt-4o'], ids['gpt-4o-mini']] }, a));
    // the account's grant narrows every admin's effective set to gpt-4o
    ok(await asAdmin(`mutation($m: [ID!]!) { setModelGrant(scope: { type: ACCOUNT }, modelIds: $m) { scopeId } }`, { m: [ids['gpt-4o']] }));
    ids.eng = ok(await asAdmin(`mutation { createOrg(input: { name: "eng", domain: COPILOT }) { id } }`)).createOrg.id;
    ids.ops = ok(await asAdmin(`mutation { createOrg(input: { name: "ops", domain: CONSOLE }) { id } }`)).createOrg.id;
    ids.platform = ok(
      await asAdmin(`mutation($o: ID!) { createTeam(input: { orgId: $o, name: "platform" }) { id } }`, { o: ids.eng }),
    ).createTeam.id;
    for (const user of ['alice', 'bob'])
      ids[user] = ok(
        await asAdmin(`mutation($e: String!) { createUser(input: { email: $e, displayName: "x", domain: COPILOT }) { id } }`, {
          e: `${user}@initech.example`,
        }),
      ).createUser.id;
    ok(
      await asAdmin(`mutation($t: ID!, $u: ID!) { addTeamMember(input: { teamId: $t, userId: $u }) { id } }`, {
        t: ids.platform,
        u: ids.alice,
      }),
    );
    ids.otherOrg = ok(
      await s.gql(`mutation { createOrg(input: { name: "eng", domain: COPILOT }) { id } }`, {}, { token: otherAdmin }),
    ).createOrg.id;
    ids.preset = ok(await asAdmin(`mutation { createGuardrailPreset(input: { name: "pii" }) { id } }`)).createGuardrailPreset.id;
    ids.preset2 = ok(await asAdmin(`mutation { createGuardrailPreset(input: { name: "jailbreak" }) { id } }`)).createGuardrailPreset.id;
    ids.otherPreset = ok(
      await s.gql(`mutation { createGuardrailPreset(input: { name: "pii" }) { id } }`, {}, { token: otherAdmin }),
    ).createGuardrailPreset.id;
  });
  afterAll(() => s.close());

  describe('CA7 tool connections', () => {
    it('creates each type with its settings checked; secrets are never answered', async () => {
      const openapi = ok(
        await asAdmin(CREATE_CONN, {
          i: {
            name: 'Billing API',
            type: 'OPENAPI',
            config: {
              spec: JSON.stringify({
                openapi: '3.0.3',
                info: { title: 'Billing', version: '1' },
                paths: { '/invoices': { get: { responses: { '200': { description: 'ok' } } } } },
              }),
              baseUrl: 'https://billing.example/api',
            },
            secret: { bearer_token: 'tok-openapi-9f3a7c' },
          },
        }),
      ).createToolConnection;
      expect(openapi).toMatchObject({ type: 'OPENAPI', hasSecret: true, secretFields: ['bearer_token'] });
      expect(openapi.config.spec.info).toEqual({ title: 'Billing', version: '1' }); // stored parsed
      ids.openapi = openapi.id;
      const mcp = ok(
        await asAdmin(CREATE_CONN, {
          i: { name: 'Docs MCP', type: 'MCP', config: { transport: 'streamable_http', endpoint: 'https://mcp.example/mcp' } },
        }),
      ).createToolConnection;
      expect(mcp).toMatchObject({ hasSecret: false, secretFields: [] });
      ids.mcp = mcp.id;
      const composio = ok(
        await asAdmin(CREATE_CONN, {
          i: {
            name: 'GitHub',
            type: 'COMPOSIO',
            config: { auth_mode: 'api_key', toolkit: 'github' },
            secret: { api_key: 'cmp-key-55e1d0' },
            grants: [{ type: 'TEAM', id: ids.platform }],
          },
        }),
      ).createToolConnection;
      expect(composio).toMatchObject({
        hasSecret: true,
        secretFields: ['api_key'],
        grants: [{ scopeType: 'TEAM', scopeId: ids.platform }],
      });
      ids.composio = composio.id;
      const list = ok(await asAdmin(`{ toolConnections { name } }`)).toolConnections;
      expect(list.map((c: any) => c.name)).toEqual(['Billing API', 'Docs MCP', 'GitHub']);
    });

    it('refuses bad settings per type with the field named', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ name: 'c1', type: 'COMPOSIO', config: { auth_mode: 'api_key' } }, 'secret.api_key'],
        [{ name: 'c2', type: 'COMPOSIO', config: { auth_mode: 'basic' } }, 'config.auth_mode'],
        [{ name: 'o1', type: 'OPENAPI', config: { spec: { openapi: '2.0', info: { title: 't' }, paths: {} } } }, 'config.spec.openapi'],
        [{ name: 'o2', type: 'OPENAPI', config: { spec: '{not json' } }, 'config.spec'],
        [
          {
            name: 'o3',
            type: 'OPENAPI',
            config: { spec: { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: { invoices: {} } } },
          },
          'config.spec.paths',
        ],
        [{ name: 'o4', type: 'OPENAPI', config: { specUrl: 'ftp://spec.example/openapi.json' } }, 'config.specUrl'],
        [{ name: 'o5', type: 'OPENAPI', config: { specUrl: 'https://u:p@spec.example/openapi.json' } }, 'config.specUrl'],
        [{ name: 'm1', type: 'MCP', config: { transport: 'carrier-pigeon', endpoint: 'https://mcp.example' } }, 'config.transport'],
        [{ name: 'm2', type: 'MCP', config: { transport: 'sse', endpoint: 'https://mcp.example', token: 'x' } }, 'config.token'],
        [{ name: 'm3', type: 'MCP', config: { transport: 'sse', endpoint: 'https://mcp.example' }, secret: { token: 5 } }, 'secret.token'],
      ];
      for (const [input, field] of cases) {
        const r = await asAdmin(CREATE_CONN, { i: input });
        expect({ input: input.name, code: codeOf(r) }).toEqual({ input: input.name, code: 'VALIDATION_ERROR' });
        expect(details(r)).toHaveProperty([field]);
      }
      // an update that would leave api_key mode without its key is refused too
      const r = await asAdmin(`mutation($id: ID!) { updateToolConnection(id: $id, input: { clearSecret: true }) { id } }`, {
        id: ids.composio,
      });
      expect(details(r)).toHaveProperty(['secret.api_key']);
      expect(
        codeOf(
          await asAdmin(CREATE_CONN, { i: { name: 'github', type: 'MCP', config: { transport: 'sse', endpoint: 'https://x.example' } } }),
        ),
      ).toBe('CONFLICT');
    });

    it('grants add and remove; another account sees NOT_FOUND; a viewer may not write', async () => {
      const ADD = `mutation($id: ID!, $s: [AccessScopeInput!]!) { addToolConnectionGrants(id: $id, scopes: $s) { grants { scopeType scopeId } } }`;
      const REMOVE = `mutation($id: ID!, $s: [AccessScopeInput!]!) { removeToolConnectionGrants(id: $id, scopes: $s) { grants { scopeType scopeId } } }`;
      const added = ok(
        await asAdmin(ADD, {
          id: ids.mcp,
          s: [
            { type: 'USER', id: ids.bob },
            { type: 'ORG', id: ids.eng },
          ],
        }),
      ).addToolConnectionGrants;
      expect(added.grants).toHaveLength(2);
      const removed = ok(await asAdmin(REMOVE, { id: ids.mcp, s: [{ type: 'ORG', id: ids.eng }] })).removeToolConnectionGrants;
      expect(removed.grants).toEqual([{ scopeType: 'USER', scopeId: ids.bob }]);
      expect(codeOf(await asAdmin(ADD, { id: ids.mcp, s: [{ type: 'ORG', id: ids.otherOrg }] }))).toBe('NOT_FOUND');
      expect(codeOf(await asAdmin(ADD, { id: ids.mcp, s: [{ type: 'ORG', id: ids.ops }] }))).toBe('VALIDATION_ERROR');
      const other = (q: string, v: Record<string, unknown>) => s.gql(q, v, { token: otherAdmin });
      expect(codeOf(await other(`query($id: ID!) { toolConnection(id: $id) { id } }`, { id: ids.mcp }))).toBe('NOT_FOUND');
      expect(codeOf(await other(ADD, { id: ids.mcp, s: [{ type: 'ORG', id: ids.otherOrg }] }))).toBe('NOT_FOUND');
      expect(codeOf(await other(`mutation($id: ID!) { deleteToolConnection(id: $id) }`, { id: ids.mcp }))).toBe('NOT_FOUND');
      // what a user may use: granted to them, their teams or their orgs (alice is in the platform team)
      const USERS = `query($a: ID!, $b: ID!) { a: user(id: $a) { toolConnections { name } } b: user(id: $b) { toolConnections { name } } }`;
      const used = ok(await asAdmin(USERS, { a: ids.alice, b: ids.bob }));
      expect([used.a.toolConnections, used.b.toolConnections]).toEqual([[{ name: 'GitHub' }], [{ name: 'Docs MCP' }]]);
      const alice = await s.tokenFor('END_USER', acct.a, 'alice@initech.example');
      expect(ok(await s.gql(`{ myToolConnections { name hasSecret } }`, {}, { token: alice })).myToolConnections).toEqual([
        { name: 'GitHub', hasSecret: true },
      ]);
      const viewer = await s.tokenFor('VIEWER', acct.a);
      expect(codeOf(await s.gql(CREATE_CONN, { i: { name: 'v', type: 'MCP', config: {} } }, { token: viewer }))).toBe('FORBIDDEN');
      expect(ok(await s.gql(`{ toolConnections { name } }`, {}, { token: viewer })).toolConnections).toHaveLength(3);
      const endUser = await s.tokenFor('END_USER', acct.a, 'alice@initech.example');
      expect(codeOf(await s.gql(`{ toolConnections { name } }`, {}, { token: endUser }))).toBe('FORBIDDEN');
    });
  });

  describe('CA6 agent definitions', () => {
    it('creates an agent with tools, presets resolved by guardrails and grants', async () => {
      const a = ok(
        await asAdmin(CREATE_AGENT, {
          i: {
            name: 'Support bot',
            instructions: 'Be kind.',
            defaultModelId: ids['gpt-4o'],
            connectionIds: [ids.openapi, ids.mcp],
            guardrailPresetIds: [ids.preset],
            grants: [{ type: 'TEAM', id: ids.platform }],
          },
        }),
      ).createAgentDefinition;
      expect(a).toMatchObject({
        name: 'Support bot',
        defaultModel: { name: 'gpt-4o' },
        tools: [
          { name: 'Billing API', type: 'OPENAPI' },
          { name: 'Docs MCP', type: 'MCP' },
        ],
        guardrailPresets: [{ id: ids.preset, name: 'pii' }],
        grants: [{ scopeType: 'TEAM', scopeId: ids.platform }],
      });
      ids.agent = a.id;
      ids.agent2 = ok(
        await asAdmin(CREATE_AGENT, {
          i: { name: 'Analyst', defaultModelId: ids['gpt-4o'], guardrailPresetIds: [ids.preset, ids.preset2] },
        }),
      ).createAgentDefinition.id;
    });

    it('refuses an agent without a preset, with an unknown or foreign preset, or a model outside the creator set', async () => {
      const base = { name: 'Bad', defaultModelId: ids['gpt-4o'], guardrailPresetIds: [ids.preset] };
      const none = await asAdmin(CREATE_AGENT, { i: { ...base, guardrailPresetIds: [] } });
      expect(codeOf(none)).toBe('VALIDATION_ERROR');
      expect(details(none)).toHaveProperty(['guardrailPresetIds']);
      expect(codeOf(await asAdmin(CREATE_AGENT, { i: { ...base, guardrailPresetIds: ['0193f000-0000-7000-8000-0000000000aa'] } }))).toBe(
        'NOT_FOUND',
      );
      expect(codeOf(await asAdmin(CREATE_AGENT, { i: { ...base, guardrailPresetIds: [ids.otherPreset] } }))).toBe('NOT_FOUND');
      const outside = await asAdmin(CREATE_AGENT, { i: { ...base, defaultModelId: ids['gpt-4o-mini'] } });
      expect(codeOf(outside)).toBe('VALIDATION_ERROR');
      expect(details(outside)).toHaveProperty(['defaultModelId']);
      expect(codeOf(await asAdmin(CREATE_AGENT, { i: { ...base, connectionIds: ['0193f000-0000-7000-8000-0000000000ab'] } }))).toBe(
        'NOT_FOUND',
      );
      expect(codeOf(await asAdmin(CREATE_AGENT, { i: { ...base, grants: [{ type: 'ORG', id: ids.otherOrg }] } }))).toBe('NOT_FOUND');
      expect(codeOf(await asAdmin(CREATE_AGENT, { i: { ...base, name: 'support BOT' } }))).toBe('CONFLICT');
      const noPresetUpdate = await asAdmin(
        `mutation($id: ID!) { updateAgentDefinition(id: $id, input: { name: "x", guardrailPresetIds: [] }) { id } }`,
        { id: ids.agent },
      );
      expect(codeOf(noPresetUpdate)).toBe('VALIDATION_ERROR');
      const viewer = await s.tokenFor('VIEWER', acct.a);
      expect(codeOf(await s.gql(CREATE_AGENT, { i: base }, { token: viewer }))).toBe('FORBIDDEN');
      const other = (q: string, v: Record<string, unknown>) => s.gql(q, v, { token: otherAdmin });
      expect(codeOf(await other(`query($id: ID!) { agentDefinition(id: $id) { id } }`, { id: ids.agent }))).toBe('NOT_FOUND');
      expect(
        codeOf(
          await other(`mutation($id: ID!, $p: [ID!]!) { updateAgentDefinition(id: $id, input: { guardrailPresetIds: $p }) { id } }`, {
            id: ids.agent,
            p: [ids.otherPreset],
          }),
        ),
      ).toBe('NOT_FOUND');
      expect(ok(await other(`{ agentDefinitions { id } }`, {})).agentDefinitions).toEqual([]);
    });

    it('the agents a user may use: granted to them, their teams or their orgs (User.agents batched, myAgents)', async () => {
      const USERS = `query($a: ID!, $b: ID!) { a: user(id: $a) { agents { name } } b: user(id: $b) { agents { name } } }`;
      const names = (d: any) => ({ alice: d.a.agents.map((x: any) => x.name), bob: d.b.agents.map((x: any) => x.name) });
      expect(names(ok(await asAdmin(USERS, { a: ids.alice, b: ids.bob })))).toEqual({ alice: ['Support bot'], bob: [] });
      ok(
        await asAdmin(`mutation($id: ID!, $s: [AccessScopeInput!]!) { addAgentGrants(id: $id, scopes: $s) { id } }`, {
          id: ids.agent2,
          s: [
            { type: 'USER', id: ids.bob },
            { type: 'ORG', id: ids.eng },
          ],
        }),
      );
      expect(names(ok(await asAdmin(USERS, { a: ids.alice, b: ids.bob })))).toEqual({
        alice: ['Analyst', 'Support bot'],
        bob: ['Analyst'],
      });
      ok(
        await asAdmin(`mutation($id: ID!, $s: [AccessScopeInput!]!) { removeAgentGrants(id: $id, scopes: $s) { id } }`, {
          id: ids.agent2,
          s: [{ type: 'ORG', id: ids.eng }],
        }),
      );
      // replace in the update payload: the support bot goes from the team to bob alone
      const updated = ok(
        await asAdmin(
          `mutation($id: ID!, $p: [ID!]!, $g: [AccessScopeInput!]) { updateAgentDefinition(id: $id, input: { description: "v2", guardrailPresetIds: $p, grants: $g }) { description guardrailPresetIds grants { scopeType scopeId } } }`,
          { id: ids.agent, p: [ids.preset2], g: [{ type: 'USER', id: ids.bob }] },
        ),
      ).updateAgentDefinition;
      expect(updated).toEqual({ description: 'v2', guardrailPresetIds: [ids.preset2], grants: [{ scopeType: 'USER', scopeId: ids.bob }] });
      expect(names(ok(await asAdmin(USERS, { a: ids.alice, b: ids.bob })))).toEqual({ alice: [], bob: ['Analyst', 'Support bot'] });
      const bob = await s.tokenFor('END_USER', acct.a, 'bob@initech.example');
      expect(ok(await s.gql(`{ myAgents { name tools { name } } }`, {}, { token: bob })).myAgents).toEqual([
        { name: 'Analyst', tools: [] },
        { name: 'Support bot', tools: [{ name: 'Billing API' }, { name: 'Docs MCP' }] },
      ]);
      expect(codeOf(await s.gql(`{ agentDefinitions { name } }`, {}, { token: bob }))).toBe('FORBIDDEN');
      // who else may use an agent or a tool is not an end user's to read
      expect(codeOf(await s.gql(`{ myAgents { name grants { scopeId } } }`, {}, { token: bob }))).toBe('FORBIDDEN');
      expect(codeOf(await s.gql(`{ myAgents { name tools { grants { scopeId } } } }`, {}, { token: bob }))).toBe('FORBIDDEN');
    });
  });

  it('no secret value appears in any response, log line or audit event of creating, updating, granting and listing connections', async () => {
    const secrets = ['sk-live-7d1e0c9a2b44f3e8', 'ghp_Zx81Lw0QnM3uVb', 'rotated-value-Qm4Tz0', 'bad-input-secret-P0k9'];
    const responses: unknown[] = [];
    const run = async (q: string, v?: Record<string, unknown>) => {
      const r = await asAdmin(q, v);
      responses.push(r.body);
      return r;
    };
    const c = ok(
      await run(CREATE_CONN, {
        i: {
          name: 'Leaky?',
          type: 'COMPOSIO',
          config: { auth_mode: 'api_key' },
          secret: { api_key: secrets[0], extra: secrets[1] },
          grants: [{ type: 'USER', id: ids.alice }],
        },
      }),
    ).createToolConnection;
    ok(
      await run(
        `mutation($id: ID!, $s: JSON) { updateToolConnection(id: $id, input: { name: "Leaky", secret: $s }) { id hasSecret secretFields } }`,
        { id: c.id, s: { api_key: secrets[2] } },
      ),
    );
    ok(
      await run(`mutation($id: ID!) { addToolConnectionGrants(id: $id, scopes: [{ type: TEAM, id: "${ids.platform}" }]) { id } }`, {
        id: c.id,
      }),
    );
    ok(
      await run(`mutation($id: ID!) { removeToolConnectionGrants(id: $id, scopes: [{ type: USER, id: "${ids.alice}" }]) { id } }`, {
        id: c.id,
      }),
    );
    ok(await run(`{ toolConnections { id name type config hasSecret secretFields grants { scopeType scopeId } } }`));
    ok(await run(`query($id: ID!) { toolConnection(id: $id) { config secretFields } }`, { id: c.id }));
    // refused inputs carrying a secret must not echo it either
    const bad = await run(CREATE_CONN, {
      i: { name: 'Bad', type: 'COMPOSIO', config: { auth_mode: 'nope' }, secret: { api_key: secrets[3] } },
    });
    expect(codeOf(bad)).toBe('VALIDATION_ERROR');
    const badType = await run(CREATE_CONN, {
      i: { name: 'Bad', type: 'MCP', config: { transport: 'sse', endpoint: 'https://x.example' }, secret: { k: 1, v: secrets[3] } },
    });
    expect(codeOf(badType)).toBe('VALIDATION_ERROR');
    const events = await eventually(async () => {
      const log = ok(await asSuper(`{ auditLog(first: 100, filter: { subjectId: "${c.id}" }) { nodes { type payload } } }`, {}, acct.a))
        .auditLog.nodes;
      return log.length >= 4 ? log : null;
    });
    expect(events.map((e: any) => e.type).sort()).toEqual([
      'tool_connection.created',
      'tool_connection.grants_changed',
      'tool_connection.grants_changed',
      'tool_connection.updated',
    ]);
    expect(events.find((e: any) => e.type === 'tool_connection.updated').payload).toMatchObject({
      secretChanged: true,
      after: { name: 'Leaky', secretFields: ['api_key'] },
    });
    const outbox = await s.subgraphs.catalog.orm.em.getConnection().execute(`select * from "catalog"."outbox"`);
    const stored = await s.subgraphs.catalog.orm.em.getConnection().execute(`select * from "catalog"."tool_connection"`);
    const everything = JSON.stringify({ responses, events, outbox, stored }) + logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    for (const secret of secrets) expect({ secret, found: everything.includes(secret) }).toEqual({ secret, found: false });
  });
});

/** Rotation: a new first key re-seals every secret; the old key may then go. */
describe('rotateConnectionSecrets', () => {
  it('re-wraps every secret under the first key, one account at a time, and is safe to re-run', async () => {
    const db = await freshDatabase();
    const oldKeys = generateSecretKeys('k-old');
    const newKeys = generateSecretKeys('k-new');
    let s = await startTestStack({ databaseUrl: db.url, secretKeys: oldKeys });
    const superToken = await s.tokenFor('SUPER_ADMIN');
    const made: { account: string; id: string }[] = [];
    try {
      for (const name of ['Umbrella', 'Cyberdyne']) {
        const account = ok(
          await s.gql(
            `mutation($n: String!, $d: String!) { createAccount(input: { name: $n, emailDomain: $d }) { id } }`,
            { n: name, d: `${name.toLowerCase()}.example` },
            { token: superToken },
          ),
        ).createAccount.id;
        const admin = await s.tokenFor('ADMIN', account);
        const id = ok(
          await s.gql(
            `mutation { createToolConnection(input: { name: "gh", type: COMPOSIO, config: { auth_mode: "api_key" }, secret: { api_key: "key-${name}" } }) { id } }`,
            {},
            { token: admin },
          ),
        ).createToolConnection.id;
        made.push({ account, id });
      }
    } finally {
      await s.close();
    }
    s = await startTestStack({ databaseUrl: db.url, secretKeys: `${newKeys},${oldKeys}` });
    try {
      const rotate = async () =>
        ok(await s.gql(`mutation { rotateConnectionSecrets { keyId accounts rotated } }`, {}, { token: await s.tokenFor('SUPER_ADMIN') }))
          .rotateConnectionSecrets;
      expect(await rotate()).toEqual({ keyId: 'k-new', accounts: 2, rotated: 2 });
      expect(await rotate()).toEqual({ keyId: 'k-new', accounts: 0, rotated: 0 });
      const rows = await s.subgraphs.catalog.orm.em
        .getConnection()
        .execute<{ id: string; account_id: string; secret_key_id: string; secret_ciphertext: string; secret_dek: string }[]>(
          `select id, account_id, secret_key_id, secret_ciphertext, secret_dek from "catalog"."tool_connection" order by account_id`,
        );
      // the new key alone now opens every secret
      const box = SecretBox.fromConfig(newKeys);
      for (const m of made) {
        const r = rows.find((x) => x.id === m.id)!;
        expect(r.secret_key_id).toBe('k-new');
        const name = made.indexOf(m) === 0 ? 'Umbrella' : 'Cyberdyne';
        expect(box.open({ ciphertext: r.secret_ciphertext, dek: r.secret_dek, keyId: r.secret_key_id }, `${r.account_id}|${r.id}`)).toEqual(
          { api_key: `key-${name}` },
        );
      }
      const admin = await s.tokenFor('ADMIN', made[0].account);
      expect(codeOf(await s.gql(`mutation { rotateConnectionSecrets { rotated } }`, {}, { token: admin }))).toBe('FORBIDDEN');
    } finally {
      await s.close();
      await db.close();
    }
  });
});
