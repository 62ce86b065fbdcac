import { RELAY_LOG_LABEL } from '@cockpit/kit';
import { member, newAccount, startIdentity, type Identity } from './helpers';

/**
 * Seeds `orgs` Copilot orgs with `teamsPerOrg` teams each and `usersPerTeam`
 * members per team straight in SQL (as the owner, so it is fast).
 */
async function seed(id: Identity, accountId: string, orgs: number, teamsPerOrg: number, usersPerTeam: number) {
  await id.sql(
    `insert into identity.org (id, account_id, name, domain, created_at)
     select gen_random_uuid(), ?, 'org-' || g, 'COPILOT', now() from generate_series(1, ?) g`,
    [accountId, orgs],
  );
  await id.sql(
    `insert into identity.team (id, account_id, org_id, domain, name, created_at)
     select gen_random_uuid(), o.account_id, o.id, o.domain, 'team-' || g, now()
       from identity.org o, generate_series(1, ?) g where o.account_id = ? and o.name like 'org-%'`,
    [teamsPerOrg, accountId],
  );
  await id.sql(
    `insert into identity.app_user (id, account_id, email, display_name, domain, status, created_at)
     select gen_random_uuid(), ?, 'u' || g || '@example.com', 'User ' || g, 'COPILOT', 'ACTIVE', now() from generate_series(1, ?) g`,
    [accountId, usersPerTeam],
  );
  await id.sql(
    `insert into identity.team_member (account_id, team_id, user_id, domain, created_at)
     select t.account_id, t.id, u.id, t.domain, now() from identity.team t join identity.app_user u on u.account_id = t.account_id where t.account_id = ?`,
    [accountId],
  );
}

const DIRECTORY = `{ account { id orgs(first: 100) { totalCount nodes { id teamCount teams(first: 100) { totalCount nodes { id memberCount members(first: 100) { totalCount nodes { id } } } } } } } }`;

/** The statements that read directory data. */
const dataStatements = (all: string[]) => all.filter((s) => /"identity"\."(account|org|team|app_user|team_member)"/.test(s));
/**
 * Every statement the request sent, transaction control included, but not the
 * outbox relay's (it polls on its own clock): each read is one round trip that
 * carries its tenant settings, so that is the data statements alone.
 */
const requestStatements = (all: string[]) => all.filter((s) => !s.includes(`(${RELAY_LOG_LABEL})`) && !s.includes(`"outbox"`));

