import type { FieldDetails } from '@cockpit/kit';

const MAX_CONFIG_BYTES = 64 * 1024;
const MAX_BLOCKED_TERMS = 1000;

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The config is free-form so new guardrail kinds need no migration, but the keys
 * runtimes already read are typed here: a wrong type would only surface on an agent.
 */
export function configProblems(config: unknown, details: FieldDetails): void {
  if (!isPlainObject(config)) {
    details.config = 'must be a JSON object';
    return;
  }
  if (Buffer.byteLength(JSON.stringify(config)) > MAX_CONFIG_BYTES) details.config = `must be at most ${MAX_CONFIG_BYTES} bytes as JSON`;
  const { blockedTerms, piiRedaction } = config;
  if (blockedTerms !== undefined) {
    if (!Array.isArray(blockedTerms) || blockedTerms.some((t) => typeof t !== 'string' || t.trim() === '' || t.length > 200)) {
      details['config.blockedTerms'] = 'must be a list of non-empty strings of at most 200 characters';
    } else if (blockedTerms.length > MAX_BLOCKED_TERMS) {
      details['config.blockedTerms'] = `must have at most ${MAX_BLOCKED_TERMS} terms`;
    }
  }
  if (piiRedaction !== undefined && typeof piiRedaction !== 'boolean') details['config.piiRedaction'] = 'must be a boolean';
}

export function nameProblems(name: string, details: FieldDetails): void {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 100) details.name = 'must be 1 to 100 characters';
  // eslint-disable-next-line no-control-regex
  else if (/[\u0000-\u001f\u007f]/.test(trimmed)) details.name = 'must not contain control characters';
}

export function descriptionProblems(description: string, details: FieldDetails): void {
  if (description.length > 2000) details.description = 'must be at most 2000 characters';
}
