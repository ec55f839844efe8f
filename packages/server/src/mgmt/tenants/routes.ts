import { z } from 'zod';
import { LatchkeyError } from '../../errors.ts';
import type { RoutePlugin } from '../../http/app.ts';
import { parseInput } from '../../http/validate.ts';
import { createTenantRepo, type Tenant } from '../../tenants/repo.ts';
import { newId } from '../../util.ts';
import { createAttributeDefinitions } from '../attributes/definitions.ts';
import { matchesAttributes } from '../attributes.ts';

const attributes = z.record(z.string(), z.unknown());
const tenantFields = {
  name: z.string().min(1).max(256),
  selfProvisioningDomains: z
    .array(z.string().regex(/^[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$/, 'must be a domain name'))
    .max(100)
    .optional(),
  customAttributes: attributes.optional(),
  enforceSSO: z.boolean().optional(),
  enforceSSOExclusions: z.array(z.string()).optional(),
  disabled: z.boolean().optional(),
  roleInheritance: z.enum(['none', 'userOnly']).optional(),
};
const createBody = z.object({
  ...tenantFields,
  id: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,128}$/, 'may hold letters, digits, "_", "-" and "." (up to 128)')
    .optional(),
  parent: z.string().optional(),
});
const updateBody = z.object({ ...tenantFields, id: z.string().min(1) });
const deleteBody = z.object({ id: z.string().min(1), cascade: z.boolean().optional() });
const loadQuery = z.object({ id: z.string().min(1) });
// Ruby and Node/Go spell the search keys differently (reference §3.1): accept both.
const searchBody = z.object({
  ids: z.array(z.string()).optional(),
  tenantIds: z.array(z.string()).optional(),
  names: z.array(z.string()).optional(),
  tenantNames: z.array(z.string()).optional(),
  selfProvisioningDomains: z.array(z.string()).optional(),
  tenantSelfProvisioningDomains: z.array(z.string()).optional(),
  customAttributes: attributes.optional(),
  parentTenantId: z.string().optional(),
});

export const toWireTenant = (t: Tenant) => ({
  id: t.id,
  name: t.name,
  selfProvisioningDomains: t.selfProvisioningDomains,
  customAttributes: t.customAttributes,
  authType: 'none',
  domains: [] as string[],
  createdTime: t.createdTime,
  enforceSSO: t.enforceSSO,
  enforceSSOExclusions: t.enforceSSOExclusions,
  disabled: t.disabled,
  parent: t.parent,
  roleInheritance: t.roleInheritance,
});

