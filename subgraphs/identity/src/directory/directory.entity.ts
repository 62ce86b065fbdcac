import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** The two separate directory trees (seed 001): Copilot and Console. */
export const DIRECTORY_DOMAINS = ['COPILOT', 'CONSOLE'] as const;
export type DirectoryDomain = (typeof DIRECTORY_DOMAINS)[number];

export const Org = defineEntity({
  name: 'Org',
  tableName: 'org',
  properties: {
    id: p.uuid().primary(),
    accountId: p.uuid(),
    name: p.string(),
    domain: p.string(),
    createdAt: p.datetime(),
  },
});
export type Org = InferEntity<typeof Org>;

export const Team = defineEntity({
  name: 'Team',
  tableName: 'team',
  properties: {
    id: p.uuid().primary(),
    accountId: p.uuid(),
    orgId: p.uuid(),
    domain: p.string(),
    name: p.string(),
    createdAt: p.datetime(),
  },
});
export type Team = InferEntity<typeof Team>;

export const AppUser = defineEntity({
  name: 'AppUser',
  tableName: 'app_user',
  properties: {
    id: p.uuid().primary(),
    accountId: p.uuid(),
    email: p.string(),
    displayName: p.string(),
    domain: p.string(),
    status: p.string(),
    createdAt: p.datetime(),
  },
});
export type AppUser = InferEntity<typeof AppUser>;

export const TeamMember = defineEntity({
  name: 'TeamMember',
  tableName: 'team_member',
  properties: {
    accountId: p.uuid().primary(),
    teamId: p.uuid().primary(),
    userId: p.uuid().primary(),
    domain: p.string(),
    createdAt: p.datetime(),
  },
});
export type TeamMember = InferEntity<typeof TeamMember>;
