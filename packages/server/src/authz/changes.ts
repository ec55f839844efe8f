import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { LatchkeyError } from '../errors.ts';
import type { Db } from '../store/db.ts';
import type { Database } from '../store/schema.ts';
import type { StoredRelation } from './types.ts';

/**
 * The ReBAC change log behind `getmodified` (docs/authz.md "Changes since a time"). Every relation created,
 * deleted or renamed and every schema change adds rows in the same transaction as the write (and its
 * authz_versions bump), so a reader never sees the write without its log entry.
 */

/** How long entries are kept; a `since` older than this is refused (the log could not be complete). */
export const CHANGE_RETENTION_MS = 30 * 86_400_000;
/** At most this many distinct resources (and as many targets) in one answer; more is refused. */
export const MAX_MODIFIED = 10_000;
/** How far ahead of the server clock `since` may be (client clock skew) before it is refused. */
export const SINCE_SKEW_MS = 60_000;

export type AuthzModified = { resources: string[]; targets: string[]; schemaChanged: boolean };

export type RelationMatch = (eb: ExpressionBuilder<Database, 'authz_relations'>) => Expression<SqlBool>;

/** A target-set relation has no single target: the set's resource stands for the targets it grants. */
const targetOf = (r: Pick<StoredRelation, 'target' | 'targetSetResource'>) => r.target || r.targetSetResource;

/** Logs the given relations (just inserted or deleted). Repeats within one write are logged once. */
export async function logRelations(
  db: Db,
  projectId: string,
  relations: Pick<StoredRelation, 'resource' | 'target' | 'targetSetResource'>[],
): Promise<void> {
  const changed_at = Date.now();
  const seen = new Map<string, { resource: string; target: string }>();
  for (const r of relations)
    seen.set(`${r.resource}\0${targetOf(r)}`, { resource: r.resource, target: targetOf(r) });
  const rows = [...seen.values()].map((r) => ({ project_id: projectId, changed_at, kind: 'relation', ...r }));
  // 500 rows × 5 parameters stays under SQLite's and PostgreSQL's parameter limits.
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('authz_changes')
      .values(rows.slice(i, i + 500))
      .execute();
}

/**
 * Logs every stored relation of the project that `match` selects, inside the database (one statement, no
 * rows through the process): call it before a bulk delete or rename with the same condition.
 */
export async function logMatching(db: Db, projectId: string, match: RelationMatch): Promise<void> {
  const at = Date.now();
  await db
    .insertInto('authz_changes')
    .columns(['project_id', 'changed_at', 'kind', 'resource', 'target'])
    .expression(
      db
        .selectFrom('authz_relations')
        .select([
          sql<string>`cast(${projectId} as varchar(64))`.as('project_id'),
          sql<number>`cast(${at} as bigint)`.as('changed_at'),
          sql<string>`cast(${'relation'} as varchar(16))`.as('kind'),
          'resource',
          sql<string>`case when target = '' then target_set_resource else target end`.as('target'),
        ])
        .distinct()
        .where('project_id', '=', projectId)
        .where(match),
    )
    .execute();
}

export async function logSchemaChange(db: Db, projectId: string): Promise<void> {
  await db
    .insertInto('authz_changes')
    .values({ project_id: projectId, changed_at: Date.now(), kind: 'schema', resource: '', target: '' })
    .execute();
}

/**
 * Checks `since` (epoch ms; 0 = the whole retention window) against the window and the clock. Bad values are
 * the caller's to fix, so they are 400s that say what to do.
 */
export function checkSince(since: number, now = Date.now()): number {
  if (!Number.isSafeInteger(since) || since < 0)
    throw new LatchkeyError('invalidArguments', 'since must be epoch milliseconds (a non-negative integer)');
  if (since > now + SINCE_SKEW_MS) throw new LatchkeyError('invalidArguments', 'since is in the future');
  if (since === 0) return now - CHANGE_RETENTION_MS;
  if (since < now - CHANGE_RETENTION_MS)
    throw new LatchkeyError(
      'invalidArguments',
      'since is older than the 30-day change log: reload the relations you need instead',
    );
  return since;
}

/** The distinct resources and targets changed at or after `from`, and whether the schema changed. */
export async function modifiedSince(db: Db, projectId: string, from: number): Promise<AuthzModified> {
  const base = () =>
    db.selectFrom('authz_changes').where('project_id', '=', projectId).where('changed_at', '>=', from);
  const distinct = async (column: 'resource' | 'target') => {
    const rows = await base()
      .select(column)
      .distinct()
      .where('kind', '=', 'relation')
      .where(column, '!=', '')
      .limit(MAX_MODIFIED + 1)
      .execute();
    if (rows.length > MAX_MODIFIED)
      throw new LatchkeyError(
        'invalidArguments',
        `More than ${MAX_MODIFIED} ${column}s changed since then: reload the relations you need instead`,
      );
    return rows.map((r) => (r as Record<string, string>)[column] as string).sort();
  };
  const resources = await distinct('resource');
  const targets = await distinct('target');
  const schema = await base().select('kind').where('kind', '=', 'schema').limit(1).executeTakeFirst();
  return { resources, targets, schemaChanged: schema !== undefined };
}

/** Removes entries past the retention window (every instance may run it: the delete is idempotent). */
export async function pruneChanges(db: Db, now = Date.now()): Promise<number> {
  const res = await db
    .deleteFrom('authz_changes')
    .where('changed_at', '<', now - CHANGE_RETENTION_MS)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
