/**
 * `@cockpit/kit/edge`: the part of the kit the gateway uses — errors, principals,
 * internal tokens, config readers, logging, HTTP helpers, service calls. No
 * MikroORM, no database driver, no subgraph server: the gateway process loads
 * only what it runs (test/edge-imports.test.ts fails if that changes). The
 * subgraphs keep using the whole kit (`@cockpit/kit`).
 */
export * from './errors';
export * from './principal';
export * from './rbac';
export * from './authorize';
export * from './ids';
export * from './canonical-json';
export * from './internal-token';
export * from './config';
export * from './log';
export * from './connection';
export * from './http';
export * from './metrics';
export * from './service-client';
export * from './tracing';
export * from './subgraph-env';
export * from './agent-session';
