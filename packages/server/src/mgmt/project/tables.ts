import { type Kysely, sql } from 'kysely';
import type { Db, Dialect } from '../../store/db.ts';

/** Tables addressed by name at run time (the set grows with every migration). */
export type LooseDb = Kysely<Record<string, Record<string, unknown>>>;
export const loose = (db: Db): LooseDb => db as unknown as LooseDb;

/**
 * Every table that holds rows of a project: the ones with a `project_id` column, read from the live
 * database, so a table added by a later migration is covered without a change here. Children come before
 * the tables they reference, so deleting in this order never trips a foreign key.
 */
export async function projectTables(db: Db, dialect: Dialect): Promise<string[]> {
  const tables = await db.introspection.getTables();
  const owned = tables
    .filter((t) => t.name !== 'projects' && t.columns.some((c) => c.name === 'project_id'))
    .map((t) => t.name);
  const edges = await foreignKeys(db, dialect, owned);
  const ordered: string[] = [];
  const visiting = new Set<string>();
  // Depth-first: a table is placed only after every table referencing it.
  const visit = (table: string) => {
    if (ordered.includes(table) || visiting.has(table)) return;
    visiting.add(table);
    for (const e of edges) if (e.parent === table && e.child !== table) visit(e.child);
    visiting.delete(table);
    ordered.push(table);
  };
  for (const t of owned.sort()) visit(t);
  return ordered;
}

async function foreignKeys(
  db: Db,
  dialect: Dialect,
  tables: string[],
): Promise<{ child: string; parent: string }[]> {
  if (dialect === 'postgres') {
    const rows = await sql<{ child: string; parent: string }>`
      select c.relname as child, p.relname as parent
      from pg_constraint k
      join pg_class c on c.oid = k.conrelid
      join pg_class p on p.oid = k.confrelid
      join pg_namespace n on n.oid = c.relnamespace
      where k.contype = 'f' and n.nspname = current_schema()`.execute(db);
    return rows.rows;
  }
  const edges: { child: string; parent: string }[] = [];
  for (const child of tables) {
    const rows = await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${child})`.execute(
      db,
    );
    for (const r of rows.rows) edges.push({ child, parent: r.table });
  }
  return edges;
}

/** Deletes every row of the project from every table, and the project itself. Call inside a transaction. */
export async function purgeProject(
  tx: Db,
  dialect: Dialect,
  projectId: string,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await projectTables(tx, dialect)) {
    const res = await loose(tx).deleteFrom(table).where('project_id', '=', projectId).executeTakeFirst();
    counts[table] = Number(res.numDeletedRows);
  }
  await tx.deleteFrom('projects').where('id', '=', projectId).execute();
  return counts;
}
