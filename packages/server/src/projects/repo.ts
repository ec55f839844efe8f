import type { Db } from '../store/db.ts';
import { newId, nowSeconds, sha256Hex } from '../util.ts';
import { defaultProjectSettings, type ProjectSettings, readSettings } from './settings.ts';

export type Project = { id: string; name: string; settings: ProjectSettings; createdTime: number };

export function createProjectRepo(db: Db) {
  return {
    async get(id: string): Promise<Project | undefined> {
      const row = await db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
      return (
        row && {
          id: row.id,
          name: row.name,
          settings: readSettings(row.settings_json),
          createdTime: row.created_time,
        }
      );
    },
    async count(): Promise<number> {
      const row = await db
        .selectFrom('projects')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async insert(input: { id?: string; name: string; settings?: ProjectSettings }): Promise<Project> {
      const project = {
        id: input.id ?? newId.project(),
        name: input.name,
        settings: input.settings ?? defaultProjectSettings(),
        createdTime: nowSeconds(),
      };
      await db
        .insertInto('projects')
        .values({
          id: project.id,
          name: project.name,
          settings_json: JSON.stringify(project.settings),
          created_time: project.createdTime,
        })
        .execute();
      return project;
    },
    async updateSettings(id: string, settings: ProjectSettings): Promise<void> {
      await db
        .updateTable('projects')
        .set({ settings_json: JSON.stringify(settings) })
        .where('id', '=', id)
        .execute();
    },
    async addManagementKey(projectId: string, cleartext: string, name: string): Promise<string> {
      const id = newId.managementKey();
      await db
        .insertInto('management_keys')
        .values({
          id,
          project_id: projectId,
          name,
          key_hash: sha256Hex(cleartext),
          created_time: nowSeconds(),
        })
        .execute();
      return id;
    },
    async hasManagementKey(projectId: string, cleartext: string): Promise<boolean> {
      const row = await db
        .selectFrom('management_keys')
        .select('id')
        .where('key_hash', '=', sha256Hex(cleartext))
        .where('project_id', '=', projectId)
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}

export type ProjectRepo = ReturnType<typeof createProjectRepo>;
