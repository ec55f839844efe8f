import type { z } from 'zod';
import { LatchkeyError } from '../errors.ts';

/**
 * The Go SDK sends `""` and `null` for every unset field and the Ruby SDK keeps nested nulls, so the
 * server treats `""`, `null` and a missing key alike: they are removed before validation.
 */
export function dropEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropEmpty);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null || v === '' || v === undefined) continue;
      out[k] = dropEmpty(v);
    }
    return out;
  }
  return value;
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const source = input === undefined || input === null ? {} : input;
  const cleaned = dropEmpty(source);
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const missing = result.error.issues.filter(
    (i) => i.code === 'invalid_type' && valueAt(cleaned, i.path) === undefined,
  );
  const fields = result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  if (missing.length > 0 && missing.length === result.error.issues.length) {
    throw new LatchkeyError(
      'missingArguments',
      `Missing required fields: ${missing.map((i) => i.path.join('.')).join(', ')}`,
    );
  }
  throw new LatchkeyError('invalidRequest', `Invalid request: ${fields}`);
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let at = root;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}
