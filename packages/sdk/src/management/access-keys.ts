import type { Http } from '../http.ts';

/**
 * A tenant an access key belongs to, with the key's roles there.
 *
 * @example
 * ```ts
 * const tenant: AccessKeyTenant = { tenantId: 'acme', roleNames: ['reader'] };
 * ```
 */
export type AccessKeyTenant = { tenantId: string; roleNames?: string[]; tenantName?: string };

/**
 * An access key as the server answers it (reference §4.5); the secret is never part of it.
 *
 * @example
 * ```ts
 * const key: AccessKey = await client.management.accessKey.load(keyId);
 * if (key.status === 'inactive') console.log(`${key.name} is deactivated`);
 * ```
 */
export type AccessKey = {
  id: string;
  name: string;
  description: string;
  roleNames: string[];
  keyTenants: AccessKeyTenant[];
  status: 'active' | 'inactive';
  /** epoch seconds */
  createdTime: number;
  /** epoch seconds; `0` = never expires */
  expireTime: number;
  createdBy: string;
  clientId: string;
  /** the user whose roles and tenants the key carries; `''` for a standalone key */
  boundUserId: string;
  customClaims: Record<string, unknown>;
  customAttributes: Record<string, unknown>;
  permittedIps: string[];
  [field: string]: unknown;
};

/**
 * Optional fields of a new access key. Roles and tenants must exist (404 `E114101` / `E113101` otherwise).
 *
 * @example
 * ```ts
 * const options: AccessKeyOptions = {
 *   expireTime: Math.floor(Date.now() / 1000) + 86_400, // epoch seconds; 0 or absent = never
 *   roleNames: ['reader'],
 *   permittedIps: ['10.0.0.0/8'],
 * };
 * ```
 */
export type AccessKeyOptions = {
  /** epoch seconds in the future, or `0` (default) for never */
  expireTime?: number;
  description?: string;
  roleNames?: string[];
  keyTenants?: AccessKeyTenant[];
  /** bind the key to a user: its sessions carry that user's roles and tenants */
  userId?: string;
  /** claims every session exchanged from the key carries */
  customClaims?: Record<string, unknown>;
  /** IP addresses or CIDR blocks the key may be exchanged from (empty = any) */
  permittedIps?: string[];
  customAttributes?: Record<string, unknown>;
};

/**
 * Fields to change on an access key; fields left out keep their value.
 *
 * @example
 * ```ts
 * await client.management.accessKey.update(keyId, 'ci-bot', { roleNames: ['deployer'] });
 * ```
 */
export type AccessKeyUpdate = Omit<AccessKeyOptions, 'expireTime' | 'userId'>;

/**
 * Access key search filters; every given filter must match. No filter lists every key.
 *
 * @example
 * ```ts
 * const keys = await client.management.accessKey.search({ tenantIds: ['acme'] });
 * ```
 */
export type AccessKeySearch = {
  tenantIds?: string[];
  boundUserId?: string;
  creatingUser?: string;
  customAttributes?: Record<string, unknown>;
};

/**
 * What creating an access key answers: the key and its secret, shown this one time only.
 *
 * @example
 * ```ts
 * const { key, cleartext }: CreatedAccessKey = await client.management.accessKey.create('ci-bot');
 * ```
 */
export type CreatedAccessKey = { key: AccessKey; cleartext: string };

/**
 * Access key management (reference §3.4). Machines exchange a key for a session with
 * `client.exchangeAccessKey`. An unknown key id → 404 `E117101` (`ERROR_CODES.accessKeyNotFound`).
 *
 * @example
 * ```ts
 * const { key, cleartext } = await client.management.accessKey.create('ci-bot', { roleNames: ['deployer'] });
 * // hand `cleartext` to the machine; it calls client.exchangeAccessKey(cleartext)
 * ```
 */
export type AccessKeyApi = {
  /**
   * Creates an access key. The answer carries the secret (`cleartext`): the server keeps only its hash.
   *
   * @example
   * ```ts
   * const { key, cleartext } = await client.management.accessKey.create('ci-bot', {
   *   roleNames: ['deployer'],
   *   expireTime: Math.floor(Date.now() / 1000) + 30 * 86_400,
   * });
   * ```
   */
  create(name: string, options?: AccessKeyOptions): Promise<CreatedAccessKey>;
  /**
   * Loads an access key by id.
   *
   * @example
   * ```ts
   * const key = await client.management.accessKey.load(keyId);
   * ```
   */
  load(id: string): Promise<AccessKey>;
  /**
   * Searches access keys, oldest first.
   *
   * @example
   * ```ts
   * const keys = await client.management.accessKey.search({ boundUserId: userId });
   * ```
   */
  search(query?: AccessKeySearch): Promise<AccessKey[]>;
  /**
   * Renames an access key and changes the given fields; the others keep their value.
   *
   * @example
   * ```ts
   * const key = await client.management.accessKey.update(keyId, 'ci-bot', { description: 'CI pipeline' });
   * ```
   */
  update(id: string, name: string, options?: AccessKeyUpdate): Promise<AccessKey>;
  /**
   * Activates a deactivated access key: it can be exchanged again.
   *
   * @example
   * ```ts
   * await client.management.accessKey.activate(keyId);
   * ```
   */
  activate(id: string): Promise<void>;
  /**
   * Deactivates an access key: exchanging it is refused with 401 `E061202`
   * (`ERROR_CODES.accessKeyInactive`) until it is activated again.
   *
   * @example
   * ```ts
   * await client.management.accessKey.deactivate(keyId);
   * ```
   */
  deactivate(id: string): Promise<void>;
  /**
   * Deletes an access key for good: exchanging it is refused with 401 `E061201`.
   *
   * @example
   * ```ts
   * await client.management.accessKey.delete(keyId);
   * ```
   */
  delete(id: string): Promise<void>;
};

export function createAccessKeyApi(http: Http): AccessKeyApi {
  const post = <T = unknown>(path: string, body: unknown) =>
    http.request<T>('POST', path, { auth: 'management', body });
  return {
    create: (name, options = {}) => post<CreatedAccessKey>('/v1/mgmt/accesskey/create', { name, ...options }),
    load: async (id) =>
      (
        await http.request<{ key: AccessKey }>('GET', '/v1/mgmt/accesskey', {
          auth: 'management',
          query: { id },
        })
      ).key,
    search: async (query = {}) =>
      (await post<{ keys: AccessKey[] }>('/v1/mgmt/accesskey/search', query)).keys,
    update: async (id, name, options = {}) =>
      (await post<{ key: AccessKey }>('/v1/mgmt/accesskey/update', { id, name, ...options })).key,
    activate: async (id) => {
      await post('/v1/mgmt/accesskey/activate', { id });
    },
    deactivate: async (id) => {
      await post('/v1/mgmt/accesskey/deactivate', { id });
    },
    delete: async (id) => {
      await post('/v1/mgmt/accesskey/delete', { id });
    },
  };
}
