import assert from 'node:assert/strict';
import { seedSchema } from '../authz/seed-schema.ts';
import { type CallResult, call, type TestServer } from '../support/server.ts';

/** A management call against `server` for any project of it (a clone has its own id and key). */
export const as =
  (server: TestServer, projectId: string, managementKey: string) =>
  <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<CallResult<T>> =>
    call<T>(server, method, path, { auth: `Bearer ${projectId}:${managementKey}`, body });

export type Caller = ReturnType<typeof as>;

export async function okCall<T = Record<string, unknown>>(pending: Promise<CallResult<T>>): Promise<T> {
  const res = await pending;
  assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 500));
  return res.body;
}

/** Gives a project configuration in every area a clone or snapshot carries, plus data they must not carry. */
export async function configure(c: Caller, suffix: string): Promise<{ tenantId: string }> {
  await okCall(c('POST', '/v1/mgmt/permission/create', { name: `docs.read${suffix}`, description: 'read' }));
  await okCall(c('POST', '/v1/mgmt/permission/create', { name: `docs.write${suffix}` }));
  await okCall(
    c('POST', '/v1/mgmt/role/create', {
      name: `editor${suffix}`,
      description: 'edits',
      permissionNames: [`docs.read${suffix}`, `docs.write${suffix}`],
      default: true,
    }),
  );
  const tenant = await okCall<{ id: string }>(c('POST', '/v1/mgmt/tenant/create', { name: `Acme${suffix}` }));
  await okCall(
    c('POST', '/v1/mgmt/role/create', {
      name: `tenant-admin${suffix}`,
      tenantId: tenant.id,
      permissionNames: [],
    }),
  );
  await okCall(c('POST', '/v1/mgmt/authz/schema/save', { schema: seedSchema }));
  await okCall(
    c('POST', '/v1/mgmt/authz/re/create', {
      relations: [{ resource: 'd1', relationDefinition: 'owner', namespace: 'doc', target: 'u1' }],
    }),
  );
  await okCall(c('POST', '/v1/mgmt/project/settings', { sessionTokenExpiration: 1234 }));
  await okCall(
    c('POST', '/v1/mgmt/flow/import', {
      flowId: `custom${suffix}`,
      flow: { name: 'Custom', dsl: { steps: ['a', '', null] } },
      screens: [{ id: 'a', htmlTemplate: '<p>a</p>' }],
    }),
  );
  await okCall(c('POST', '/v1/mgmt/flow/delete', { ids: ['step-up'] }));
  await okCall(
    c('POST', '/v1/mgmt/theme/import', { theme: { id: 'theme', cssTemplate: { brand: `acme${suffix}` } } }),
  );
  await okCall(
    c('POST', '/v1/mgmt/user/create', {
      loginId: `ada${suffix}@example.com`,
      email: `ada${suffix}@example.com`,
    }),
  );
  await okCall(c('POST', '/v1/mgmt/accesskey/create', { name: `key${suffix}` }));
  await okCall(
    c('POST', '/v1/mgmt/user/customattribute/create', {
      attributes: [
        {
          name: `plan${suffix}`,
          type: 4,
          displayName: 'Plan',
          options: [{ value: 'free' }, { value: 'pro', label: 'Pro' }],
          includeInJwt: true,
          defaultValue: 'free',
        },
        { name: `seats${suffix}`, type: 'number', viewPermissions: [`docs.read${suffix}`] },
      ],
    }),
  );
  await okCall(
    c('POST', '/v1/mgmt/tenant/customattribute/create', {
      attributes: [{ name: `region${suffix}`, type: 'text' }],
    }),
  );
  return { tenantId: tenant.id };
}

type Named = { name: string; tenantId?: string; createdTime?: number };
const strip = <T extends Named>(items: T[]) =>
  items
    .map(({ createdTime: _c, ...rest }) => rest)
    .sort((a, b) => `${a.tenantId ?? ''}/${a.name}`.localeCompare(`${b.tenantId ?? ''}/${b.name}`));

/** What a clone or an imported snapshot must reproduce, read through the public API. */
export async function fingerprint(c: Caller) {
  const roles = (await okCall<{ roles: Named[] }>(c('GET', '/v1/mgmt/role/all'))).roles.filter(
    (r) => !r.tenantId,
  );
  const permissions = (await okCall<{ permissions: Named[] }>(c('GET', '/v1/mgmt/permission/all')))
    .permissions;
  const list = await okCall<{ flows: { id: string }[] }>(c('POST', '/v1/mgmt/flow/list', {}));
  const flows: unknown[] = [];
  for (const f of list.flows) flows.push(await okCall(c('POST', '/v1/mgmt/flow/export', { flowId: f.id })));
  const { theme } = await okCall<{ theme: { version: number } }>(c('POST', '/v1/mgmt/theme/export', {}));
  const { version: _v, ...themeDoc } = theme;
  const authz = await okCall(c('POST', '/v1/mgmt/authz/schema/load', {}));
  const settings = await okCall(c('GET', '/v1/mgmt/project/settings'));
  const customAttributes = {
    user: (await okCall<{ data: unknown[] }>(c('GET', '/v1/mgmt/user/customattributes'))).data,
    tenant: (await okCall<{ data: unknown[] }>(c('GET', '/v1/mgmt/tenant/customattributes'))).data,
  };
  return {
    roles: strip(roles),
    permissions: strip(permissions),
    flows,
    theme: themeDoc,
    authz,
    settings,
    customAttributes,
  };
}
