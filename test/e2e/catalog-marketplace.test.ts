import { codeOf, eventually, ok, startTestStack, type GqlResult, type TestStack } from '../support/stack';

/** The marketplace (CA8) through the gateway: items of agents and connections, their life, grants and discovery. */
describe('the marketplace through the gateway', () => {
  let s: TestStack;
  let superToken: string;
  let admin: string;
  let otherAdmin: string;
  let statements: string[] | null = null;
  const ids: Record<string, string> = {};
  const acct: Record<string, string> = {};
  const users: Record<string, string> = {};

  const asSuper = (q: string, v?: Record<string, unknown>, accountId?: string) => s.gql(q, v, { token: superToken, accountId });
  const asAdmin = (q: string, v?: Record<string, unknown>) => s.gql(q, v, { token: admin });
  const asOther = (q: string, v?: Record<string, unknown>) => s.gql(q, v, { token: otherAdmin });
  const details = (r: GqlResult) => r.body.errors?.[0]?.extensions?.details;

  const ITEM = `id kind name description version status publishedAt createdAt updatedAt agent { id name } connection { id name } grants { scopeType scopeId }`;
  const CREATE = `mutation($i: CreateMarketplaceItemInput!) { createMarketplaceItem(input: $i) { ${ITEM} } }`;
  const UPDATE = `mutation($id: ID!, $i: UpdateMarketplaceItemInput!) { updateMarketplaceItem(id: $id, input: $i) { ${ITEM} } }`;
  const PUBLISH = `mutation($id: ID!) { publishMarketplaceItem(id: $id) { ${ITEM} } }`;
  const UNPUBLISH = `mutation($id: ID!) { unpublishMarketplaceItem(id: $id) { ${ITEM} } }`;
  const ARCHIVE = `mutation($id: ID!) { archiveMarketplaceItem(id: $id) { ${ITEM} } }`;
  const grantsOp = (name: string) =>
    `mutation($id: ID!, $s: [AccessScopeInput!]!) { ${name}(id: $id, scopes: $s) { grants { scopeType scopeId } } }`;
  const DISCOVER = `query($search: String, $kind: MarketplaceItemKind, $first: Int, $after: String) {
    marketplace(search: $search, kind: $kind, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { name kind version agent { name } connection { name } } } } }`;

  /** An END_USER login of a directory user of account a (the principal carries their teams and orgs). */
  const endUser = (user: string) => s.tokenFor('END_USER', acct.a, `${user}@initech.example`);
  const discover = async (token: string, v: Record<string, unknown> = {}) => ok(await s.gql(DISCOVER, v, { token })).marketplace;
  const namesFor = async (user: string, v: Record<string, unknown> = {}) =>
    (await discover(await endUser(user), v)).edges.map((e: any) => e.node.name);

  const create = async (i: Record<string, unknown>) => ok(await asAdmin(CREATE, { i })).createMarketplaceItem;
  const publish = async (id: string) => ok(await asAdmin(PUBLISH, { id })).publishMarketplaceItem;

  /** The item's audit events, once `count` of them reached observability. */
  const eventsOf = (id: string, count: number) =>
    eventually(async () => {
      const log = ok(await asSuper(`{ auditLog(first: 100, filter: { subjectId: "${id}" }) { nodes { seq type payload } } }`, {}, acct.a))
        .auditLog.nodes;
      return log.length >= count ? [...log].sort((x: any, y: any) => Number(x.seq) - Number(y.seq)) : null;
    });

  beforeAll(async () => {
    s = await startTestStack({ onQuery: (sql) => statements?.push(sql) });
    superToken = await s.tokenFor('SUPER_ADMIN');
    // ENTERPRISE: this file sends more requests per admin credential than the FREE plan's rate allows
    for (const [key, name] of [
      ['a', 'Initech'],
      ['b', 'Hooli'],
    ])
      acct[key] = ok(
        await asSuper(
          `mutation($n: String!, $d: String!) { createAccount(input: { name: $n, emailDomain: $d, planTier: ENTERPRISE }) { id } }`,
          { n: name, d: `${name.toLowerCase()}.example` },
        ),
      ).createAccount.id;
    admin = await s.tokenFor('ADMIN', acct.a);
    otherAdmin = await s.tokenFor('ADMIN', acct.b);
    const provider = ok(await asSuper(`mutation { createProvider(input: { name: "openai", kind: OPENAI }) { id } }`)).createProvider.id;
    ids.model = ok(
      await asSuper(
        `mutation($p: ID!) { createModel(input: { providerId: $p, name: "gpt-4o", displayName: "GPT-4o", kind: CHAT, inputPricePerMtok: "1", outputPricePerMtok: "2" }) { id } }`,
        { p: provider },
      ),
    ).createModel.id;
    for (const a of [acct.a, acct.b])
      ok(await asSuper(`mutation($m: [ID!]!) { setEligibleModels(modelIds: $m) { id } }`, { m: [ids.model] }, a));

    // account a's COPILOT tree: eng (teams platform and data), and a CONSOLE org
    ids.eng = ok(await asAdmin(`mutation { createOrg(input: { name: "eng", domain: COPILOT }) { id } }`)).createOrg.id;
    ids.ops = ok(await asAdmin(`mutation { createOrg(input: { name: "ops", domain: CONSOLE }) { id } }`)).createOrg.id;
    for (const team of ['platform', 'data'])
      ids[team] = ok(
        await asAdmin(`mutation($o: ID!, $n: String!) { createTeam(input: { orgId: $o, name: $n }) { id } }`, { o: ids.eng, n: team }),
      ).createTeam.id;
    for (const user of ['alice', 'bob', 'carol', 'dave'])
      users[user] = ok(
        await asAdmin(`mutation($e: String!) { createUser(input: { email: $e, displayName: "x", domain: COPILOT }) { id } }`, {
          e: `${user}@initech.example`,
        }),
      ).createUser.id;
    // alice is in platform, carol in data (so in eng through it); bob and dave are in no team
    for (const [team, user] of [
      ['platform', 'alice'],
      ['data', 'carol'],
    ])
      ok(
        await asAdmin(`mutation($t: ID!, $u: ID!) { addTeamMember(input: { teamId: $t, userId: $u }) { id } }`, {
          t: ids[team],
          u: users[user],
        }),
      );

    const preset = ok(await asAdmin(`mutation { createGuardrailPreset(input: { name: "pii" }) { id } }`)).createGuardrailPreset.id;
    const AGENT = `mutation($n: String!, $m: ID!, $p: [ID!]!) { createAgentDefinition(input: { name: $n, defaultModelId: $m, guardrailPresetIds: $p }) { id } }`;
    for (const [key, name] of [
      ['support', 'Support bot'],
      ['analyst', 'Analyst bot'],
      ['doomed', 'Temp bot'],
    ])
      ids[key] = ok(await asAdmin(AGENT, { n: name, m: ids.model, p: [preset] })).createAgentDefinition.id;
    ids.billing = ok(
      await asAdmin(
        `mutation { createToolConnection(input: { name: "Billing API", type: MCP, config: { transport: "sse", endpoint: "https://billing.example/mcp" } }) { id } }`,
      ),
    ).createToolConnection.id;

    // account b: its own agent and org
    ids.otherOrg = ok(await asOther(`mutation { createOrg(input: { name: "eng", domain: COPILOT }) { id } }`)).createOrg.id;
    const otherPreset = ok(await asOther(`mutation { createGuardrailPreset(input: { name: "pii" }) { id } }`)).createGuardrailPreset.id;
    ids.otherAgent = ok(await asOther(AGENT, { n: 'Hooli bot', m: ids.model, p: [otherPreset] })).createAgentDefinition.id;
  }, 120_000);
  afterAll(() => s?.close());

  it('creates, updates, publishes, unpublishes and republishes an item, one audit event per change', async () => {
    const created = await create({
      kind: 'AGENT',
      resourceId: ids.support,
      name: 'Support Bot',
      description: 'Answers tickets',
      version: '1.0.0',
      grants: [{ type: 'USER', id: users.bob }],
    });
    expect(created).toMatchObject({
      kind: 'AGENT',
      name: 'Support Bot',
      version: '1.0.0',
      status: 'DRAFT',
      publishedAt: null,
      agent: { id: ids.support, name: 'Support bot' },
      connection: null,
      grants: [{ scopeType: 'USER', scopeId: users.bob }],
    });
    ids.supportItem = created.id;

    const updated = ok(
      await asAdmin(UPDATE, { id: created.id, i: { version: '1.1.0-beta.1+build.7', description: 'Answers tickets fast' } }),
    ).updateMarketplaceItem;
    expect(updated).toMatchObject({ version: '1.1.0-beta.1+build.7', description: 'Answers tickets fast', status: 'DRAFT' });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
    // the same values again change nothing (no event)
    ok(await asAdmin(UPDATE, { id: created.id, i: { version: '1.1.0-beta.1+build.7' } }));

    const published = await publish(created.id);
    expect(published.status).toBe('PUBLISHED');
    expect(Date.parse(published.publishedAt)).toBeGreaterThanOrEqual(Date.parse(created.createdAt));
    expect((await publish(created.id)).publishedAt).toBe(published.publishedAt); // already published: nothing changes
    const unpublished = ok(await asAdmin(UNPUBLISH, { id: created.id })).unpublishMarketplaceItem;
    expect(unpublished).toMatchObject({ status: 'UNPUBLISHED', publishedAt: published.publishedAt });
    expect((await publish(created.id)).status).toBe('PUBLISHED');

    const events = await eventsOf(created.id, 5);
    expect(events.map((e: any) => e.type)).toEqual([
      'marketplace_item.created',
      'marketplace_item.updated',
      'marketplace_item.published',
      'marketplace_item.unpublished',
      'marketplace_item.published',
    ]);
    expect(events[0].payload.after).toMatchObject({
      kind: 'AGENT',
      resourceId: ids.support,
      name: 'Support Bot',
      status: 'DRAFT',
      grants: [`USER:${users.bob}`],
    });
    expect(events[1].payload).toMatchObject({
      before: { version: '1.0.0', description: 'Answers tickets' },
      after: { version: '1.1.0-beta.1+build.7', description: 'Answers tickets fast' },
    });
    expect(events[3].payload).toMatchObject({ before: { status: 'PUBLISHED' }, after: { status: 'UNPUBLISHED' } });
  });

  it('archives for good: no transition, update or grant change after, and the name is free again', async () => {
    const item = await create({ kind: 'CONNECTION', resourceId: ids.billing, name: 'Old tools', version: '0.1.0' });
    expect(item).toMatchObject({ connection: { id: ids.billing, name: 'Billing API' }, agent: null, grants: [] });
    // a draft was never published: it cannot be unpublished
    const draft = await asAdmin(UNPUBLISH, { id: item.id });
    expect([codeOf(draft), details(draft)]).toEqual(['CONFLICT', { id: 'is DRAFT' }]);
    expect(ok(await asAdmin(ARCHIVE, { id: item.id })).archiveMarketplaceItem.status).toBe('ARCHIVED');
    expect(ok(await asAdmin(ARCHIVE, { id: item.id })).archiveMarketplaceItem.status).toBe('ARCHIVED'); // again: nothing changes
    for (const r of [
      await asAdmin(PUBLISH, { id: item.id }),
      await asAdmin(UNPUBLISH, { id: item.id }),
      await asAdmin(UPDATE, { id: item.id, i: { version: '0.2.0' } }),
      await asAdmin(grantsOp('addMarketplaceItemGrants'), { id: item.id, s: [{ type: 'USER', id: users.bob }] }),
    ])
      expect([codeOf(r), details(r)]).toEqual(['CONFLICT', { id: 'is ARCHIVED' }]);
    // a live item's name is taken (ignoring case); the archived one's is not
    const again = await create({ kind: 'CONNECTION', resourceId: ids.billing, name: 'old TOOLS', version: '0.2.0' });
    const taken = await asAdmin(CREATE, { i: { kind: 'CONNECTION', resourceId: ids.billing, name: 'Old Tools', version: '1.0.0' } });
    expect([codeOf(taken), details(taken)]).toEqual(['CONFLICT', { name: 'already taken' }]);
    ok(await asAdmin(ARCHIVE, { id: again.id }));
    expect((await eventsOf(item.id, 2)).map((e: any) => e.type)).toEqual(['marketplace_item.created', 'marketplace_item.archived']);
  });

  it('replaces, adds and removes grants, audited; an unchanged list records nothing', async () => {
    const item = await create({ kind: 'AGENT', resourceId: ids.analyst, name: 'Analyst', version: '2.0.0' });
    ids.analystItem = item.id;
    const replace = (sc: unknown[]) => asAdmin(grantsOp('replaceMarketplaceItemGrants'), { id: item.id, s: sc });
    expect(ok(await replace([{ type: 'TEAM', id: ids.data }])).replaceMarketplaceItemGrants.grants).toEqual([
      { scopeType: 'TEAM', scopeId: ids.data },
    ]);
    const added = ok(
      await asAdmin(grantsOp('addMarketplaceItemGrants'), {
        id: item.id,
        s: [
          { type: 'ORG', id: ids.eng },
          { type: 'TEAM', id: ids.data },
        ],
      }),
    ).addMarketplaceItemGrants;
    expect(added.grants).toHaveLength(2);
    ok(await asAdmin(grantsOp('addMarketplaceItemGrants'), { id: item.id, s: [{ type: 'ORG', id: ids.eng }] })); // unchanged
    expect(
      ok(await asAdmin(grantsOp('removeMarketplaceItemGrants'), { id: item.id, s: [{ type: 'TEAM', id: ids.data }] }))
        .removeMarketplaceItemGrants.grants,
    ).toEqual([{ scopeType: 'ORG', scopeId: ids.eng }]);
    const events = await eventsOf(item.id, 4);
    expect(events.map((e: any) => e.type)).toEqual([
      'marketplace_item.created',
      'marketplace_item.grants_changed',
      'marketplace_item.grants_changed',
      'marketplace_item.grants_changed',
    ]);
    expect(events[3].payload).toEqual({ before: [`ORG:${ids.eng}`, `TEAM:${ids.data}`].sort(), after: [`ORG:${ids.eng}`] });
  });

  it('discovers only published items granted to the caller, their teams or their orgs', async () => {
    // Support Bot (published, bob), Analyst (draft, eng); then a connection for platform and a doomed agent for bob
    const billing = await create({
      kind: 'CONNECTION',
      resourceId: ids.billing,
      name: 'Billing tools',
      version: '3.0.0',
      grants: [{ type: 'TEAM', id: ids.platform }],
    });
    const doomed = await create({
      kind: 'AGENT',
      resourceId: ids.doomed,
      name: 'Temp',
      version: '0.0.1',
      grants: [{ type: 'USER', id: users.bob }],
    });
    ids.doomedItem = doomed.id;
    // a draft is discovered by nobody
    expect(await namesFor('alice')).toEqual([]);
    expect(await namesFor('carol')).toEqual([]);
    for (const id of [billing.id, doomed.id, ids.analystItem]) await publish(id);

    expect(await namesFor('bob')).toEqual(['Support Bot', 'Temp']); // their own grants
    expect(await namesFor('alice')).toEqual(['Analyst', 'Billing tools']); // their team's and their org's
    expect(await namesFor('carol')).toEqual(['Analyst']); // their org's, through the data team
    expect(await namesFor('dave')).toEqual([]); // granted nothing
    // an admin login bound to no directory user discovers nothing (as myAgents)
    expect(ok(await asAdmin(`{ marketplace { totalCount nodes { name } } }`)).marketplace).toEqual({ totalCount: 0, nodes: [] });

    const alice = await discover(await endUser('alice'));
    expect(alice.totalCount).toBe(2);
    expect(alice.edges.map((e: any) => e.node)).toEqual([
      { name: 'Analyst', kind: 'AGENT', version: '2.0.0', agent: { name: 'Analyst bot' }, connection: null },
      { name: 'Billing tools', kind: 'CONNECTION', version: '3.0.0', agent: null, connection: { name: 'Billing API' } },
    ]);
    expect(await namesFor('alice', { kind: 'CONNECTION' })).toEqual(['Billing tools']);
    // who else may discover an item is for account roles: an end user asking gets FORBIDDEN on that field
    const grants = await s.gql(`{ marketplace { nodes { name grants { scopeId } } } }`, {}, { token: await endUser('alice') });
    expect(codeOf(grants)).toBe('FORBIDDEN');

    // unpublished: gone from discovery
    ok(await asAdmin(UNPUBLISH, { id: ids.analystItem }));
    expect(await namesFor('alice')).toEqual(['Billing tools']);
    expect(await namesFor('carol')).toEqual([]);

    // its agent deleted: gone from discovery; the admin still sees the item, without its agent, and cannot republish it
    ok(await asAdmin(`mutation($id: ID!) { deleteAgentDefinition(id: $id) }`, { id: ids.doomed }));
    expect(await namesFor('bob')).toEqual(['Support Bot']);
    expect(
      ok(await asAdmin(`query($id: ID!) { marketplaceItem(id: $id) { status agent { id } } }`, { id: doomed.id })).marketplaceItem,
    ).toEqual({
      status: 'PUBLISHED',
      agent: null,
    });
    ok(await asAdmin(UNPUBLISH, { id: doomed.id }));
    expect(codeOf(await asAdmin(PUBLISH, { id: doomed.id }))).toBe('NOT_FOUND');
  });

  it('searches name and description ignoring case, and pages by name with after', async () => {
    const names = ['widget b', 'Widget A', 'WIDGET c', 'Widget d', 'Widget E'];
    for (const name of [...names, 'Gadget'])
      await publish(
        (
          await create({
            kind: 'CONNECTION',
            resourceId: ids.billing,
            name,
            description: name === 'Gadget' ? 'Makes WIDGETS' : 'A thing',
            version: '1.0.0',
            grants: [{ type: 'TEAM', id: ids.data }],
          })
        ).id,
      );
    const carol = await endUser('carol');
    const pages: string[][] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await discover(carol, { search: 'widget', first: 2, after });
      expect(page.totalCount).toBe(6);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      pages.push(page.edges.map((e: any) => e.node.name));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toEqual([
      ['Gadget', 'Widget A'],
      ['widget b', 'WIDGET c'],
      ['Widget d', 'Widget E'],
    ]);
    expect(await namesFor('carol', { search: 'Widget C' })).toEqual(['WIDGET c']);
    expect(await namesFor('carol', { search: 'wid%' })).toEqual([]); // a LIKE character is literal
    expect(await namesFor('alice', { search: 'widget' })).toEqual([]); // not granted to alice
    const long = await s.gql(DISCOVER, { search: 'x'.repeat(101) }, { token: carol });
    expect([codeOf(long), Object.keys(details(long) ?? {})]).toEqual(['VALIDATION_ERROR', ['search']]);

    // the admin list pages the same way over every status, filtered
    const LIST = `query($f: MarketplaceItemFilter, $after: String) { marketplaceItems(first: 4, filter: $f, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } nodes { name status kind } } }`;
    const all: any[] = [];
    let cursor: string | null = null;
    for (;;) {
      const page: any = ok(await asAdmin(LIST, { f: { kind: 'CONNECTION', search: 'widget' }, after: cursor })).marketplaceItems;
      expect(page.totalCount).toBe(6);
      all.push(...page.nodes.map((n: any) => n.name));
      if (!page.pageInfo.hasNextPage) break;
      cursor = page.pageInfo.endCursor;
    }
    expect(all).toEqual(['Gadget', 'Widget A', 'widget b', 'WIDGET c', 'Widget d', 'Widget E']);
    const archived = ok(await asAdmin(LIST, { f: { status: 'ARCHIVED' } })).marketplaceItems;
    expect(archived.nodes.map((n: any) => n.name)).toEqual(['Old tools', 'old TOOLS']); // one name ignoring case: by id (creation)
    const drafts = ok(await asAdmin(LIST, { f: { status: 'UNPUBLISHED', kind: 'AGENT' } })).marketplaceItems;
    expect(drafts.nodes.map((n: any) => n.name)).toEqual(['Analyst', 'Temp']);
  });

  it("batches an item page's agents, connections and grants: one statement each", async () => {
    statements = [];
    const r = ok(await asAdmin(`{ marketplaceItems(first: 100) { nodes { agent { name } connection { name } grants { scopeId } } } }`));
    const sent = statements;
    statements = null;
    expect(r.marketplaceItems.nodes.length).toBeGreaterThan(8);
    const reads = (table: string) => sent.filter((q) => q.includes(`"catalog"."${table}"`) && !q.includes('marketplace_item'));
    expect([reads('agent_definition').length, reads('tool_connection').length, reads('scope_grant').length]).toEqual([1, 1, 1]);
  });

  it('refuses bad input with the field named, and unknown or foreign resources and scopes as NOT_FOUND', async () => {
    const base = { kind: 'AGENT', resourceId: ids.support, name: 'Bad', version: '1.0.0' };
    const code = async (i: Record<string, unknown>) => codeOf(await asAdmin(CREATE, { i: { ...base, ...i } }));
    expect(await code({ resourceId: '0193f000-0000-7000-8000-0000000000aa' })).toBe('NOT_FOUND');
    expect(await code({ resourceId: ids.otherAgent })).toBe('NOT_FOUND'); // another account's agent
    expect(await code({ resourceId: 'not-a-uuid' })).toBe('NOT_FOUND');
    expect(await code({ kind: 'CONNECTION', resourceId: ids.support })).toBe('NOT_FOUND'); // an agent is no connection
    for (const version of ['1.0', 'v1.0.0', '01.0.0', '1.0.0-', '1.0.0+', '', `1.0.0-${'a'.repeat(100)}`]) {
      const r = await asAdmin(CREATE, { i: { ...base, version } });
      expect([version, codeOf(r), Object.keys(details(r) ?? {})]).toEqual([version, 'VALIDATION_ERROR', ['version']]);
    }
    const badUpdate = await asAdmin(UPDATE, { id: ids.supportItem, i: { version: '2' } });
    expect([codeOf(badUpdate), Object.keys(details(badUpdate) ?? {})]).toEqual(['VALIDATION_ERROR', ['version']]);
    const badName = await asAdmin(CREATE, { i: { ...base, name: ' ', description: 'x'.repeat(2001) } });
    expect([codeOf(badName), Object.keys(details(badName) ?? {}).sort()]).toEqual(['VALIDATION_ERROR', ['description', 'name']]);
    // grant scopes: another account's org and a malformed id are NOT_FOUND, a CONSOLE org a VALIDATION_ERROR
    expect(await code({ grants: [{ type: 'ORG', id: ids.otherOrg }] })).toBe('NOT_FOUND');
    expect(await code({ grants: [{ type: 'TEAM', id: 'nope' }] })).toBe('NOT_FOUND');
    const consoleOrg = await asAdmin(CREATE, { i: { ...base, grants: [{ type: 'ORG', id: ids.ops }] } });
    expect([codeOf(consoleOrg), Object.keys(details(consoleOrg) ?? {})]).toEqual(['VALIDATION_ERROR', ['grants']]);
    const addConsole = await asAdmin(grantsOp('addMarketplaceItemGrants'), { id: ids.supportItem, s: [{ type: 'ORG', id: ids.ops }] });
    expect([codeOf(addConsole), Object.keys(details(addConsole) ?? {})]).toEqual(['VALIDATION_ERROR', ['scopes']]);
    expect(
      codeOf(
        await asAdmin(grantsOp('addMarketplaceItemGrants'), {
          id: ids.supportItem,
          s: [{ type: 'USER', id: '0193f000-0000-7000-8000-0000000000ab' }],
        }),
      ),
    ).toBe('NOT_FOUND');
    expect(codeOf(await asAdmin(PUBLISH, { id: 'not-a-uuid' }))).toBe('NOT_FOUND');
  });

  it('lets account admins write, viewers read, and end users only discover', async () => {
    const viewer = await s.tokenFor('VIEWER', acct.a);
    const operator = await s.tokenFor('OPERATOR', acct.a);
    const bob = await endUser('bob');
    const i = { kind: 'AGENT', resourceId: ids.support, name: 'Nope', version: '1.0.0' };
    for (const token of [viewer, operator, bob]) {
      expect(codeOf(await s.gql(CREATE, { i }, { token }))).toBe('FORBIDDEN');
      expect(codeOf(await s.gql(PUBLISH, { id: ids.supportItem }, { token }))).toBe('FORBIDDEN');
      expect(codeOf(await s.gql(grantsOp('replaceMarketplaceItemGrants'), { id: ids.supportItem, s: [] }, { token }))).toBe('FORBIDDEN');
    }
    expect(ok(await s.gql(`{ marketplaceItems { totalCount } }`, {}, { token: viewer })).marketplaceItems.totalCount).toBeGreaterThan(8);
    expect(codeOf(await s.gql(`{ marketplaceItems { totalCount } }`, {}, { token: bob }))).toBe('FORBIDDEN');
    expect(codeOf(await s.gql(`query($id: ID!) { marketplaceItem(id: $id) { id } }`, { id: ids.supportItem }, { token: bob }))).toBe(
      'FORBIDDEN',
    );
    expect((await discover(bob)).edges.map((e: any) => e.node.name)).toEqual(['Support Bot']);
  });

  it("keeps another tenant's items out of sight and out of reach (NOT_FOUND)", async () => {
    const id = ids.supportItem;
    expect(codeOf(await asOther(`query($id: ID!) { marketplaceItem(id: $id) { id } }`, { id }))).toBe('NOT_FOUND');
    expect(ok(await asOther(`{ marketplaceItems { totalCount nodes { id } } }`)).marketplaceItems).toEqual({ totalCount: 0, nodes: [] });
    for (const r of [
      await asOther(UPDATE, { id, i: { name: 'Mine now' } }),
      await asOther(PUBLISH, { id }),
      await asOther(UNPUBLISH, { id }),
      await asOther(ARCHIVE, { id }),
      await asOther(grantsOp('replaceMarketplaceItemGrants'), { id, s: [] }),
      await asOther(grantsOp('addMarketplaceItemGrants'), { id, s: [{ type: 'ORG', id: ids.otherOrg }] }),
      await asOther(grantsOp('removeMarketplaceItemGrants'), { id, s: [{ type: 'USER', id: users.bob }] }),
    ])
      expect(codeOf(r)).toBe('NOT_FOUND');
    // an admin of b granting a's org to b's item, or listing a's agent, is refused too
    expect(codeOf(await asOther(CREATE, { i: { kind: 'AGENT', resourceId: ids.support, name: 'Stolen', version: '1.0.0' } }))).toBe(
      'NOT_FOUND',
    );
    expect(
      codeOf(
        await asOther(CREATE, {
          i: { kind: 'AGENT', resourceId: ids.otherAgent, name: 'Hooli', version: '1.0.0', grants: [{ type: 'ORG', id: ids.eng }] },
        }),
      ),
    ).toBe('NOT_FOUND');
    // the item is unchanged for its own account
    expect(
      ok(await asAdmin(`query($id: ID!) { marketplaceItem(id: $id) { name status grants { scopeId } } }`, { id })).marketplaceItem,
    ).toEqual({
      name: 'Support Bot',
      status: 'PUBLISHED',
      grants: [{ scopeId: users.bob }],
    });
  });
});
