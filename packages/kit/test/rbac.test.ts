import {
  RBAC,
  ROLE_ORDER,
  authorize,
  can,
  isGrantingScope,
  principal,
  requireAccount,
  requireService,
  type Action,
  type AdminRole,
  type Principal,
  type Role,
} from '../src';

const ACCOUNT = '0193f000-0000-7000-8000-000000000001';
const OTHER = '0193f000-0000-7000-8000-000000000002';
const as = (role: Role, extra: Partial<Principal> = {}) =>
  principal({ accountId: ACCOUNT, roles: [role], superAdmin: role === 'SUPER_ADMIN', ...extra });
const actions = Object.keys(RBAC) as Action[];

describe('the RBAC matrix (seed 000 × seed 004 roles)', () => {
  it('is monotonic: whatever a role may do, every stronger role may do', () => {
    for (const action of actions) {
      const allowed = ROLE_ORDER.map((r) => can(as(r), action));
      const firstDenied = allowed.indexOf(false);
      if (firstDenied >= 0) expect(allowed.slice(firstDenied)).toEqual(allowed.slice(firstDenied).map(() => false));
    }
  });

  it('grants each action exactly from its minimum role up', () => {
    for (const action of actions) {
      const min = RBAC[action].min as AdminRole;
      for (const r of ROLE_ORDER)
        expect([action, r, can(as(r), action)]).toEqual([action, r, ROLE_ORDER.indexOf(r) <= ROLE_ORDER.indexOf(min)]);
    }
  });

  it('keeps global operations, the catalog, plans and account creation for super admins', () => {
    for (const a of ['globalOps.write', 'catalog.write', 'eligibility.write', 'budgetPlan.write', 'account.create'] as Action[]) {
      expect(can(as('OWNER'), a)).toBe(false);
      expect(can(as('SUPER_ADMIN'), a)).toBe(true);
    }
  });

  it('follows seed 004: viewers read and simulate, operators control autopilot, admins edit policies, owners manage roles', () => {
    expect(can(as('VIEWER'), 'policy.simulate')).toBe(true);
    expect(can(as('VIEWER'), 'policy.write')).toBe(false);
    expect(can(as('OPERATOR'), 'autopilot.control')).toBe(true);
    expect(can(as('VIEWER'), 'autopilot.control')).toBe(false);
    expect(can(as('ADMIN'), 'policy.write')).toBe(true);
    expect(can(as('ADMIN'), 'audit.export')).toBe(true);
    expect(can(as('OPERATOR'), 'audit.export')).toBe(false);
    expect(can(as('ADMIN'), 'accountAdmin.write')).toBe(false);
    expect(can(as('OWNER'), 'accountAdmin.write')).toBe(true);
  });

  it('gives end users and agents runtime writes only (and the reads a runtime needs to spend: its own allocation, the spend check)', () => {
    const runtime = actions.filter((a) => (RBAC[a] as { runtime?: boolean }).runtime);
    // runtime reads too: the policy an agent pulls, the models a runtime caller may pick, the features it has, its own allocation,
    // the agents, tool connections and marketplace items granted to the caller, its own costs
    expect(runtime.sort()).toEqual([
      'agentDefinition.readOwn',
      'agentSync.write',
      'allocation.readOwn',
      'connection.readOwn',
      'costs.readOwn',
      'effectiveFeatures.read',
      'effectiveModels.read',
      'guardrailEvent.write',
      'marketplace.discover',
      'policySync.read',
      'spend.authorize',
      'usage.write',
    ]);
    for (const who of [as('END_USER'), principal({ accountId: ACCOUNT, kind: 'AGENT' })]) {
      for (const a of actions) expect([a, can(who, a)]).toEqual([a, runtime.includes(a)]);
    }
  });

  it("refuses another account's resource to everyone but super admins", () => {
    expect(can(as('OWNER'), 'directory.read', { accountId: OTHER })).toBe(false);
    expect(can(as('OWNER'), 'directory.read', { accountId: ACCOUNT })).toBe(true);
    expect(can(as('SUPER_ADMIN'), 'directory.read', { accountId: OTHER })).toBe(true);
  });

  it('narrows a principal to its scopes when it has any', () => {
    const key = as('ADMIN', { kind: 'API_KEY', scopes: ['directory.*'] });
    expect(can(key, 'directory.write')).toBe(true);
    expect(can(key, 'guardrail.write')).toBe(false);
  });

  it('denies unknown actions and answers with the right error codes', () => {
    expect(can(as('SUPER_ADMIN'), 'nope' as Action)).toBe(false);
    expect(() => authorize(null, 'audit.read')).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED' }));
    expect(() => authorize(as('VIEWER'), 'directory.write')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => requireAccount(principal({ superAdmin: true }))).toThrow(/X-Account-Id/);
  });

  it('knows a scope that grants something from a typo, matching scopes as can() does', () => {
    for (const scope of ['*', 'directory.*', 'directory.read', 'audit.read']) expect(isGrantingScope(scope)).toBe(true);
    for (const scope of ['', 'nuclear.*', 'directory.launch', 'directory.read.*', 'directory', '.*', '*.*'])
      expect(isGrantingScope(scope)).toBe(false);
  });

  it('lets only services past requireService', () => {
    expect(requireService(principal({ kind: 'SERVICE' }), 'x').kind).toBe('SERVICE');
    expect(() => requireService(as('SUPER_ADMIN', { kind: 'USER' }), 'ingest events')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN', message: 'Only services may ingest events' }),
    );
  });
});