describe('identity: directory DataLoaders (ID3)', () => {
  let id: Identity;
  beforeAll(async () => {
    id = await startIdentity({ answerCacheMb: 0 }); // counts what execution sends: no cache hits, no generation read
  });
  afterAll(() => id.close());

  it('answers the nested directory query with the same number of SQL statements for 10 or 100 children', async () => {
    const small = await newAccount(id);
    const large = await newAccount(id);
    await seed(id, small.id, 2, 5, 10); // 10 teams, 10 members each
    await seed(id, large.id, 10, 10, 100); // 100 teams, 100 members each

    const run = async (accountId: string) => {
      let body: any;
      const statements = await id.statements(async () => {
        body = await id.call(member(accountId, 'VIEWER'), DIRECTORY);
      });
      expect(body.errors).toBeUndefined();
      return { statements: dataStatements(statements), all: requestStatements(statements), account: body.data.account };
    };

    const s = await run(small.id);
    const l = await run(large.id);

    const teams = (a: any) => a.orgs.nodes.flatMap((o: any) => o.teams.nodes);
    expect(s.account.orgs.totalCount).toBe(3); // + the default `global` org
    expect(teams(s.account)).toHaveLength(10);
    expect(teams(s.account).every((t: any) => t.members.nodes.length === 10 && t.members.totalCount === 10 && t.memberCount === 10)).toBe(
      true,
    );
    expect(l.account.orgs.totalCount).toBe(11);
    expect(teams(l.account)).toHaveLength(100);
    expect(teams(l.account).every((t: any) => t.members.nodes.length === 100 && t.members.totalCount === 100)).toBe(true);

    expect(l.statements.length).toBe(s.statements.length);
    // account, orgs page, Org.teamCount (asked beside the teams, so before their page), teams page, members page:
    // each first page carries its parents' totals (totalCount) and the teams' page their member counts
    expect(s.statements).toHaveLength(5);
    // the 5 and nothing else: no begin, set_config or commit (28 with a transaction per batch, 10 with one per request,
    // 7 with a count statement per level)
    expect(s.all).toHaveLength(5);
    expect(l.all).toHaveLength(5);
    expect(s.all.filter((q) => /\] (begin|commit|select set_config)\b/.test(q))).toHaveLength(0);
  });

  it('adds one statement per level for the tree counts (Account.orgCount/userCount, Org.userCount/teamCount, Team.memberCount)', async () => {
    const small = await newAccount(id);
    const large = await newAccount(id);
    await seed(id, small.id, 2, 3, 4);
    await seed(id, large.id, 8, 10, 50);
    const COUNTS = `{ account { orgCount copilot: orgCount(domain: COPILOT) userCount consoleUsers: userCount(domain: CONSOLE)
      orgs(first: 100) { totalCount nodes { teamCount userCount teams(first: 100) { nodes { memberCount } } } } } }`;
    const run = async (accountId: string) => {
      let body: any;
      const statements = await id.statements(async () => {
        body = await id.call(member(accountId, 'VIEWER'), COUNTS);
      });
      expect(body.errors).toBeUndefined();
      return { statements: dataStatements(statements), all: requestStatements(statements), account: body.data.account };
    };
    const s = await run(small.id);
    const l = await run(large.id);
    expect(l.account).toMatchObject({ orgCount: 9, copilot: 9, userCount: 50, consoleUsers: 0 });
    const seeded = l.account.orgs.nodes.filter((o: any) => o.teamCount > 0);
    expect(seeded).toHaveLength(8);
    expect(seeded.every((o: any) => o.userCount === 50 && o.teams.nodes.every((t: any) => t.memberCount === 50))).toBe(true);
    expect(s.account).toMatchObject({ orgCount: 3, userCount: 4 });
    expect(l.statements.length).toBe(s.statements.length);
    // account; orgs page; org count (shared by orgCount and totalCount) + COPILOT org count; user counts (all, CONSOLE);
    // Org.teamCount, Org.userCount; teams page (with each team's member count: Team.memberCount costs nothing)
    expect(s.statements).toHaveLength(9);
    // the 9 alone (40 with a transaction per batch, 13 with one per request)
    expect(s.all).toHaveLength(9);
    expect(l.all).toHaveLength(9);
  });

  it("reads the dashboard's directory (teams with totalCount and memberCount) in three statements, counts as the grouped ones", async () => {
    const a = await newAccount(id);
    await seed(id, a.id, 4, 3, 2);
    // one more member in one team, so the counts differ between teams
    const [team] = await id.sql(`select id from identity.team where account_id = ? order by id limit 1`, [a.id]);
    await id.sql(
      `insert into identity.app_user (id, account_id, email, display_name, domain, status, created_at)
       values (gen_random_uuid(), ?, 'extra@example.com', 'Extra', 'COPILOT', 'ACTIVE', now())`,
      [a.id],
    );
    await id.sql(
      `insert into identity.team_member (account_id, team_id, user_id, domain, created_at)
       select ?, ?, u.id, 'COPILOT', now() from identity.app_user u where u.account_id = ? and u.email = 'extra@example.com'`,
      [a.id, team.id, a.id],
    );
    const DASH = `{ account { orgs(first: 20) { nodes { id teams { totalCount nodes { id memberCount } } } } } }`;
    let body: any;
    const statements = await id.statements(async () => {
      body = await id.call(member(a.id, 'VIEWER'), DASH);
    });
    expect(body.errors).toBeUndefined();
    // account, orgs page, teams page (its window counts each org's teams, its rows each team's members)
    expect(requestStatements(statements)).toHaveLength(3);
    // the same figures as the grouped counts, read one level at a time
    const expected = await id.sql(
      `select t.id, t.org_id, (select count(*)::int from identity.team_member m where m.team_id = t.id) as members,
              (select count(*)::int from identity.team t2 where t2.org_id = t.org_id) as teams
         from identity.team t where t.account_id = ?`,
      [a.id],
    );
    const seen = body.data.account.orgs.nodes.flatMap((o: any) =>
      o.teams.nodes.map((t: any) => ({ id: t.id, org: o.id, members: t.memberCount, teams: o.teams.totalCount })),
    );
    expect(seen.sort((x: any, y: any) => x.id.localeCompare(y.id))).toEqual(
      expected
        .map((r: any) => ({ id: r.id, org: r.org_id, members: r.members, teams: r.teams }))
        .sort((x: any, y: any) => x.id.localeCompare(y.id)),
    );
    expect(seen.find((t: any) => t.id === team.id).members).toBe(3);
    expect(body.data.account.orgs.nodes.filter((o: any) => o.teams.totalCount === 0)).toHaveLength(1); // `global`: no teams, count 0

    // after a cursor the page's window sees only the rows after it: totalCount is still the whole list's (its own statement)
    const org = body.data.account.orgs.nodes.find((o: any) => o.teams.totalCount === 3).id;
    const first = await id.call(
      member(a.id, 'VIEWER'),
      `query($o: ID!) { org(id: $o) { teams(first: 1) { totalCount pageInfo { endCursor } } } }`,
      {
        o: org,
      },
    );
    expect(first.data.org.teams.totalCount).toBe(3);
    const next = await id.call(
      member(a.id, 'VIEWER'),
      `query($o: ID!, $c: String) { org(id: $o) { teams(first: 1, after: $c) { totalCount nodes { id } } } }`,
      { o: org, c: first.data.org.teams.pageInfo.endCursor },
    );
    expect(next.errors).toBeUndefined();
    expect(next.data.org.teams).toMatchObject({ totalCount: 3 });
    expect(next.data.org.teams.nodes).toHaveLength(1);
  });

  it('batches User.teams and Team.org across many parents', async () => {
    const a = await newAccount(id);
    await seed(id, a.id, 3, 4, 5);
    const [team] = await id.sql(`select id from identity.team where account_id = ? order by id limit 1`, [a.id]);
    const Q = `query($t: ID!) { team(id: $t) { members { nodes { teams { id org { id teams { totalCount } } } } } } }`;
    let body: any;
    const statements = await id.statements(async () => {
      body = await id.call(member(a.id, 'VIEWER'), Q, { t: team.id });
    });
    expect(body.errors).toBeUndefined();
    expect(body.data.team.members.nodes).toHaveLength(5);
    expect(body.data.team.members.nodes[0].teams).toHaveLength(12);
    // team, members page, teams of the users, their orgs, the orgs' teams page (their totalCount with it)
    expect(dataStatements(statements)).toHaveLength(5);
    // the 5 alone (24 with a transaction per batch, 9 with one per request)
    expect(requestStatements(statements)).toHaveLength(5);
  });

  it('keeps concurrent requests acting on different accounts apart, each read carrying its own scope', async () => {
    const a = await newAccount(id);
    const b = await newAccount(id);
    await seed(id, a.id, 2, 3, 2);
    await seed(id, b.id, 3, 2, 3);
    const rowsOf = async (accountId: string) =>
      new Set(
        (
          await id.sql(
            `select id from identity.org where account_id = ? union all select id from identity.team where account_id = ?
             union all select id from identity.app_user where account_id = ?`,
            [accountId, accountId, accountId],
          )
        ).map((r: any) => r.id),
      );
    const own: Record<string, Set<string>> = { [a.id]: await rowsOf(a.id), [b.id]: await rowsOf(b.id) };
    const seenIn = (account: any) =>
      new Set<string>(
        account.orgs.nodes.flatMap((o: any) => [
          o.id,
          ...o.teams.nodes.flatMap((t: any) => [t.id, ...t.members.nodes.map((u: any) => u.id)]),
        ]),
      );
    // the two accounts' requests at once: their batches interleave on the database (PostgreSQL) or queue (embedded)
    const actingOn = Array.from({ length: 12 }, (_, i) => (i % 2 ? a.id : b.id));
    let bodies: any[] = [];
    const statements = await id.statements(async () => {
      bodies = await Promise.all(actingOn.map((accountId) => id.call(member(accountId, 'VIEWER'), DIRECTORY)));
    });
    bodies.forEach((body, i) => {
      expect(body.errors).toBeUndefined();
      expect(body.data.account.id).toBe(actingOn[i]);
      expect([...seenIn(body.data.account)].sort()).toEqual([...own[actingOn[i]]].sort());
    });
    // 5 reads per request, each its own round trip with its settings: no transaction control at all
    expect(requestStatements(statements)).toHaveLength(5 * actingOn.length);
    expect(requestStatements(statements).filter((q) => /\] (begin|commit)\b/.test(q))).toHaveLength(0);
  });

  it('leaves no transaction open when a field fails, and the next request reads as before', async () => {
    const a = await newAccount(id);
    await seed(id, a.id, 2, 2, 2);
    // an unknown team answers NOT_FOUND beside the directory the other field still reads
    const Q = `{ account { orgs(first: 100) { nodes { teams(first: 100) { nodes { id members { nodes { id } } } } } } }
      team(id: "not-a-uuid") { id } }`;
    let body: any;
    const statements = requestStatements(
      await id.statements(async () => {
        body = await id.call(member(a.id, 'VIEWER'), Q);
      }),
    );
    expect(body.errors?.length).toBeGreaterThan(0);
    expect(body.data.account.orgs.nodes.length).toBe(3);
    const control = statements.filter((q) => /\] (begin|commit|rollback)\b/.test(q)).map((q) => /\] (\w+)/.exec(q)![1]);
    expect(control).toEqual([]);
    // on the embedded database a transaction left open would stall this owner query and the next request
    expect((await id.sql(`select count(*)::int as n from identity.org where account_id = ?`, [a.id]))[0].n).toBe(3);
    const next = await id.call(member(a.id, 'VIEWER'), DIRECTORY);
    expect(next.errors).toBeUndefined();
    expect(next.data.account.orgs.totalCount).toBe(3);
  });
});
