import { sql } from 'kysely';
import type { RoutePlugin } from '../http/app.ts';

/** Health, readiness, the JWKS and the Node/Go SDK license handshake. */
export const systemRoutes: RoutePlugin = (app, { store, keys, auth }) => {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    try {
      await sql`select 1`.execute(store.db);
      return { status: 'ready', store: store.dialect };
    } catch {
      return reply.status(503).send({ status: 'unavailable', store: store.dialect });
    }
  });

  // Public by design (reference §1.8): only array members at the top level, public parts only.
  app.get<{ Params: { projectId: string } }>('/v2/keys/:projectId', async (req) => {
    return { keys: await keys.publishedJwks(req.params.projectId) };
  });

  app.get('/v1/mgmt/license', async (req) => {
    await auth.management(req);
    return { rateLimitTier: 'tier1' };
  });
};
