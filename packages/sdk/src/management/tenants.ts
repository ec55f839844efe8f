import type { Http } from '../http.ts';
import type { Tenant } from '../types.ts';

/**
 * Optional tenant fields (reference §3.1).
 *
 * @example
 * ```ts
 * const options: TenantOptions = { selfProvisioningDomains: ['acme.com'], customAttributes: { plan: 'pro' } };
 * ```
 */
export type TenantOptions = {
  /** users signing up with an email in one of these domains join the tenant */
  selfProvisioningDomains?: string[];
  customAttributes?: Record<string, unknown>;
  enforceSSO?: boolean;
  enforceSSOExclusions?: string[];
  disabled?: boolean;
  roleInheritance?: '' | 'none' | 'userOnly';
};

/**
 * Tenant search filters; every given filter must match. Sent with the Node/Go key names.
 *
 * @example
 * ```ts
 * const found = await client.management.tenant.search({ names: ['Acme'] });
 * ```
 */
export type TenantSearch = {
  ids?: string[];
  names?: string[];
  selfProvisioningDomains?: string[];
  customAttributes?: Record<string, unknown>;
  parentTenantId?: string;
};

/** A duration unit of tenant settings. */
export type ExpirationUnit = 'minutes' | 'hours' | 'days' | 'weeks';

/**
 * A tenant's settings and session policy (reference §4.4; docs/tenant-settings.md). With `enabled`, the
 * lifetimes tighten the project's for every member (the stricter value wins for users in several tenants);
 * a value without its unit is in minutes, and an unset (or 0) value leaves the project's in place.
 *
 * @example
 * ```ts
 * const settings: TenantSettings = { enabled: true, sessionTokenExpiration: 5, sessionTokenExpirationUnit: 'minutes' };
 * ```
 */
export type TenantSettings = {
  selfProvisioningDomains?: string[];
  domains?: string[];
  authType?: 'none' | 'saml' | 'oidc';
  enabled?: boolean;
  sessionTokenExpiration?: number;
  sessionTokenExpirationUnit?: ExpirationUnit;
  refreshTokenExpiration?: number;
  refreshTokenExpirationUnit?: ExpirationUnit;
  /** lifetime of a step-up session JWT (`su: true`); the stricter of the project's and the tenants' wins */
  stepupTokenExpiration?: number;
  stepupTokenExpirationUnit?: ExpirationUnit;
  /** refresh is refused (401 `E064002`) after this long without a refresh */
  enableInactivity?: boolean;
  inactivityTime?: number;
  inactivityTimeUnit?: ExpirationUnit;
  JITDisabled?: boolean;
  ssoSetupSuiteSettings?: {
    enabled?: boolean;
    styleId?: string;
    disabledFeatures?: Partial<Record<'saml' | 'oidc' | 'scim' | 'ssoDomains' | 'groupMapping', boolean>>;
  };
};

/**
 * Tenant management (reference §3.1). Needs a management key.
 *
 * @example
 * ```ts
 * const { id } = await client.management.tenant.create('Acme');
 * ```
 */
