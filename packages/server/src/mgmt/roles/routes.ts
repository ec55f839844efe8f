import type { ExpressionBuilder } from 'kysely';
import { z } from 'zod';
import { LatchkeyError } from '../../errors.ts';
import type { RoutePlugin } from '../../http/app.ts';
import { parseInput } from '../../http/validate.ts';
import type { Db } from '../../store/db.ts';
import type { Database } from '../../store/schema.ts';
import { nowSeconds, parseJson } from '../../util.ts';

const name = z.string().min(1).max(256);
const roleFields = {
  description: z.string().max(2048).optional(),
  permissionNames: z.array(z.string().min(1)).max(1000).optional(),
  tenantId: z.string().optional(),
  default: z.boolean().optional(),
  private: z.boolean().optional(),
};
const createBody = z.object({ name, ...roleFields });
const updateBody = z.object({ name, newName: name, ...roleFields });
const deleteBody = z.object({ name, tenantId: z.string().optional() });
const searchBody = z.object({
  roleNames: z.array(z.string()).optional(),
  roleNameLike: z.string().optional(),
  tenantIds: z.array(z.string()).optional(),
  permissionNames: z.array(z.string()).optional(),
  includeProjectRoles: z.boolean().optional(),
});

type RoleRow = {
  tenant_id: string;
  name: string;
  description: string;
  permission_names_json: string;
  is_default: number;
  is_private: number;
  created_time: number;
};

const toWireRole = (r: RoleRow) => ({
  name: r.name,
  description: r.description,
  permissionNames: parseJson<string[]>(r.permission_names_json, []),
  createdTime: r.created_time,
  tenantId: r.tenant_id,
  default: r.is_default === 1,
  private: r.is_private === 1,
});

async function checkPermissionsExist(tx: Db, projectId: string, names: string[]): Promise<void> {
  if (names.length === 0) return;
  const found = await tx
    .selectFrom('permissions')
    .select('name')
    .where('project_id', '=', projectId)
    .where('name', 'in', names)
    .execute();
  const missing = names.filter((n) => !found.some((f) => f.name === n));
  if (missing.length > 0)
    throw new LatchkeyError('permissionNotFound', `Unknown permissions: ${missing.join(', ')}`);
}

async function checkTenantExists(tx: Db, projectId: string, tenantId: string): Promise<void> {
  if (!tenantId) return;
  const t = await tx
    .selectFrom('tenants')
    .select('id')
    .where('project_id', '=', projectId)
    .where('id', '=', tenantId)
    .executeTakeFirst();
  if (!t) throw new LatchkeyError('tenantNotFound', `Tenant ${tenantId} not found`);
}

/**
 * Which user-role rows a role's rename or delete reaches: a tenant role's, in its tenant; a project role's,
 * at project level and in every tenant that has no own role of that name (called after the role row changed).
 */
const holdersScope =
  (tx: Db, projectId: string, tenantId: string, roleName: string) =>
  (eb: ExpressionBuilder<Database, 'user_roles'>) =>
    tenantId
      ? eb('tenant_id', '=', tenantId)
      : eb(
          'tenant_id',
          'not in',
          tx
            .selectFrom('roles')
            .select('tenant_id')
            .where('project_id', '=', projectId)
            .where('name', '=', roleName),
        );

