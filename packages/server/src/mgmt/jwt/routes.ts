import { z } from 'zod';
import type { RoutePlugin } from '../../http/app.ts';
import { parseInput } from '../../http/validate.ts';
import { createJwtService } from './service.ts';

const claims = z.record(z.string(), z.unknown()).optional();
// seconds; 0 (what Go sends when unset) keeps the default
const refreshDuration = z
  .number()
  .int()
  .min(0)
  .max(86_400 * 365)
  .optional();
const jwt = z.string().min(1).max(65_536);
const updateBody = z.object({ jwt, customClaims: claims, refreshDuration });
const impersonateBody = z.object({
  impersonatorId: z.string().min(1).max(256),
  loginId: z.string().min(1).max(256),
  validateConsent: z.boolean().optional(),
  customClaims: claims,
  selectedTenant: z.string().max(128).optional(),
  refreshDuration,
});
const stopBody = z.object({
  jwt,
  customClaims: claims,
  selectedTenant: z.string().max(128).optional(),
  refreshDuration,
});

/** JWT update and impersonation (reference §3.10; docs/jwt-tools.md). */
export const jwtRoutes: RoutePlugin = (app, { store, keys, users, sessions, audit, publicUrl, auth }) => {
  const service = createJwtService({ db: store.db, keys, users, sessions, audit, publicUrl });

  app.post('/v1/mgmt/jwt/update', async (req) => {
    const project = await auth.management(req);
    return service.update(project, parseInput(updateBody, req.body));
  });

  app.post('/v1/mgmt/impersonate', async (req) => {
    const project = await auth.management(req);
    return service.impersonate(project, parseInput(impersonateBody, req.body), false, req);
  });

  app.post('/v1/mgmt/impersonate/stepup', async (req) => {
    const project = await auth.management(req);
    return service.impersonate(project, parseInput(impersonateBody, req.body), true, req);
  });

  app.post('/v1/mgmt/stop/impersonation', async (req) => {
    const project = await auth.management(req);
    return service.stopImpersonation(project, parseInput(stopBody, req.body), req);
  });
};
