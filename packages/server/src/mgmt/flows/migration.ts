import type { Kysely } from 'kysely';

/**
 * Flows, their screens and the project theme (reference §3.9). The documents are opaque to Latchkey, so
 * they are kept whole as JSON; screens get their own rows so an import replaces them in one transaction.
 */
export async function createFlowTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flows')
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('id', 'varchar(128)', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('disabled', 'integer', (c) => c.notNull())
    .addColumn('flow_json', 'text', (c) => c.notNull())
    .addColumn('etag', 'varchar(64)', (c) => c.notNull())
    .addColumn('modified_time', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('flows_pk', ['project_id', 'id'])
    .execute();
  await db.schema
    .createTable('flow_screens')
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('flow_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('id', 'varchar(128)', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('screen_json', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('flow_screens_pk', ['project_id', 'flow_id', 'id'])
    .addForeignKeyConstraint(
      'flow_screens_flow',
      ['project_id', 'flow_id'],
      'flows',
      ['project_id', 'id'],
      (c) => c.onDelete('cascade'),
    )
    .execute();
  // One theme per project; its row also marks that the project's default flows were seeded.
  await db.schema
    .createTable('themes')
    .addColumn('project_id', 'varchar(64)', (c) =>
      c.primaryKey().references('projects.id').onDelete('cascade'),
    )
    .addColumn('theme_json', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('modified_time', 'bigint', (c) => c.notNull())
    .execute();
}
