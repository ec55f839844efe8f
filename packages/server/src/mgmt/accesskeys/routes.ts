import { z } from 'zod';
import { LatchkeyError } from '../../errors.ts';
import type { RoutePlugin } from '../../http/app.ts';
import { parseInput } from '../../http/validate.ts';
import type { Db } from '../../store/db.ts';
import { assertCustomClaims } from '../../tokens/sessions.ts';
import { newId, newSecretKey, nowSeconds, parseJson, sha256Hex, unique } from '../../util.ts';
import { customAttributes } from '../users/schema.ts';
import {
  type AccessKeyRow,
  customClaimsOfKey,
  invalidIpEntries,
  type KeyTenant,
  keyTenantsOf,
  permittedIpsOf,
  roleNamesOf,
} from './store.ts';

const name = z.string().min(1).max(256);
const id = z.string().min(1).max(64);
const keyTenants = z
  .array(z.object({ tenantId: z.string().min(1), roleNames: z.array(z.string().min(1)).max(100).optional() }))
  .max(100);
const writeFields = {
  description: z.string().max(2048).optional(),
  roleNames: z.array(z.string().min(1)).max(100).optional(),
  keyTenants: keyTenants.optional(),
  customClaims: z.record(z.string().min(1).max(128), z.unknown()).optional(),
  permittedIps: z.array(z.string().min(1).max(64)).max(100).optional(),
  customAttributes: customAttributes.optional(),
};
const createBody = z.object({
  name,
  expireTime: z.number().int().min(0).optional(),
  userId: z.string().min(1).max(64).optional(),
  ...writeFields,
});
const updateBody = z.object({ id, name: name.optional(), ...writeFields });
const idBody = z.object({ id });
const searchBody = z.object({
  tenantIds: z.array(z.string()).optional(),
  boundUserId: z.string().optional(),
  creatingUser: z.string().optional(),
  customAttributes: z.record(z.string(), z.unknown()).optional(),
});

/** The wire AccessKey (reference §4.5); the Node SDK's type also names the expiry `expiredTime`/`expiresTime`. */
export function toWireKey(row: AccessKeyRow, tenantNames: Map<string, string>) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    roleNames: roleNamesOf(row),
    keyTenants: keyTenantsOf(row).map((t) => ({
      tenantId: t.tenantId,
      tenantName: tenantNames.get(t.tenantId) ?? '',
      roleNames: t.roleNames,
    })),
    status: row.status,
    createdTime: row.created_time,
    expireTime: row.expire_time,
    expiredTime: row.expire_time,
    expiresTime: row.expire_time,
    createdBy: row.created_by,
    clientId: '',
    boundUserId: row.bound_user_id,
    customClaims: customClaimsOfKey(row),
    customAttributes: parseJson<Record<string, unknown>>(row.custom_attributes_json, {}),
    permittedIps: permittedIpsOf(row),
  };
}

async function tenantNamesFor(db: Db, projectId: string, rows: AccessKeyRow[]): Promise<Map<string, string>> {
  const ids = unique(rows.flatMap((r) => keyTenantsOf(r).map((t) => t.tenantId)));
  if (ids.length === 0) return new Map();
  const found = await db
    .selectFrom('tenants')
    .select(['id', 'name'])
    .where('project_id', '=', projectId)
    .where('id', 'in', ids)
    .execute();
  return new Map(found.map((t) => [t.id, t.name]));
}

