import { SqliteAdapter, sql } from 'kysely';
import { readSettings } from '../projects/settings.ts';
import type { Db } from '../store/db.ts';
import { pruneAuditRows } from './repo.ts';

const DAY_MS = 86_400_000;

/** Deletes each project's audit records older than its `auditRetentionDays`. */
export async function pruneAudit(db: Db, now = Date.now()): Promise<number> {
  const projects = await db.selectFrom('projects').select(['id', 'settings_json']).execute();
  let removed = 0;
  for (const p of projects) {
    const days = readSettings(p.settings_json).auditRetentionDays;
    removed += await pruneAuditRows(db, p.id, now - days * DAY_MS);
  }
  return removed;
}

/**
 * Refreshes the planner's statistics of the audit tables. Without them SQLite walks the time index for every
 * search (measured: a user-id search on 50,000 records took 59 ms instead of well under 1 ms). SQLite samples
 * (`analysis_limit`), so this stays in the milliseconds at a million records; PostgreSQL samples by itself.
 */
export async function refreshAuditStats(db: Db): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) await sql`PRAGMA analysis_limit = 1000`.execute(db);
  await sql`ANALYZE audit_events`.execute(db);
  await sql`ANALYZE audit_refs`.execute(db);
}

const STATS_EVERY_MS = 6 * 3_600_000;
let statsAt = 0;

/**
 * The maintenance step for the audit trail: retention, then (every 6 hours) fresh statistics. On SQLite,
 * `ANALYZE` holds the process for about half a second at a million records, so it is not run more often.
 */
export async function maintainAudit(db: Db, now = Date.now()): Promise<number> {
  const removed = await pruneAudit(db, now);
  if (now - statsAt > STATS_EVERY_MS) {
    statsAt = now;
    await refreshAuditStats(db);
  }
  return removed;
}
