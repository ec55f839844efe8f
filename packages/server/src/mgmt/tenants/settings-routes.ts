import { z } from 'zod';
import { LatchkeyError } from '../../errors.ts';
import type { RoutePlugin } from '../../http/app.ts';
import { parseInput } from '../../http/validate.ts';
import { createTenantRepo } from '../../tenants/repo.ts';
import {
  configureSettingsBody,
  createTenantSettingsRepo,
  toStoredSettings,
  toWireSettings,
} from './settings.ts';

// Node sends `?id=`, some clients `?tenantId=`.
const getQuery = z.object({ id: z.string().min(1).optional(), tenantId: z.string().min(1).optional() });

/** Tenant settings and per-tenant session policy (reference §3.1, §4.4; docs/tenant-settings.md). */
export const tenantSettingsRoutes: RoutePlugin = (app, { store, auth, audit }) => {
  const tenants = createTenantRepo();
  const settings = createTenantSettingsRepo();
  const db = store.db;

  app.get('/v1/mgmt/tenant/settings', async (req) => {
    const project = await auth.management(req);
    const query = parseInput(getQuery, req.query);
    const id = query.id ?? query.tenantId;
    if (!id) throw new LatchkeyError('missingArguments', 'Missing required fields: id');
    const tenant = await tenants.get(db, project.id, id);
    if (!tenant) throw new LatchkeyError('tenantNotFound', `Tenant ${id} not found`);
    return toWireSettings(await settings.get(db, project.id, id), tenant.selfProvisioningDomains);
  });

  // Override (reference §3.1): every setting is replaced by what was sent. Self-provisioning domains
  // belong to the tenant itself: they change only when the request names them.
  app.post('/v1/mgmt/tenant/settings', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(configureSettingsBody, req.body);
    const stored = toStoredSettings(body);
    if ('error' in stored) throw new LatchkeyError('invalidArguments', stored.error);
    await db.transaction().execute(async (tx) => {
      const tenant = await tenants.get(tx, project.id, body.tenantId);
      if (!tenant) throw new LatchkeyError('tenantNotFound', `Tenant ${body.tenantId} not found`);
      if (body.selfProvisioningDomains) {
        await tenants.replace(tx, project.id, {
          ...tenant,
          selfProvisioningDomains: body.selfProvisioningDomains,
        });
      }
      await settings.put(tx, project.id, body.tenantId, { enabled: body.enabled ?? false, settings: stored });
    });
    await audit.record({
      projectId: project.id,
      action: 'TenantSettingsModified',
      actorId: 'management',
      tenants: [body.tenantId],
      data: { enabled: body.enabled ?? false },
      request: req,
    });
    return {};
  });
};