/** Tenants must exist; project roles must be project roles; a tenant role may be the tenant's own or a project role. */
async function checkAssignments(db: Db, projectId: string, roleNames: string[], tenants: KeyTenant[]) {
  const tenantIds = unique(tenants.map((t) => t.tenantId));
  if (tenantIds.length !== tenants.length)
    throw new LatchkeyError('invalidArguments', 'keyTenants lists a tenant more than once');
  if (tenantIds.length > 0) {
    const found = await db
      .selectFrom('tenants')
      .select('id')
      .where('project_id', '=', projectId)
      .where('id', 'in', tenantIds)
      .execute();
    const missing = tenantIds.filter((t) => !found.some((f) => f.id === t));
    if (missing.length > 0)
      throw new LatchkeyError('tenantNotFound', `Unknown tenants: ${missing.join(', ')}`);
  }
  const wanted = unique([...roleNames, ...tenants.flatMap((t) => t.roleNames)]);
  if (wanted.length === 0) return;
  const roles = await db
    .selectFrom('roles')
    .select(['tenant_id', 'name'])
    .where('project_id', '=', projectId)
    .where('name', 'in', wanted)
    .execute();
  const has = (tenantId: string, role: string) =>
    roles.some((r) => r.name === role && (r.tenant_id === '' || r.tenant_id === tenantId));
  const missing = [
    ...roleNames.filter((r) => !has('', r)),
    ...tenants.flatMap((t) =>
      t.roleNames.filter((r) => !has(t.tenantId, r)).map((r) => `${r} (tenant ${t.tenantId})`),
    ),
  ];
  if (missing.length > 0)
    throw new LatchkeyError('roleNotFound', `Unknown roles: ${unique(missing).join(', ')}`);
}

function checkIps(ips: string[] | undefined) {
  const bad = invalidIpEntries(ips ?? []);
  if (bad.length > 0)
    throw new LatchkeyError(
      'invalidArguments',
      `permittedIps: not an IP address or CIDR block: ${bad.join(', ')}`,
    );
}

const normalizeTenants = (list: z.infer<typeof keyTenants> | undefined): KeyTenant[] =>
  (list ?? []).map((t) => ({ tenantId: t.tenantId, roleNames: unique(t.roleNames ?? []) }));

export async function loadKey(db: Db, projectId: string, keyId: string): Promise<AccessKeyRow> {
  const row = await db
    .selectFrom('access_keys')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('id', '=', keyId)
    .executeTakeFirst();
  if (!row) throw new LatchkeyError('accessKeyNotFound', `Access key ${keyId} not found`);
  return row;
}

