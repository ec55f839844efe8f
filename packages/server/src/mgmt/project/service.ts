import type { Project } from '../../projects/repo.ts';
import type { Db, Dialect } from '../../store/db.ts';
import { tokenLifetimeBound } from '../../tokens/jwt.ts';
import type { KeyStore } from '../../tokens/keys.ts';
import { newId, newSecretKey, nowSeconds, sha256Hex } from '../../util.ts';
import { ensureSeeded } from '../flows/repo.ts';
import { loose, purgeProject } from './tables.ts';

/**
 * Configuration a clone copies, in insert order (parents first). Tables another capability adds later
 * are copied when listed here and present in the store; a missing table is skipped. Never copied: users,
 * tenants (and so tenant roles and tenant settings), access keys, relations, sessions, audit, keys.
 */
export const CLONED_TABLES: { table: string; only?: Record<string, string> }[] = [
  { table: 'permissions' },
  { table: 'roles', only: { tenant_id: '' } },
  { table: 'authz_schemas' },
  { table: 'flows' },
  { table: 'flow_screens' },
  { table: 'themes' },
  // typed custom attribute definitions (users and tenants)
  { table: 'custom_attributes' },
];

export type CloneInput = { name: string; environment: string; tags: string[] };
export type CloneResult = {
  projectId: string;
  projectName: string;
  environment: string;
  tags: string[];
  /** the new project's own management key, shown once (Descope answers none; see docs/projects.md) */
  managementKey: string;
};

export function createProjectService(deps: { db: Db; dialect: Dialect; keys: KeyStore }) {
  const { db, dialect, keys } = deps;
  return {
    async rename(projectId: string, name: string): Promise<void> {
      await db.updateTable('projects').set({ name }).where('id', '=', projectId).execute();
    },

    /** A new project with the source's configuration, its own signing keys and its own management key. */
    async clone(source: Project, input: CloneInput): Promise<CloneResult> {
      await ensureSeeded(db, source.id);
      const existing = new Set((await db.introspection.getTables()).map((t) => t.name));
      const projectId = newId.project();
      const managementKey = newSecretKey();
      const now = nowSeconds();
      await db.transaction().execute(async (tx) => {
        const src = await tx
          .selectFrom('projects')
          .select('settings_json')
          .where('id', '=', source.id)
          .executeTakeFirstOrThrow();
        await tx
          .insertInto('projects')
          .values({ id: projectId, name: input.name, settings_json: src.settings_json, created_time: now })
          .execute();
        await tx
          .insertInto('management_keys')
          .values({
            id: newId.managementKey(),
            project_id: projectId,
            name: `clone of ${source.id}`,
            key_hash: sha256Hex(managementKey),
            created_time: now,
          })
          .execute();
        for (const { table, only } of CLONED_TABLES) {
          if (!existing.has(table)) continue;
          let q = loose(tx).selectFrom(table).selectAll().where('project_id', '=', source.id);
          for (const [column, value] of Object.entries(only ?? {})) q = q.where(column, '=', value);
          const rows = await q.execute();
          // Batches keep each statement well under the databases' parameter limits.
          for (let i = 0; i < rows.length; i += 100) {
            const batch = rows.slice(i, i + 100).map((r) => ({ ...r, project_id: projectId }));
            await loose(tx).insertInto(table).values(batch).execute();
          }
        }
      });
      await keys.activeKey(projectId, source.settings.signingAlgorithm, tokenLifetimeBound(source));
      return {
        projectId,
        projectName: input.name,
        environment: input.environment,
        tags: input.tags,
        managementKey,
      };
    },

    /** Deletes the project and every row that belongs to it, in one transaction. */
    async delete(projectId: string): Promise<Record<string, number>> {
      return db.transaction().execute((tx) => purgeProject(tx, dialect, projectId));
    },
  };
}

export type ProjectService = ReturnType<typeof createProjectService>;
