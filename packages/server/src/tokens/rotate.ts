import type { Config } from '../config.ts';
import { createProjectRepo } from '../projects/repo.ts';
import { openStore } from '../store/db.ts';
import { migrate } from '../store/migrations.ts';
import { tokenLifetimeBound } from './jwt.ts';
import { createKeyStore } from './keys.ts';

/**
 * `latchkey keys rotate`: the new key is published at once; retired keys stay in the JWKS until every
 * token they signed has expired (the longer of the project's session and refresh lifetimes).
 */
export async function rotateKeys(
  config: Config,
  onlyProjectId?: string,
): Promise<{ projectId: string; kid: string }[]> {
  const store = openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(store.db as never, store.dialect, store.migrationLockFile);
    const projects = createProjectRepo(store.db);
    const keys = createKeyStore(store.db);
    const ids = onlyProjectId
      ? [onlyProjectId]
      : (await store.db.selectFrom('projects').select('id').execute()).map((r) => r.id);
    const out: { projectId: string; kid: string }[] = [];
    for (const id of ids) {
      const project = await projects.get(id);
      if (!project) throw new Error(`Unknown project ${id}`);
      out.push({
        projectId: id,
        kid: await keys.rotate(id, project.settings.signingAlgorithm, tokenLifetimeBound(project)),
      });
    }
    return out;
  } finally {
    await store.close();
  }
}
