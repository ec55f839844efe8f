import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from '../../src/store/db.ts';

const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');

/**
 * Every field name any request schema in src/ declares (`name: z.…`, `name: someSchema…`): the sweep sends
 * them all to every route, and the route's own validation error tells which ones it reads and their types.
 */
export function harvestFieldNames(): string[] {
  const names = new Set<string>();
  for (const file of fs.readdirSync(srcDir, { recursive: true })) {
    const f = String(file);
    if (!f.endsWith('.ts') || f.endsWith('.test.ts')) continue;
    const text = fs.readFileSync(path.join(srcDir, f), 'utf8');
    for (const m of text.matchAll(
      /\b([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?:z\.|[a-z][A-Za-z]*(?:Schema|Body|Fields|Input|Query)\b)/g,
    ))
      names.add(m[1]!);
  }
  return [...names].sort();
}

export type FieldType = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'enum' | 'other';
export type Field = { name: string; type: FieldType; options?: string[] };

/** Reads `Invalid request: a: msg; b.c: msg` (src/http/validate.ts) into top-level fields and their expected types. */
export function fieldsFromError(message: string): Field[] {
  const out = new Map<string, Field>();
  const m = /^Invalid request: (.*)$/s.exec(message);
  if (!m) return [];
  for (const issue of m[1]!.split(/; (?=[\w.]+: )/)) {
    const at = issue.indexOf(': ');
    const name = issue.slice(0, at).split('.')[0]!;
    if (!name || name === 'body' || /^\d+$/.test(name)) continue;
    const text = issue.slice(at + 2);
    const expected = /expected (\w+)/.exec(text)?.[1];
    const options = /expected one of (.*)$/.exec(text)?.[1];
    let field: Field = { name, type: 'other' };
    if (options) field = { name, type: 'enum', options: options.split('|').map((o) => o.replace(/"/g, '')) };
    else if (expected === 'string' || expected === 'number' || expected === 'boolean' || expected === 'array')
      field = { name, type: expected };
    else if (expected === 'object' || expected === 'record') field = { name, type: 'object' };
    if (!out.has(name) || out.get(name)!.type === 'other') out.set(name, field);
  }
  return [...out.values()];
}

/** A value of the field's type that its schema accepts, for the base body the value battery varies one field of. */
export function plausible(field: Field): unknown {
  switch (field.type) {
    case 'string':
      if (/email/i.test(field.name)) return 'sweep@example.com';
      if (/phone/i.test(field.name)) return '+15555550100';
      if (/url|uri/i.test(field.name)) return 'https://example.com/sweep';
      return 'sweep-x';
    case 'number':
      return 1;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object':
      return {};
    case 'enum':
      return field.options?.[0];
    default:
      return 'sweep-x';
  }
}

export const deepObject = (depth: number): unknown => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};

/** Top-level field names a `Missing required fields: a, b.c` message (src/http/validate.ts) lists. */
export function requiredFromError(message: string): string[] {
  const m = /^Missing required fields: (.*)$/.exec(message);
  return m ? [...new Set(m[1]!.split(', ').map((p) => p.split('.')[0]!))] : [];
}

/** Values of the wrong type for a field of the given type. */
export function wrongTypes(type: FieldType): unknown[] {
  const deep = deepObject(200);
  switch (type) {
    case 'string':
      return [12345, true, ['sweep-x'], { a: 1 }, deep];
    case 'number':
      return ['12', 'abc', true, [1], { a: 1 }];
    case 'boolean':
      return ['true', 1, ['x'], { a: 1 }];
    case 'array':
      return ['sweep-x', 7, { a: 1 }, deep];
    case 'object':
      return ['sweep-x', 7, ['sweep-x'], true];
    case 'enum':
      return ['no-such-option', 3, ['x']];
    default:
      // a union (`id | id[]`, say): only values no member accepts
      return [12345, true, deep];
  }
}

/** Tables whose rows record the attempts themselves, not project state: left out of the "nothing changed" check. */
export const ATTEMPT_TABLES = [
  'audit_events', // the audit trail records refused management calls by design
  'audit_refs', // its index rows
  'login_history', // records sign-in attempts
  'outbox_messages', // the dev outbox records delivery attempts
  'rate_limit_counters', // rate-limit counters count attempts (memory by default; named in case a store keeps them)
];

/** Row count and a hash of the rows of every table, to prove a battery of refused requests changed nothing. */
export async function snapshotTables(db: Db): Promise<Record<string, { rows: number; hash: string }>> {
  const tables = (await db.introspection.getTables())
    .map((t) => t.name)
    .filter((n) => !ATTEMPT_TABLES.includes(n) && !/^kysely_/.test(n))
    .sort();
  const out: Record<string, { rows: number; hash: string }> = {};
  for (const name of tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    const lines = rows
      .map((r) =>
        JSON.stringify(
          Object.keys(r)
            .sort()
            .map((k) => [k, r[k] instanceof Uint8Array ? Buffer.from(r[k]).toString('hex') : r[k]]),
        ),
      )
      .sort();
    out[name] = { rows: rows.length, hash: createHash('sha256').update(lines.join('\n')).digest('hex') };
  }
  return out;
}
