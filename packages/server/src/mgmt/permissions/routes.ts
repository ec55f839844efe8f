import { z } from 'zod';
import { LatchkeyError } from '../../errors.ts';
import type { RoutePlugin } from '../../http/app.ts';
import { parseInput } from '../../http/validate.ts';
import type { Db } from '../../store/db.ts';
import { nowSeconds, parseJson } from '../../util.ts';

const name = z.string().min(1).max(256);
const createBody = z.object({ name, description: z.string().max(2048).optional() });
const updateBody = z.object({ name, newName: name, description: z.string().max(2048).optional() });
const deleteBody = z.object({ name });

/** Rewrites every role's permission list (a rename maps old → new, a delete maps old → nothing). */
async function rewriteRolePermissions(
  tx: Db,
  projectId: string,
  from: string,
  to: string | undefined,
): Promise<void> {
  const roles = await tx
    .selectFrom('roles')
    .select(['tenant_id', 'name', 'permission_names_json'])
    .where('project_id', '=', projectId)
    .execute();
  for (const role of roles) {
    const names = parseJson<string[]>(role.permission_names_json, []);
    if (!names.includes(from)) continue;
    const next = [...new Set(names.flatMap((n) => (n === from ? (to ? [to] : []) : [n])))];
    await tx
      .updateTable('roles')
      .set({ permission_names_json: JSON.stringify(next) })
      .where('project_id', '=', projectId)
      .where('tenant_id', '=', role.tenant_id)
      .where('name', '=', role.name)
      .execute();
  }
}

export const permissionRoutes: RoutePlugin = (app, { store, auth }) => {
  const db = store.db;
  const exists = async (conn: Db, projectId: string, permission: string) =>
    (await conn
      .selectFrom('permissions')
      .select('name')
      .where('project_id', '=', projectId)
      .where('name', '=', permission)
      .executeTakeFirst()) !== undefined;

  app.post('/v1/mgmt/permission/create', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(createBody, req.body);
    await db.transaction().execute(async (tx) => {
      if (await exists(tx, project.id, body.name))
        throw new LatchkeyError('permissionExists', `Permission ${body.name} already exists`);
      await tx
        .insertInto('permissions')
        .values({
          project_id: project.id,
          name: body.name,
          description: body.description ?? '',
          created_time: nowSeconds(),
        })
        .execute();
    });
    return {};
  });

  app.post('/v1/mgmt/permission/update', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(updateBody, req.body);
    await db.transaction().execute(async (tx) => {
      if (!(await exists(tx, project.id, body.name)))
        throw new LatchkeyError('permissionNotFound', `Permission ${body.name} not found`);
      if (body.newName !== body.name && (await exists(tx, project.id, body.newName))) {
        throw new LatchkeyError('permissionExists', `Permission ${body.newName} already exists`);
      }
      await tx
        .updateTable('permissions')
        .set({ name: body.newName, description: body.description ?? '' })
        .where('project_id', '=', project.id)
        .where('name', '=', body.name)
        .execute();
      if (body.newName !== body.name) await rewriteRolePermissions(tx, project.id, body.name, body.newName);
    });
    return {};
  });

  app.post('/v1/mgmt/permission/delete', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(deleteBody, req.body);
    await db.transaction().execute(async (tx) => {
      if (!(await exists(tx, project.id, body.name)))
        throw new LatchkeyError('permissionNotFound', `Permission ${body.name} not found`);
      await tx
        .deleteFrom('permissions')
        .where('project_id', '=', project.id)
        .where('name', '=', body.name)
        .execute();
      await rewriteRolePermissions(tx, project.id, body.name, undefined);
    });
    return {};
  });

  app.get('/v1/mgmt/permission/all', async (req) => {
    const project = await auth.management(req);
    const rows = await db
      .selectFrom('permissions')
      .selectAll()
      .where('project_id', '=', project.id)
      .orderBy('created_time')
      .orderBy('name')
      .execute();
    return {
      permissions: rows.map((r) => ({ name: r.name, description: r.description, systemDefault: false })),
    };
  });
};