/** Roles are identified by (name, tenantId); a project role has tenantId ''. */
export const roleRoutes: RoutePlugin = (app, { store, auth }) => {
  const db = store.db;
  const find = (conn: Db, projectId: string, tenantId: string, roleName: string) =>
    conn
      .selectFrom('roles')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('tenant_id', '=', tenantId)
      .where('name', '=', roleName)
      .executeTakeFirst();

  app.post('/v1/mgmt/role/create', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(createBody, req.body);
    const tenantId = body.tenantId ?? '';
    await db.transaction().execute(async (tx) => {
      await checkTenantExists(tx, project.id, tenantId);
      if (await find(tx, project.id, tenantId, body.name))
        throw new LatchkeyError('roleExists', `Role ${body.name} already exists`);
      await checkPermissionsExist(tx, project.id, body.permissionNames ?? []);
      await tx
        .insertInto('roles')
        .values({
          project_id: project.id,
          tenant_id: tenantId,
          name: body.name,
          description: body.description ?? '',
          permission_names_json: JSON.stringify([...new Set(body.permissionNames ?? [])]),
          is_default: body.default ? 1 : 0,
          is_private: body.private ? 1 : 0,
          created_time: nowSeconds(),
        })
        .execute();
    });
    return {};
  });

  // Override: absent fields are cleared. A rename follows through to every user holding the role.
  app.post('/v1/mgmt/role/update', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(updateBody, req.body);
    const tenantId = body.tenantId ?? '';
    await db.transaction().execute(async (tx) => {
      if (!(await find(tx, project.id, tenantId, body.name)))
        throw new LatchkeyError('roleNotFound', `Role ${body.name} not found`);
      if (body.newName !== body.name && (await find(tx, project.id, tenantId, body.newName))) {
        throw new LatchkeyError('roleExists', `Role ${body.newName} already exists`);
      }
      await checkPermissionsExist(tx, project.id, body.permissionNames ?? []);
      await tx
        .updateTable('roles')
        .set({
          name: body.newName,
          description: body.description ?? '',
          permission_names_json: JSON.stringify([...new Set(body.permissionNames ?? [])]),
          is_default: body.default ? 1 : 0,
          is_private: body.private ? 1 : 0,
        })
        .where('project_id', '=', project.id)
        .where('tenant_id', '=', tenantId)
        .where('name', '=', body.name)
        .execute();
      if (body.newName !== body.name) {
        await tx
          .updateTable('user_roles')
          .set({ role_name: body.newName })
          .where('project_id', '=', project.id)
          .where('role_name', '=', body.name)
          .where(holdersScope(tx, project.id, tenantId, body.name))
          .execute();
      }
    });
    return {};
  });

  app.post('/v1/mgmt/role/delete', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(deleteBody, req.body);
    const tenantId = body.tenantId ?? '';
    await db.transaction().execute(async (tx) => {
      if (!(await find(tx, project.id, tenantId, body.name)))
        throw new LatchkeyError('roleNotFound', `Role ${body.name} not found`);
      await tx
        .deleteFrom('roles')
        .where('project_id', '=', project.id)
        .where('tenant_id', '=', tenantId)
        .where('name', '=', body.name)
        .execute();
      await tx
        .deleteFrom('user_roles')
        .where('project_id', '=', project.id)
        .where('role_name', '=', body.name)
        .where(holdersScope(tx, project.id, tenantId, body.name))
        .execute();
    });
    return {};
  });

  app.get('/v1/mgmt/role/all', async (req) => {
    const project = await auth.management(req);
    const rows = await db
      .selectFrom('roles')
      .selectAll()
      .where('project_id', '=', project.id)
      .orderBy('created_time')
      .orderBy('name')
      .execute();
    return { roles: rows.map(toWireRole) };
  });

  app.post('/v1/mgmt/role/search', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(searchBody, req.body);
    const rows = await db
      .selectFrom('roles')
      .selectAll()
      .where('project_id', '=', project.id)
      .orderBy('created_time')
      .orderBy('name')
      .execute();
    const like = body.roleNameLike?.toLowerCase();
    const found = rows.filter((r) => {
      const permissions = parseJson<string[]>(r.permission_names_json, []);
      const tenantMatch =
        !body.tenantIds?.length ||
        body.tenantIds.includes(r.tenant_id) ||
        (body.includeProjectRoles === true && r.tenant_id === '');
      return (
        tenantMatch &&
        (!body.roleNames?.length || body.roleNames.includes(r.name)) &&
        (!like || r.name.toLowerCase().includes(like)) &&
        (!body.permissionNames?.length || body.permissionNames.some((p) => permissions.includes(p)))
      );
    });
    return { roles: found.map(toWireRole) };
  });
};