export type TenantApi = {
  /**
   * Creates a tenant with a server-generated id.
   *
   * @example
   * ```ts
   * const { id } = await client.management.tenant.create('Acme', { selfProvisioningDomains: ['acme.com'] });
   * ```
   */
  create(name: string, options?: TenantOptions & { parent?: string }): Promise<{ id: string }>;
  /**
   * Creates a tenant with your own id (letters, digits, `_`, `-`, `.`). A taken id or name → `E113102`.
   *
   * @example
   * ```ts
   * await client.management.tenant.createWithId('acme', 'Acme');
   * ```
   */
  createWithId(
    id: string,
    name: string,
    options?: TenantOptions & { parent?: string },
  ): Promise<{ id: string }>;
  /**
   * Replaces a tenant's fields: options left out are cleared.
   *
   * @example
   * ```ts
   * await client.management.tenant.update('acme', 'Acme Inc.', { selfProvisioningDomains: ['acme.com'] });
   * ```
   */
  update(id: string, name: string, options?: TenantOptions): Promise<void>;
  /**
   * Deletes a tenant. With `cascade`, users who belong to no other tenant are deleted too.
   *
   * @example
   * ```ts
   * await client.management.tenant.delete('acme', true);
   * ```
   */
  delete(id: string, cascade?: boolean): Promise<void>;
  /**
   * Loads one tenant; an unknown id → 404 `E113101`.
   *
   * @example
   * ```ts
   * const tenant = await client.management.tenant.load('acme');
   * ```
   */
  load(id: string): Promise<Tenant>;
  /**
   * Loads every tenant of the project.
   *
   * @example
   * ```ts
   * const tenants = await client.management.tenant.loadAll();
   * ```
   */
  loadAll(): Promise<Tenant[]>;
  /**
   * Searches tenants; names and domains match case-insensitively.
   *
   * @example
   * ```ts
   * const tenants = await client.management.tenant.search({ customAttributes: { plan: 'pro' } });
   * ```
   */
  search(query?: TenantSearch): Promise<Tenant[]>;
  /**
   * Loads a tenant's settings and session policy; an unknown id → 404 `E113101`.
   *
   * @example
   * ```ts
   * const { enabled, sessionTokenExpiration } = await client.management.tenant.getSettings('acme');
   * ```
   */
  getSettings(id: string): Promise<TenantSettings>;
  /**
   * Replaces a tenant's settings (settings left out are cleared; self-provisioning domains change only when
   * given). Bad units or values → 400 and nothing changes.
   *
   * @example
   * ```ts
   * await client.management.tenant.configureSettings('acme', {
   *   enabled: true,
   *   sessionTokenExpiration: 5,
   *   sessionTokenExpirationUnit: 'minutes',
   * });
   * ```
   */
  configureSettings(id: string, settings: TenantSettings): Promise<void>;
};

export function createTenantApi(http: Http): TenantApi {
  const create = async (
    id: string | undefined,
    name: string,
    options: TenantOptions & { parent?: string } = {},
  ) =>
    http.request<{ id: string }>('POST', '/v1/mgmt/tenant/create', {
      auth: 'management',
      body: { ...options, id, name },
    });
  return {
    create: (name, options) => create(undefined, name, options),
    createWithId: (id, name, options) => create(id, name, options),
    async update(id, name, options = {}) {
      await http.request('POST', '/v1/mgmt/tenant/update', {
        auth: 'management',
        body: { ...options, id, name },
      });
    },
    async delete(id, cascade) {
      await http.request('POST', '/v1/mgmt/tenant/delete', { auth: 'management', body: { id, cascade } });
    },
    load: (id) => http.request('GET', '/v1/mgmt/tenant', { auth: 'management', query: { id } }),
    loadAll: async () =>
      (await http.request<{ tenants: Tenant[] }>('GET', '/v1/mgmt/tenant/all', { auth: 'management' }))
        .tenants,
    getSettings: (id) =>
      http.request<TenantSettings>('GET', '/v1/mgmt/tenant/settings', { auth: 'management', query: { id } }),
    async configureSettings(id, settings) {
      await http.request('POST', '/v1/mgmt/tenant/settings', {
        auth: 'management',
        body: { ...settings, tenantId: id },
      });
    },
    async search(query = {}) {
      const body = {
        tenantIds: query.ids,
        tenantNames: query.names,
        tenantSelfProvisioningDomains: query.selfProvisioningDomains,
        customAttributes: query.customAttributes,
        parentTenantId: query.parentTenantId,
      };
      return (
        await http.request<{ tenants: Tenant[] }>('POST', '/v1/mgmt/tenant/search', {
          auth: 'management',
          body,
        })
      ).tenants;
    },
  };
}
