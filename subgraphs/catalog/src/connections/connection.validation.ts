import type { FieldDetails } from '@cockpit/kit';
import type { ConnectionType } from './connection.entity';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An absolute http(s) URL without credentials (a password in a URL would be stored and shown in clear). */
export function urlProblem(v: unknown, max = 2000): string | null {
  if (typeof v !== 'string' || !v.length || v.length > max) return `must be an absolute http(s) URL of at most ${max} characters`;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'must be an http(s) URL';
  if (u.username || u.password) return 'must not carry credentials; put them in secret';
  return null;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
export const MAX_SPEC_BYTES = 1024 * 1024;

/**
 * A structural check of an OpenAPI 3.0/3.1 document (no package: the npm validators pull in
 * network resolvers or install scripts): `openapi` 3.0.x/3.1.x, `info.title` and `info.version`,
 * `paths` whose keys start with "/" holding path items whose operations have a `responses` object
 * (3.0 requires it), `servers[].url` strings. References are not resolved (no network at write time).
 */
export function openApiProblems(doc: unknown, at: string): FieldDetails {
  const p: FieldDetails = {};
  if (!isObject(doc)) return { [at]: 'must be an OpenAPI document (a JSON object)' };
  const version = typeof doc.openapi === 'string' ? doc.openapi : '';
  if (!/^3\.[01]\.\d+$/.test(version)) p[`${at}.openapi`] = 'must be an OpenAPI version 3.0.x or 3.1.x';
  if (!isObject(doc.info)) p[`${at}.info`] = 'is required (an object with title and version)';
  else {
    if (typeof doc.info.title !== 'string' || !doc.info.title) p[`${at}.info.title`] = 'is required';
    if (typeof doc.info.version !== 'string' || !doc.info.version) p[`${at}.info.version`] = 'is required';
  }
  const v31 = version.startsWith('3.1');
  if (doc.paths === undefined) {
    if (!v31 || (doc.webhooks === undefined && doc.components === undefined)) p[`${at}.paths`] = 'is required';
  } else if (!isObject(doc.paths)) p[`${at}.paths`] = 'must be an object';
  else
    for (const [path, item] of Object.entries(doc.paths)) {
      if (!path.startsWith('/')) p[`${at}.paths`] = `key "${path.slice(0, 100)}" must start with "/"`;
      else if (!isObject(item)) p[`${at}.paths.${path}`] = 'must be a path item object';
      else
        for (const m of METHODS) {
          const op = item[m];
          if (op === undefined) continue;
          if (!isObject(op)) p[`${at}.paths.${path}.${m}`] = 'must be an operation object';
          else if (op.responses === undefined ? !v31 : !isObject(op.responses))
            p[`${at}.paths.${path}.${m}.responses`] = 'must be an object of responses';
        }
      if (Object.keys(p).length > 20) break;
    }
  if (doc.servers !== undefined && (!Array.isArray(doc.servers) || !doc.servers.every((s) => isObject(s) && typeof s.url === 'string')))
    p[`${at}.servers`] = 'must be an array of objects with a url';
  return p;
}

function onlyKeys(config: Record<string, unknown>, allowed: string[], p: FieldDetails) {
  for (const k of Object.keys(config))
    if (!allowed.includes(k))
      p[`config.${k.slice(0, 50)}`] = `is not a setting of this type (allowed: ${allowed.join(', ')}); credentials go in secret`;
}

/**
 * The per-type check of a connection's settings (CA7), returning the settings to store (an inline
 * OpenAPI document given as JSON text is stored parsed). Unknown keys are refused, so credentials
 * cannot slip into the clear-text settings. `secretFields`: the field names of the secret it will have.
 */
export function checkConnectionConfig(
  type: ConnectionType,
  config: unknown,
  secretFields: readonly string[],
): { config: Record<string, unknown>; problems: FieldDetails } {
  const p: FieldDetails = {};
  if (!isObject(config)) return { config: {}, problems: { config: 'must be a JSON object' } };
  const out: Record<string, unknown> = { ...config };
  switch (type) {
    case 'OPENAPI': {
      onlyKeys(config, ['specUrl', 'spec', 'baseUrl'], p);
      if ((config.specUrl === undefined) === (config.spec === undefined))
        p.config = 'needs exactly one of specUrl or spec (an inline document)';
      if (config.specUrl !== undefined) {
        const u = urlProblem(config.specUrl);
        if (u) p['config.specUrl'] = u;
      }
      if (config.spec !== undefined) {
        let doc: unknown = config.spec;
        if (typeof doc === 'string') {
          if (doc.length > MAX_SPEC_BYTES) p['config.spec'] = `must be at most ${MAX_SPEC_BYTES} bytes`;
          else
            try {
              doc = JSON.parse(doc);
            } catch {
              p['config.spec'] = 'is not valid JSON (give the document as JSON, text or object)';
              doc = undefined;
            }
        } else if (JSON.stringify(doc).length > MAX_SPEC_BYTES) p['config.spec'] = `must be at most ${MAX_SPEC_BYTES} bytes`;
        if (doc !== undefined && !p['config.spec']) Object.assign(p, openApiProblems(doc, 'config.spec'));
        out.spec = doc;
      }
      if (config.baseUrl !== undefined) {
        const u = urlProblem(config.baseUrl);
        if (u) p['config.baseUrl'] = u;
      }
      break;
    }
    case 'MCP': {
      onlyKeys(config, ['transport', 'endpoint'], p);
      if (config.transport !== 'streamable_http' && config.transport !== 'sse') p['config.transport'] = 'must be streamable_http or sse';
      const u = urlProblem(config.endpoint);
      if (u) p['config.endpoint'] = u;
      break;
    }
    case 'COMPOSIO': {
      onlyKeys(config, ['auth_mode', 'toolkit'], p);
      if (config.auth_mode !== 'oauth' && config.auth_mode !== 'api_key') p['config.auth_mode'] = 'must be oauth or api_key';
      else if (config.auth_mode === 'api_key' && !secretFields.includes('api_key'))
        p['secret.api_key'] = 'is required when auth_mode is api_key';
      if (config.toolkit !== undefined && (typeof config.toolkit !== 'string' || !/^[a-z0-9][a-z0-9_-]{0,99}$/i.test(config.toolkit)))
        p['config.toolkit'] = 'must be a toolkit slug (letters, digits, "_", "-"), at most 100 characters';
      break;
    }
  }
  return { config: out, problems: p };
}

const SECRET_FIELD_RE = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
export const MAX_SECRET_FIELDS = 20;
export const MAX_SECRET_VALUE = 16 * 1024;

/** A secret: an object of non-empty strings. Problems name fields, never values. */
export function checkSecret(secret: unknown): { secret: Record<string, string>; problems: FieldDetails } {
  if (!isObject(secret)) return { secret: {}, problems: { secret: 'must be a JSON object of strings' } };
  const p: FieldDetails = {};
  const keys = Object.keys(secret);
  if (!keys.length) p.secret = 'must name at least one field (use clearSecret to remove it)';
  if (keys.length > MAX_SECRET_FIELDS) p.secret = `at most ${MAX_SECRET_FIELDS} fields`;
  for (const k of keys.slice(0, MAX_SECRET_FIELDS + 1)) {
    if (!SECRET_FIELD_RE.test(k)) p.secret = 'field names are letters, digits, "_", ".", "-" (at most 64, not starting with a digit)';
    else {
      const v = secret[k];
      if (typeof v !== 'string' || !v.length || v.length > MAX_SECRET_VALUE)
        p[`secret.${k}`] = `must be a non-empty string of at most ${MAX_SECRET_VALUE} characters`;
    }
  }
  return { secret: secret as Record<string, string>, problems: p };
}

export function nameProblems(name: unknown, p: FieldDetails, field = 'name') {
  if (typeof name !== 'string' || !name.trim().length || name.trim().length > 100) p[field] = 'must be 1 to 100 characters';
}
