import type { Db } from '../store/db.ts';
import { emailDomain, nowSeconds, parseJson } from '../util.ts';

export type Tenant = {
  id: string;
  name: string;
  selfProvisioningDomains: string[];
  customAttributes: Record<string, unknown>;
  enforceSSO: boolean;
  enforceSSOExclusions: string[];
  disabled: boolean;
  parent: string;
  roleInheritance: string;
  createdTime: number;
};

type Row = {
  id: string;
  name: string;
  self_provisioning_domains_json: string;
  custom_attributes_json: string;
  enforce_sso: number;
  enforce_sso_exclusions_json: string;
  disabled: number;
  parent: string;
  role_inheritance: string;
  created_time: number;
};

const fromRow = (r: Row): Tenant => ({
  id: r.id,
  name: r.name,
  selfProvisioningDomains: parseJson(r.self_provisioning_domains_json, []),
  customAttributes: parseJson(r.custom_attributes_json, {}),
  enforceSSO: r.enforce_sso === 1,
  enforceSSOExclusions: parseJson(r.enforce_sso_exclusions_json, []),
  disabled: r.disabled === 1,
  parent: r.parent,
  roleInheritance: r.role_inheritance,
  createdTime: r.created_time,
});

const toRow = (t: Tenant) => ({
  id: t.id,
  name: t.name,
  name_lower: t.name.toLowerCase(),
  self_provisioning_domains_json: JSON.stringify(t.selfProvisioningDomains.map((d) => d.toLowerCase())),
  custom_attributes_json: JSON.stringify(t.customAttributes),
  enforce_sso: t.enforceSSO ? 1 : 0,
  enforce_sso_exclusions_json: JSON.stringify(t.enforceSSOExclusions),
  disabled: t.disabled ? 1 : 0,
  parent: t.parent,
  role_inheritance: t.roleInheritance,
  created_time: t.createdTime,
});

export function createTenantRepo() {
  return {
    async get(db: Db, projectId: string, id: string): Promise<Tenant | undefined> {
      const row = await db
        .selectFrom('tenants')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && fromRow(row);
    },
    async all(db: Db, projectId: string): Promise<Tenant[]> {
      const rows = await db
        .selectFrom('tenants')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('created_time')
        .orderBy('id')
        .execute();
      return rows.map(fromRow);
    },
    async nameTaken(db: Db, projectId: string, name: string, exceptId?: string): Promise<boolean> {
      let q = db
        .selectFrom('tenants')
        .select('id')
        .where('project_id', '=', projectId)
        .where('name_lower', '=', name.toLowerCase());
      if (exceptId) q = q.where('id', '!=', exceptId);
      return (await q.executeTakeFirst()) !== undefined;
    },
    async insert(db: Db, projectId: string, tenant: Omit<Tenant, 'createdTime'>): Promise<Tenant> {
      const full = { ...tenant, createdTime: nowSeconds() };
      await db
        .insertInto('tenants')
        .values({ project_id: projectId, ...toRow(full) })
        .execute();
      return full;
    },
    async replace(db: Db, projectId: string, tenant: Tenant): Promise<void> {
      const { id, ...rest } = toRow(tenant);
      await db
        .updateTable('tenants')
        .set(rest)
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .execute();
    },
    async delete(db: Db, projectId: string, id: string): Promise<void> {
      await db
        .deleteFrom('user_roles')
        .where('project_id', '=', projectId)
        .where('tenant_id', '=', id)
        .execute();
      await db.deleteFrom('roles').where('project_id', '=', projectId).where('tenant_id', '=', id).execute();
      await db.deleteFrom('tenants').where('project_id', '=', projectId).where('id', '=', id).execute();
    },
    /** Tenants whose self-provisioning domains include the email's domain. */
    async forEmailDomain(db: Db, projectId: string, email: string): Promise<Tenant[]> {
      if (!email.includes('@')) return [];
      const domain = emailDomain(email);
      // Domains are stored lower-case as a JSON array: the LIKE narrows in SQL, the exact check confirms.
      const rows = await db
        .selectFrom('tenants')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('self_provisioning_domains_json', 'like', `%${JSON.stringify(domain).replace(/[%_\\]/g, '')}%`)
        .orderBy('created_time')
        .execute();
      return rows.map(fromRow).filter((t) => t.selfProvisioningDomains.includes(domain));
    },
  };
}

export type TenantRepo = ReturnType<typeof createTenantRepo>;