/** Management of access keys (reference §3.4): every write is validated in full before anything is stored. */
export const accessKeyRoutes: RoutePlugin = (app, { store, auth, users }) => {
  const db = store.db;
  const wire = async (projectId: string, row: AccessKeyRow) =>
    toWireKey(row, await tenantNamesFor(db, projectId, [row]));

  app.post('/v1/mgmt/accesskey/create', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(createBody, req.body);
    const now = nowSeconds();
    const expireTime = body.expireTime ?? 0;
    if (expireTime !== 0 && expireTime <= now)
      throw new LatchkeyError(
        'invalidArguments',
        'expireTime must be in the future (epoch seconds), or 0 for never',
      );
    assertCustomClaims(body.customClaims);
    checkIps(body.permittedIps);
    const roleNames = unique(body.roleNames ?? []);
    const tenants = normalizeTenants(body.keyTenants);
    await checkAssignments(db, project.id, roleNames, tenants);
    if (body.userId && !(await users.load(db, project.id, body.userId)))
      throw new LatchkeyError('managementUserNotFound', `User ${body.userId} not found`);
    const cleartext = newSecretKey();
    const row: AccessKeyRow = {
      project_id: project.id,
      id: newId.managementKey(),
      name: body.name,
      description: body.description ?? '',
      key_hash: sha256Hex(cleartext),
      status: 'active',
      expire_time: expireTime,
      created_time: now,
      created_by: '',
      role_names_json: JSON.stringify(roleNames),
      key_tenants_json: JSON.stringify(tenants),
      custom_claims_json: JSON.stringify(body.customClaims ?? {}),
      custom_attributes_json: JSON.stringify(body.customAttributes ?? {}),
      permitted_ips_json: JSON.stringify(unique(body.permittedIps ?? [])),
      bound_user_id: body.userId ?? '',
    };
    await db.insertInto('access_keys').values(row).execute();
    return { key: await wire(project.id, row), cleartext };
  });

  app.get('/v1/mgmt/accesskey', async (req) => {
    const project = await auth.management(req);
    const { id: keyId } = parseInput(idBody, req.query);
    return { key: await wire(project.id, await loadKey(db, project.id, keyId)) };
  });

  app.post('/v1/mgmt/accesskey/search', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(searchBody, req.body);
    let q = db.selectFrom('access_keys').selectAll().where('project_id', '=', project.id);
    if (body.boundUserId) q = q.where('bound_user_id', '=', body.boundUserId);
    if (body.creatingUser) q = q.where('created_by', '=', body.creatingUser);
    let rows = await q.orderBy('created_time').orderBy('id').execute();
    const tenantIds = body.tenantIds ?? [];
    if (tenantIds.length > 0)
      rows = rows.filter((r) => keyTenantsOf(r).some((t) => tenantIds.includes(t.tenantId)));
    const attrs = Object.entries(body.customAttributes ?? {});
    if (attrs.length > 0) {
      rows = rows.filter((r) => {
        const own = parseJson<Record<string, unknown>>(r.custom_attributes_json, {});
        return attrs.every(([k, v]) => JSON.stringify(own[k]) === JSON.stringify(v));
      });
    }
    const names = await tenantNamesFor(db, project.id, rows);
    return { keys: rows.map((r) => toWireKey(r, names)) };
  });

  app.post('/v1/mgmt/accesskey/update', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(updateBody, req.body);
    const row = await loadKey(db, project.id, body.id);
    if (body.customClaims) assertCustomClaims(body.customClaims);
    checkIps(body.permittedIps);
    const roleNames = body.roleNames ? unique(body.roleNames) : roleNamesOf(row);
    const tenants = body.keyTenants ? normalizeTenants(body.keyTenants) : keyTenantsOf(row);
    if (body.roleNames || body.keyTenants) await checkAssignments(db, project.id, roleNames, tenants);
    const next: AccessKeyRow = {
      ...row,
      name: body.name ?? row.name,
      description: body.description ?? row.description,
      role_names_json: JSON.stringify(roleNames),
      key_tenants_json: JSON.stringify(tenants),
      custom_claims_json: body.customClaims ? JSON.stringify(body.customClaims) : row.custom_claims_json,
      custom_attributes_json: body.customAttributes
        ? JSON.stringify(body.customAttributes)
        : row.custom_attributes_json,
      permitted_ips_json: body.permittedIps
        ? JSON.stringify(unique(body.permittedIps))
        : row.permitted_ips_json,
    };
    await db
      .updateTable('access_keys')
      .set({
        name: next.name,
        description: next.description,
        role_names_json: next.role_names_json,
        key_tenants_json: next.key_tenants_json,
        custom_claims_json: next.custom_claims_json,
        custom_attributes_json: next.custom_attributes_json,
        permitted_ips_json: next.permitted_ips_json,
      })
      .where('project_id', '=', project.id)
      .where('id', '=', row.id)
      .execute();
    return { key: await wire(project.id, next) };
  });

  const setStatus = (status: 'active' | 'inactive') => async (req: Parameters<typeof auth.management>[0]) => {
    const project = await auth.management(req);
    const { id: keyId } = parseInput(idBody, req.body);
    await loadKey(db, project.id, keyId);
    await db
      .updateTable('access_keys')
      .set({ status })
      .where('project_id', '=', project.id)
      .where('id', '=', keyId)
      .execute();
    return {};
  };
  app.post('/v1/mgmt/accesskey/activate', setStatus('active'));
  app.post('/v1/mgmt/accesskey/deactivate', setStatus('inactive'));

  app.post('/v1/mgmt/accesskey/delete', async (req) => {
    const project = await auth.management(req);
    const { id: keyId } = parseInput(idBody, req.body);
    await loadKey(db, project.id, keyId);
    await db.deleteFrom('access_keys').where('project_id', '=', project.id).where('id', '=', keyId).execute();
    return {};
  });
};
