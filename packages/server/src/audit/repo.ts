import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../store/db.ts';
import type { Database } from '../store/schema.ts';
import { parseJson } from '../util.ts';
import type { AuditEventsTable, AuditRefsTable } from './tables.ts';

export type AuditRow = AuditEventsTable;

/** Inserts records and their login-id / tenant rows in one transaction. */
export async function insertAuditRows(db: Db, rows: AuditRow[]): Promise<void> {
  if (rows.length === 0) return;
  const refs: AuditRefsTable[] = [];
  for (const row of rows) {
    const seen = new Set<string>();
    const add = (kind: string, raw: string) => {
      const value = raw.slice(0, MAX_REF);
      if (!value || seen.has(kind + value)) return;
      seen.add(kind + value);
      refs.push({ project_id: row.project_id, kind, value, occurred: row.occurred, audit_id: row.id });
    };
    const loginIds = parseJson<string[]>(row.login_ids_json, []).map((id) => id.trim().toLowerCase());
    const tenants = parseJson<string[]>(row.tenants_json, []);
    for (const id of loginIds) add('l', id);
    for (const t of tenants) add('t', t);
    // free-text words; login ids are found through their 'l' rows
    for (const word of [row.user_id, row.actor_id, row.remote_address, ...tenants])
      if (!loginIds.includes(word.toLowerCase())) add('w', word.toLowerCase());
    for (const id of loginIds) if (id.includes('@')) add('w', id.slice(id.lastIndexOf('@') + 1));
  }
  await db.transaction().execute(async (trx) => {
    // 17 columns a row: 500 rows stay far below SQLite's and PostgreSQL's bound-parameter limits.
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('audit_events')
        .values(rows.slice(i, i + 500))
        .execute();
    for (let i = 0; i < refs.length; i += 1000)
      await trx
        .insertInto('audit_refs')
        .values(refs.slice(i, i + 1000))
        .execute();
  });
}

/** audit_refs.value is varchar(320): longer values are cut (a prefix search still finds them) */
const MAX_REF = 320;
// the largest code point: `prefix + TOP` bounds every string that starts with `prefix` (byte order)
const TOP = '\u{10FFFF}';

export type AuditFilters = {
  userIds?: string[];
  actions?: string[];
  excludedActions?: string[];
  devices?: string[];
  methods?: string[];
  geos?: string[];
  remoteAddresses?: string[];
  loginIds?: string[];
  tenants?: string[];
  noTenants?: boolean;
  text?: string;
  from: number;
  to: number;
  size: number;
  page: number;
};

/** `total` counts at most this many matches: counting a million free-text matches would cost a full scan. */
export const TOTAL_CAP = 10_000;

export function conditions(projectId: string, f: AuditFilters) {
  return (eb: ExpressionBuilder<Database, 'audit_events'>) => {
    const all: Expression<SqlBool>[] = [eb('audit_events.project_id', '=', projectId)];
    const byRefs = (f.loginIds?.length ?? 0) > 0 || (f.tenants?.length ?? 0) > 0 || !!f.text?.trim();
    // With a login-id or tenant filter the time range is applied in audit_refs (same times): repeating it here
    // would tempt the planner into walking the time index instead of fetching the few matches by primary key.
    if (!byRefs) all.push(eb('audit_events.occurred', '>=', f.from), eb('audit_events.occurred', '<=', f.to));
    const within = (
      column: 'user_id' | 'action' | 'device' | 'method' | 'geo' | 'remote_address',
      values?: string[],
    ) => {
      if (values && values.length > 0) all.push(eb(`audit_events.${column}`, 'in', values));
    };
    within('user_id', f.userIds);
    within('action', f.actions);
    within('device', f.devices);
    within('method', f.methods);
    within('geo', f.geos);
    within('remote_address', f.remoteAddresses);
    if (f.excludedActions && f.excludedActions.length > 0)
      all.push(eb('audit_events.action', 'not in', f.excludedActions));
    // A login id or tenant is looked up in audit_refs (one index range), then joined by primary key.
    const refs = (
      kinds: string[],
      value: (ref: ExpressionBuilder<Database, 'audit_refs'>) => Expression<SqlBool>,
      range = false,
    ) => {
      // For a value range (free text) the time must not be an index term: SQLite would rather walk
      // (project, occurred) than the primary key's value range. `+column` keeps the filter, drops the index.
      const occurred = range
        ? sql<number>`+${sql.ref('audit_refs.occurred')}`
        : sql.ref<number>('audit_refs.occurred');
      all.push(
        eb(
          'audit_events.id',
          'in',
          eb
            .selectFrom('audit_refs')
            .select('audit_refs.audit_id')
            .where('audit_refs.project_id', '=', projectId)
            .where('audit_refs.kind', 'in', kinds)
            .where(value)
            .where(occurred, '>=', f.from)
            .where(occurred, '<=', f.to),
        ),
      );
    };
    const loginIds = f.loginIds?.map((id) => id.trim().toLowerCase().slice(0, MAX_REF));
    if (loginIds?.length) refs(['l'], (r) => r('audit_refs.value', 'in', loginIds));
    const tenants = f.tenants?.map((t) => t.slice(0, MAX_REF));
    if (tenants?.length) refs(['t'], (r) => r('audit_refs.value', 'in', tenants));
    if (f.noTenants) all.push(eb('audit_events.tenant_count', '=', 0));
    // Free text: the start of a login id, e-mail domain, user or actor id, tenant or address (an index range).
    const text = f.text?.trim().toLowerCase().slice(0, MAX_REF);
    if (text)
      refs(
        ['l', 't', 'w'],
        (r) => r.and([r('audit_refs.value', '>=', text), r('audit_refs.value', '<', `${text}${TOP}`)]),
        true,
      );
    return eb.and(all);
  };
}

export async function searchAuditRows(
  db: Db,
  projectId: string,
  f: AuditFilters,
): Promise<{ rows: AuditRow[]; total: number }> {
  const where = conditions(projectId, f);
  const rows = await db
    .selectFrom('audit_events')
    .selectAll()
    .where(where)
    .orderBy('audit_events.occurred', 'desc')
    .orderBy('audit_events.id', 'desc')
    .limit(f.size)
    .offset(f.page * f.size)
    .execute();
  // A page that is not full is the last one: its matches are all the matches, no count needed.
  if (rows.length < f.size && (rows.length > 0 || f.page === 0))
    return { rows, total: f.page * f.size + rows.length };
  const counted = await db
    .selectFrom((qb) =>
      qb.selectFrom('audit_events').select(sql<number>`1`.as('one')).where(where).limit(TOTAL_CAP).as('m'),
    )
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(counted.n) };
}

/** Deletes records older than `before` (epoch ms) for one project. */
export async function pruneAuditRows(db: Db, projectId: string, before: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('audit_refs')
      .where('project_id', '=', projectId)
      .where('occurred', '<', before)
      .execute();
    const res = await trx
      .deleteFrom('audit_events')
      .where('project_id', '=', projectId)
      .where('occurred', '<', before)
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  });
}
