import { createAttributeDefinitions } from '../mgmt/attributes/definitions.ts';
import type { Db } from '../store/db.ts';
import { parseJson } from '../util.ts';
import type { TenantClaims } from './authorization.ts';
import type { UserRecord } from './repo.ts';

const definitions = createAttributeDefinitions();

/** A `tenants` claim whose entries may carry the tenant's `customAttributes` (docs/custom-attributes.md). */
export type TenantClaimsWithAttributes = {
  [tenantId: string]: TenantClaims[string] & { customAttributes?: Record<string, unknown> };
};

/** The defined attributes marked `includeInJwt` that `values` holds (null and absent values left out). */
function included(names: readonly string[], values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const value = values[name];
    if (value !== undefined && value !== null) out[name] = value;
  }
  return out;
}

/** Whether any attribute holds a value `included` would keep. */
function hasValue(values: Record<string, unknown>): boolean {
  for (const key in values) if (values[key] !== undefined && values[key] !== null) return true;
  return false;
}

/**
 * The `customAttributes` claim: the user's values of the attributes defined with `includeInJwt`, read fresh
 * on every issue and refresh. The claim is reserved (never taken from `customClaims`), so a client cannot
 * forge it, and absent when no such attribute has a value.
 */
export async function attributeClaims(
  db: Db,
  user: UserRecord,
): Promise<{ customAttributes?: Record<string, unknown> }> {
  // no values, no claim, whatever is defined: the definitions are not read (most users on every refresh)
  if (!hasValue(user.customAttributes)) return {};
  const names = (await definitions.list(db, user.projectId, 'user'))
    .filter((d) => d.includeInJwt)
    .map((d) => d.name);
  const values = included(names, user.customAttributes);
  return Object.keys(values).length > 0 ? { customAttributes: values } : {};
}

/**
 * The `tenants` claim with each tenant's values of the tenant attributes defined with `includeInJwt` added
 * to its entry as `customAttributes` (next to `roles` and `permissions`, which stay as they are: the SDKs'
 * tenant role checks read only those). Read fresh on every issue and refresh; an entry gets no
 * `customAttributes` key when the tenant has no such value.
 */
export async function withTenantAttributes(
  db: Db,
  projectId: string,
  tenants: TenantClaims,
): Promise<TenantClaimsWithAttributes> {
  const ids = Object.keys(tenants);
  if (ids.length === 0) return tenants;
  const names = (await definitions.list(db, projectId, 'tenant'))
    .filter((d) => d.includeInJwt)
    .map((d) => d.name);
  if (names.length === 0) return tenants;
  const rows = await db
    .selectFrom('tenants')
    .select(['id', 'custom_attributes_json'])
    .where('project_id', '=', projectId)
    .where('id', 'in', ids)
    .execute();
  const out: TenantClaimsWithAttributes = { ...tenants };
  for (const row of rows) {
    const entry = tenants[row.id];
    if (!entry) continue;
    const values = included(names, parseJson<Record<string, unknown>>(row.custom_attributes_json, {}));
    if (Object.keys(values).length > 0) out[row.id] = { ...entry, customAttributes: values };
  }
  return out;
}
