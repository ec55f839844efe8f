import { z } from 'zod';
import { LatchkeyError } from '../../errors.ts';
import type { RoutePlugin } from '../../http/app.ts';
import { parseInput } from '../../http/validate.ts';
import { tokenLifetimeBound } from '../../tokens/jwt.ts';
import { createProjectService } from './service.ts';
import { exportSnapshot, importSnapshot, validateSnapshot } from './snapshot.ts';

const name = z.string().trim().min(1).max(256);
const bodies = {
  rename: z.object({ name }),
  // Node/Go send `environment` and `tags`; Ruby sends one `tag`.
  clone: z.object({
    name,
    environment: z.enum(['production']).optional(),
    tags: z.array(z.string().min(1).max(64)).max(50).optional(),
    tag: z.string().min(1).max(64).optional(),
  }),
  snapshotExport: z.object({ format: z.string().optional() }),
};

const snapshotOptions = z.object({
  inputSecrets: z.unknown().optional(),
  excludes: z.array(z.string()).max(50).optional(),
});

/** Snapshot files are opaque documents: they are passed on as sent (see flows/schema.ts), only checked to be a map. */
function envelope(input: unknown): { files: Record<string, unknown>; excludes: string[] } {
  const top = (input && typeof input === 'object' && !Array.isArray(input) ? input : {}) as Record<
    string,
    unknown
  >;
  const { files, ...rest } = top;
  if (files === undefined || files === null || files === '')
    throw new LatchkeyError('missingArguments', 'Missing required fields: files');
  if (typeof files !== 'object' || Array.isArray(files))
    throw new LatchkeyError(
      'invalidRequest',
      'Invalid request: files: expected an object of file name → document',
    );
  const options = parseInput(snapshotOptions, rest);
  return { files: files as Record<string, unknown>, excludes: options.excludes ?? [] };
}

/**
 * Project administration (reference §3.13): rename, clone, export / import / validate a snapshot, delete.
 * Every call acts on the project of the management key that makes it.
 */
export const projectRoutes: RoutePlugin = (app, { store, auth, audit, keys, projects }) => {
  const db = store.db;
  const service = createProjectService({ db, dialect: store.dialect, keys });
  const request = (req: { ip: string; headers: Record<string, string | string[] | undefined> }) => ({
    ip: req.ip,
    headers: req.headers,
  });

  app.post('/v1/mgmt/project/update/name', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.rename, req.body);
    await service.rename(project.id, body.name);
    auth.invalidateProject(project.id);
    await audit.record({
      projectId: project.id,
      action: 'ProjectRenamed',
      actorId: 'management',
      data: { from: project.name, to: body.name },
      request: request(req),
    });
    return {};
  });

  app.post('/v1/mgmt/project/clone', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.clone, req.body);
    const tags = [...new Set([...(body.tags ?? []), ...(body.tag ? [body.tag] : [])])];
    const result = await service.clone(project, {
      name: body.name,
      environment: body.environment ?? '',
      tags,
    });
    await audit.record({
      projectId: project.id,
      action: 'ProjectCloned',
      actorId: 'management',
      data: { cloneProjectId: result.projectId, cloneName: result.projectName },
      request: request(req),
    });
    return result;
  });

  const exportRoute = async (req: Parameters<typeof auth.management>[0]) => {
    const project = await auth.management(req);
    parseInput(bodies.snapshotExport, req.body);
    const files = await exportSnapshot(db, project);
    await audit.record({
      projectId: project.id,
      action: 'ProjectExported',
      actorId: 'management',
      data: { files: Object.keys(files).length },
      request: request(req),
    });
    return { files };
  };
  app.post('/v1/mgmt/project/snapshot/export', exportRoute);
  app.post('/v1/mgmt/project/export', exportRoute);

  const importRoute = async (req: Parameters<typeof auth.management>[0]) => {
    const project = await auth.management(req);
    const body = envelope(req.body);
    await importSnapshot(db, project, body.files, body.excludes);
    auth.invalidateProject(project.id);
    // A changed signing algorithm gets its key now, published before it signs (as the settings call does).
    const updated = await projects.get(project.id);
    if (updated && updated.settings.signingAlgorithm !== project.settings.signingAlgorithm)
      await keys.activeKey(updated.id, updated.settings.signingAlgorithm, tokenLifetimeBound(updated));
    await audit.record({
      projectId: project.id,
      action: 'ProjectImported',
      actorId: 'management',
      data: { files: Object.keys(body.files).length, excludes: body.excludes },
      request: request(req),
    });
    return {};
  };
  app.post('/v1/mgmt/project/snapshot/import', importRoute);
  app.post('/v1/mgmt/project/import', importRoute);

  app.post('/v1/mgmt/project/snapshot/validate', async (req) => {
    const project = await auth.management(req);
    const body = envelope(req.body);
    const failures = await validateSnapshot(db, project, body.files, body.excludes);
    return failures.length > 0 ? { ok: false, failures } : { ok: true };
  });

  app.post('/v1/mgmt/project/delete', async (req) => {
    const project = await auth.management(req);
    // No audit event: the project's trail goes with it (src/audit/actions.ts skips this route too). Events
    // still queued for it are written first, or they would land after the delete and outlive the project.
    await (audit as Partial<{ flush(): Promise<void> }>).flush?.();
    const rows = await service.delete(project.id);
    auth.invalidateProject(project.id);
    req.log.info({ projectId: project.id, rows }, 'project deleted');
    return {};
  });
};
