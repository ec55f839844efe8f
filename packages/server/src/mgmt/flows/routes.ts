import { LatchkeyError } from '../../errors.ts';
import type { RoutePlugin } from '../../http/app.ts';
import * as repo from './repo.ts';
import type { FlowDocument, ScreenDocument } from './schema.ts';
import {
  bodies,
  flowId as flowIdSchema,
  flowProblems,
  MAX_FLOWS_PER_PROJECT,
  parseDocumentInput,
  themeProblems,
} from './schema.ts';

/**
 * Flows and the theme (reference §3.9): stored, listed, exported and imported as opaque documents.
 * Latchkey does not run flows; the documents travel with project clones and snapshots.
 */
export const flowRoutes: RoutePlugin = (app, { store, auth, audit }) => {
  const db = store.db;
  const managed = async (req: Parameters<typeof auth.management>[0]) => {
    const project = await auth.management(req);
    await repo.ensureSeeded(db, project.id);
    return project;
  };
  const request = (req: { ip: string; headers: Record<string, string | string[] | undefined> }) => ({
    ip: req.ip,
    headers: req.headers,
  });

  app.post('/v1/mgmt/flow/list', async (req) => {
    const project = await managed(req);
    const { ids } = parseDocumentInput(bodies.list, req.body);
    const flows = await repo.listFlows(db, project.id, ids);
    return { flows, total: flows.length };
  });

  app.post('/v1/mgmt/flow/delete', async (req) => {
    const project = await managed(req);
    const { ids } = parseDocumentInput(bodies.delete, req.body);
    const deleted = await db.transaction().execute((tx) => repo.deleteFlows(tx, project.id, ids));
    if (deleted.length > 0)
      await audit.record({
        projectId: project.id,
        action: 'FlowsDeleted',
        actorId: 'management',
        data: { flowIds: deleted },
        request: request(req),
      });
    return {};
  });

  const exportFlow = async (req: Parameters<typeof auth.management>[0]) => {
    const project = await managed(req);
    const { flowId } = parseDocumentInput(bodies.export, req.body);
    const found = await repo.loadFlow(db, project.id, flowId);
    if (!found) throw new LatchkeyError('flowNotFound', `Flow ${flowId} not found`);
    return found;
  };
  app.post('/v1/mgmt/flow/export', exportFlow);
  app.post('/v2/mgmt/flow/export', exportFlow);

  const importFlow = async (
    req: Parameters<typeof auth.management>[0],
    projectId: string,
    id: string,
    flow: FlowDocument,
    screens: ScreenDocument[] | undefined,
  ) => {
    const problems = flowProblems(id, flow, screens);
    if (problems.length > 0) throw new LatchkeyError('invalidArguments', problems.join('; '));
    await db.transaction().execute(async (tx) => {
      const flows = await repo.listFlows(tx, projectId);
      if (flows.length >= MAX_FLOWS_PER_PROJECT && !flows.some((f) => f.id === id))
        throw new LatchkeyError('invalidArguments', `A project holds at most ${MAX_FLOWS_PER_PROJECT} flows`);
      await repo.putFlow(tx, projectId, id, flow, screens);
    });
    await audit.record({
      projectId,
      action: 'FlowImported',
      actorId: 'management',
      data: { flowId: id },
      request: request(req),
    });
    return (await repo.loadFlow(db, projectId, id))!;
  };

  app.post('/v1/mgmt/flow/import', async (req) => {
    const project = await managed(req);
    const body = parseDocumentInput(bodies.importV1, req.body);
    return importFlow(req, project.id, body.flowId, body.flow, body.screens);
  });

  app.post('/v2/mgmt/flow/import', async (req) => {
    const project = await managed(req);
    const body = parseDocumentInput(bodies.importV2, req.body);
    const { flowId, screens: inner, ...flow } = body.flow;
    const id = flowId || flow.id;
    if (!id) throw new LatchkeyError('missingArguments', 'Missing required fields: flow.flowId');
    if (!flowIdSchema.safeParse(id).success)
      throw new LatchkeyError(
        'invalidRequest',
        'Invalid request: flow.flowId: letters, digits, "-", "_" and "." only',
      );
    return importFlow(req, project.id, id, flow, body.screens ?? inner);
  });

  const exportTheme = async (req: Parameters<typeof auth.management>[0]) => {
    const project = await managed(req);
    return { theme: await repo.loadTheme(db, project.id) };
  };
  app.post('/v1/mgmt/theme/export', exportTheme);
  app.post('/v2/mgmt/theme/export', exportTheme);

  const importTheme = async (req: Parameters<typeof auth.management>[0]) => {
    const project = await managed(req);
    const { theme } = parseDocumentInput(bodies.themeImport, req.body);
    const problems = themeProblems(theme);
    if (problems.length > 0) throw new LatchkeyError('invalidArguments', problems.join('; '));
    const saved = await db.transaction().execute((tx) => repo.putTheme(tx, project.id, theme));
    await audit.record({
      projectId: project.id,
      action: 'ThemeImported',
      actorId: 'management',
      data: { version: saved.version },
      request: request(req),
    });
    return { theme: saved };
  };
  app.post('/v1/mgmt/theme/import', importTheme);
  app.post('/v2/mgmt/theme/import', importTheme);
};
