import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../store/db.ts';

/**
 * Migration 0005_audit. Every search is "this project, newest first, within a time window", so each index
 * ends with `occurred`: a filter on user, action or address reads one index range in time order and stops
 * after a page. Login ids and tenants are lists; a JSON or array column cannot be indexed the same way on
 * both SQLite and PostgreSQL (GIN is PostgreSQL-only), so each value is also a row of `audit_refs`, whose
 * primary key `(project, kind, value, occurred, audit_id)` answers "records of login id X, newest first"
 * from one B-tree range on either store, at any table size. The free-text filter is a prefix range over the
 * same rows (login ids, tenants, and `w` words: user and actor ids, address, e-mail domains).
 */
export async function createAuditTables(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('audit_events')
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('id', 'varchar(32)', (c) => c.notNull())
    .addColumn('occurred', 'bigint', (c) => c.notNull())
    .addColumn('action', 'varchar(128)', (c) => c.notNull())
    .addColumn('type', 'varchar(8)', (c) => c.notNull())
    .addColumn('actor_id', 'varchar(256)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(256)', (c) => c.notNull())
    .addColumn('login_ids_json', 'text', (c) => c.notNull())
    .addColumn('tenants_json', 'text', (c) => c.notNull())
    .addColumn('tenant_count', 'integer', (c) => c.notNull())
    .addColumn('method', 'varchar(32)', (c) => c.notNull())
    .addColumn('device', 'varchar(16)', (c) => c.notNull())
    .addColumn('geo', 'varchar(8)', (c) => c.notNull())
    .addColumn('remote_address', 'varchar(64)', (c) => c.notNull())
    .addColumn('data_json', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_events_pk', ['project_id', 'id'])
    .execute();
  const index = (name: string, columns: string[]) =>
    db.schema.createIndex(name).on('audit_events').columns(columns).execute();
  await index('audit_events_time', ['project_id', 'occurred']);
  await index('audit_events_user', ['project_id', 'user_id', 'occurred']);
  await index('audit_events_action', ['project_id', 'action', 'occurred']);
  await index('audit_events_address', ['project_id', 'remote_address', 'occurred']);
  await db.schema
    .createTable('audit_refs')
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('kind', 'varchar(1)', (c) => c.notNull())
    // byte order on PostgreSQL too, whatever the database locale: prefix searches are ranges on this column
    .addColumn('value', dialect === 'postgres' ? sql`varchar(320) collate "C"` : 'varchar(320)', (c) =>
      c.notNull(),
    )
    .addColumn('occurred', 'bigint', (c) => c.notNull())
    .addColumn('audit_id', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_refs_pk', ['project_id', 'kind', 'value', 'occurred', 'audit_id'])
    .execute();
  // retention deletes by time
  await db.schema
    .createIndex('audit_refs_time')
    .on('audit_refs')
    .columns(['project_id', 'occurred'])
    .execute();
}
