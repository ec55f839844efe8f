import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { tokenLifetimeBound } from '../tokens/jwt.ts';
import type { KeyStore } from '../tokens/keys.ts';
import { newSecretKey } from '../util.ts';
import type { ProjectRepo } from './repo.ts';

export type BootstrapResult = {
  created?: { projectId: string; managementKey: string; credentialsFile: string };
};

/**
 * First start: with LATCHKEY_PROJECT_ID / LATCHKEY_MANAGEMENT_KEY set, make sure exactly those exist;
 * otherwise, on an empty store, create a project and a management key and hand them over once.
 */
export async function bootstrap(
  config: Config,
  projects: ProjectRepo,
  keys: KeyStore,
): Promise<BootstrapResult> {
  if (config.bootstrapProjectId) {
    let project = await projects.get(config.bootstrapProjectId);
    if (!project) {
      project = await insertTolerantly(projects, config.bootstrapProjectId);
    }
    if (
      config.bootstrapManagementKey &&
      !(await projects.hasManagementKey(project.id, config.bootstrapManagementKey))
    ) {
      await projects
        .addManagementKey(project.id, config.bootstrapManagementKey, 'from LATCHKEY_MANAGEMENT_KEY')
        .catch(async (err) => {
          // Another instance starting at the same moment may have inserted it.
          if (!(await projects.hasManagementKey(project.id, config.bootstrapManagementKey!))) throw err;
        });
    }
    await keys.activeKey(project.id, project.settings.signingAlgorithm, tokenLifetimeBound(project));
    return {};
  }
  if ((await projects.count()) > 0) return {};
  const project = await projects.insert({ name: 'Latchkey' });
  const managementKey = newSecretKey();
  await projects.addManagementKey(project.id, managementKey, 'initial');
  await keys.activeKey(project.id, project.settings.signingAlgorithm, tokenLifetimeBound(project));
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const credentialsFile = path.join(config.dataDir, 'credentials.json');
  fs.writeFileSync(
    credentialsFile,
    `${JSON.stringify({ projectId: project.id, managementKey }, null, 2)}\n`,
    { mode: 0o600 },
  );
  fs.chmodSync(credentialsFile, 0o600);
  return { created: { projectId: project.id, managementKey, credentialsFile } };
}

async function insertTolerantly(projects: ProjectRepo, id: string) {
  try {
    return await projects.insert({ id, name: id });
  } catch (err) {
    const existing = await projects.get(id);
    if (existing) return existing;
    throw err;
  }
}
