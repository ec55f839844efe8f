import type { Http } from '../http.ts';

/** The value types of a custom attribute. */
export type CustomAttributeType = 'text' | 'number' | 'boolean' | 'singleSelect' | 'multiSelect' | 'date';

/**
 * A custom attribute definition. Once a scope (users or tenants) has one, every write of that scope's
 * `customAttributes` must use defined keys with values of the right type (400 `E118102` otherwise).
 *
 * @example
 * ```ts
 * const plan: CustomAttributeDefinition = {
 *   name: 'plan',
 *   type: 'singleSelect',
 *   options: [{ value: 'free' }, { value: 'pro' }],
 *   includeInJwt: true,
 * };
 * ```
 */
export type CustomAttributeDefinition = {
  name: string;
  /** a type name, or Descope's number (1 text, 2 number, 3 boolean, 4 singleSelect, 5 multiSelect, 6 date) */
  type: CustomAttributeType | number;
  displayName?: string;
  /** required for singleSelect and multiSelect */
  options?: { value: string; label?: string }[];
  /**
   * put the value in session JWTs: a user attribute under the top-level `customAttributes` claim, a tenant
   * attribute under `tenants[tenantId].customAttributes`
   */
  includeInJwt?: boolean;
  defaultValue?: unknown;
};

/**
 * A stored definition as the server answers it: `type` as Descope's number, `typeName` as the name.
 *
 * @example
 * ```ts
 * const [first] = await client.management.customAttribute.list('user');
 * console.log(first?.typeName);
 * ```
 */
export type StoredCustomAttribute = Required<Omit<CustomAttributeDefinition, 'type' | 'defaultValue'>> & {
  type: number;
  typeName: CustomAttributeType;
  defaultValue?: unknown;
};

/**
 * Typed custom attribute definitions for users (the Descope user custom-attribute API) and tenants
 * (a Latchkey extension of the same shape). See docs/custom-attributes.md.
 *
 * @example
 * ```ts
 * await client.management.customAttribute.create('user', [{ name: 'seats', type: 'number' }]);
 * ```
 */
export type CustomAttributeApi = {
  /**
   * Every definition of the scope, sorted by name.
   *
   * @example
   * ```ts
   * const definitions = await client.management.customAttribute.list('tenant');
   * ```
   */
  list(scope: 'user' | 'tenant'): Promise<StoredCustomAttribute[]>;
  /**
   * Creates (or replaces, by name) definitions; answers every definition of the scope.
   *
   * @example
   * ```ts
   * await client.management.customAttribute.create('tenant', [{ name: 'region', type: 'singleSelect', options: [{ value: 'eu' }] }]);
   * ```
   */
  create(scope: 'user' | 'tenant', attributes: CustomAttributeDefinition[]): Promise<StoredCustomAttribute[]>;
  /**
   * Deletes definitions by name (stored values stay); an unknown name is 404 `E118101`.
   *
   * @example
   * ```ts
   * await client.management.customAttribute.delete('user', ['legacyId']);
   * ```
   */
  delete(scope: 'user' | 'tenant', names: string[]): Promise<StoredCustomAttribute[]>;
};

export function createCustomAttributeApi(http: Http): CustomAttributeApi {
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown) =>
    (await http.request<{ data: StoredCustomAttribute[] }>(method, path, { auth: 'management', body })).data;
  return {
    list: (scope) => call('GET', `/v1/mgmt/${scope}/customattributes`),
    create: (scope, attributes) => call('POST', `/v1/mgmt/${scope}/customattribute/create`, { attributes }),
    delete: (scope, names) => call('POST', `/v1/mgmt/${scope}/customattribute/delete`, { names }),
  };
}