export const tenantRoutes: RoutePlugin = (app, { store, auth }) => {
  const tenants = createTenantRepo();
  const attributeDefinitions = createAttributeDefinitions();
  const db = store.db;

  const requireTenant = async (projectId: string, id: string, conn = db): Promise<Tenant> => {
    const tenant = await tenants.get(conn, projectId, id);
    if (!tenant) throw new LatchkeyError('tenantNotFound', `Tenant ${id} not found`);
    return tenant;
  };

  app.post('/v1/mgmt/tenant/create', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(createBody, req.body);
    await attributeDefinitions.check(db, project.id, 'tenant', body.customAttributes);
    return db.transaction().execute(async (tx) => {
      const id = body.id ?? newId.tenant();
      if (await tenants.get(tx, project.id, id))
        throw new LatchkeyError('tenantExists', `Tenant id ${id} is taken`);
      if (await tenants.nameTaken(tx, project.id, body.name)) {
        throw new LatchkeyError('tenantExists', `A tenant named "${body.name}" already exists`);
      }
      if (body.parent) await requireTenant(project.id, body.parent, tx);
      await tenants.insert(tx, project.id, {
        id,
        name: body.name,
        selfProvisioningDomains: body.selfProvisioningDomains ?? [],
        customAttributes: body.customAttributes ?? {},
        enforceSSO: body.enforceSSO ?? false,
        enforceSSOExclusions: body.enforceSSOExclusions ?? [],
        disabled: body.disabled ?? false,
        parent: body.parent ?? '',
        roleInheritance: body.roleInheritance ?? '',
      });
      return { id };
    });
  });

  // Update overrides every field (reference §3.1): absent means cleared.
  app.post('/v1/mgmt/tenant/update', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(updateBody, req.body);
    await attributeDefinitions.check(db, project.id, 'tenant', body.customAttributes);
    await db.transaction().execute(async (tx) => {
      const current = await requireTenant(project.id, body.id, tx);
      if (await tenants.nameTaken(tx, project.id, body.name, body.id)) {
        throw new LatchkeyError('tenantExists', `A tenant named "${body.name}" already exists`);
      }
      await tenants.replace(tx, project.id, {
        ...current,
        name: body.name,
        selfProvisioningDomains: body.selfProvisioningDomains ?? [],
        customAttributes: body.customAttributes ?? {},
        enforceSSO: body.enforceSSO ?? false,
        enforceSSOExclusions: body.enforceSSOExclusions ?? [],
        disabled: body.disabled ?? false,
        roleInheritance: body.roleInheritance ?? '',
      });
    });
    return {};
  });

  app.post('/v1/mgmt/tenant/delete', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(deleteBody, req.body);
    await requireTenant(project.id, body.id);
    await db.transaction().execute(async (tx) => {
      if (body.cascade) {
        // Users whose only tenant is this one go with it, and so do their refresh tokens.
        const onlyHere = tx
          .selectFrom('user_tenants as mine')
          .select('mine.user_id')
          .where('mine.project_id', '=', project.id)
          .where('mine.tenant_id', '=', body.id)
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('user_tenants as other')
                  .select('other.tenant_id')
                  .whereRef('other.project_id', '=', 'mine.project_id')
                  .whereRef('other.user_id', '=', 'mine.user_id')
                  .where('other.tenant_id', '!=', body.id),
              ),
            ),
          );
        const doomed = (await onlyHere.execute()).map((r) => r.user_id);
        if (doomed.length > 0) {
          await tx
            .deleteFrom('refresh_tokens')
            .where('project_id', '=', project.id)
            .where('user_id', 'in', doomed)
            .execute();
          await tx
            .deleteFrom('users')
            .where('project_id', '=', project.id)
            .where('id', 'in', doomed)
            .execute();
        }
      }
      await tenants.delete(tx, project.id, body.id);
    });
    return {};
  });

  app.get('/v1/mgmt/tenant', async (req) => {
    const project = await auth.management(req);
    const { id } = parseInput(loadQuery, req.query);
    return toWireTenant(await requireTenant(project.id, id));
  });

  app.get('/v1/mgmt/tenant/all', async (req) => {
    const project = await auth.management(req);
    return { tenants: (await tenants.all(db, project.id)).map(toWireTenant) };
  });

  app.post('/v1/mgmt/tenant/search', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(searchBody, req.body);
    const ids = body.tenantIds ?? body.ids;
    const names = (body.tenantNames ?? body.names)?.map((n) => n.toLowerCase());
    const domains = (body.tenantSelfProvisioningDomains ?? body.selfProvisioningDomains)?.map((d) =>
      d.toLowerCase(),
    );
    const definitions = await attributeDefinitions.list(db, project.id, 'tenant');
    const found = (await tenants.all(db, project.id)).filter(
      (t) =>
        (!ids?.length || ids.includes(t.id)) &&
        (!names?.length || names.includes(t.name.toLowerCase())) &&
        (!domains?.length || t.selfProvisioningDomains.some((d) => domains.includes(d))) &&
        (!body.parentTenantId || t.parent === body.parentTenantId) &&
        matchesAttributes(t.customAttributes, body.customAttributes, definitions),
    );
    return { tenants: found.map(toWireTenant) };
  });
};
