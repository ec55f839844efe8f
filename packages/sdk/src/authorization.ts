import type { AuthenticationInfo, SessionClaims } from './types.ts';

/**
 * What the authorization helpers accept: the result of a validation, or the verified claims themselves.
 * Only pass claims that were verified (by `client.validateSession` and friends): these helpers do not
 * check signatures.
 *
 * @example
 * ```ts
 * const info = await client.validateSession(sessionJwt);
 * validateRoles(info, ['admin']);       // AuthenticationInfo
 * validateRoles(info.token, ['admin']); // or its claims
 * ```
 */
export type ValidatedSession = AuthenticationInfo | SessionClaims;

type ClaimKind = 'roles' | 'permissions';

function claimsOf(session: ValidatedSession): SessionClaims {
  const maybeInfo = session as Partial<AuthenticationInfo>;
  return typeof maybeInfo.jwt === 'string' && maybeInfo.token && typeof maybeInfo.token === 'object'
    ? maybeInfo.token
    : (session as SessionClaims);
}

/** The Ruby SDK also accepts a single string where a list is expected. */
function toList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

function tenantsOf(claims: SessionClaims): Record<string, Record<string, unknown>> {
  const tenants = claims.tenants;
  return tenants && typeof tenants === 'object' && !Array.isArray(tenants)
    ? (tenants as Record<string, Record<string, unknown>>)
    : {};
}

/**
 * The granted names of one kind: top-level without a tenant; `tenants[tenant]` with one; and, when the
 * token has no entry for the tenant but selected it (`dct`), the top-level claims (Descope can issue
 * tenant-scoped tokens that way). `undefined` means the user is not in the tenant.
 */
function granted(session: ValidatedSession, kind: ClaimKind, tenant?: string): string[] | undefined {
  const claims = claimsOf(session);
  if (!tenant) return toList(claims[kind]);
  const entry = tenantsOf(claims)[tenant];
  if (entry && typeof entry === 'object') return toList(entry[kind]);
  if (claims.dct === tenant) return toList(claims[kind]);
  return undefined;
}

const hasAll = (have: string[] | undefined, wanted: string[]) =>
  have !== undefined && wanted.every((w) => have.includes(w));
const matched = (have: string[] | undefined, wanted: string[]) =>
  have ? wanted.filter((w) => have.includes(w)) : [];

/**
 * True when the session holds **all** the given roles: project-level roles without a tenant, the
 * tenant's roles with one. Always false for a tenant the user is not in.
 *
 * @example
 * ```ts
 * const info = await client.validateSession(sessionJwt);
 * if (!validateRoles(info, ['admin'])) return res.status(403).end();
 * if (!validateRoles(info, ['editor'], 'acme')) return res.status(403).end(); // role inside tenant "acme"
 * ```
 */
export function validateRoles(session: ValidatedSession, roles: string[], tenant?: string): boolean {
  return hasAll(granted(session, 'roles', tenant), roles);
}

/**
 * True when the session holds **all** the given permissions (project level, or inside `tenant`).
 *
 * @example
 * ```ts
 * if (!validatePermissions(info, ['invoices.read'])) return res.status(403).end();
 * ```
 */
export function validatePermissions(
  session: ValidatedSession,
  permissions: string[],
  tenant?: string,
): boolean {
  return hasAll(granted(session, 'permissions', tenant), permissions);
}

/**
 * True when the session holds all the given roles inside `tenant` (the Ruby SDK's `validate_tenant_roles`).
 *
 * @example
 * ```ts
 * validateTenantRoles(info, 'acme', ['admin']);
 * ```
 */
export function validateTenantRoles(session: ValidatedSession, tenant: string, roles: string[]): boolean {
  return hasAll(granted(session, 'roles', tenant || undefined), roles);
}

/**
 * True when the session holds all the given permissions inside `tenant`.
 *
 * @example
 * ```ts
 * validateTenantPermissions(info, 'acme', ['invoices.write']);
 * ```
 */
export function validateTenantPermissions(
  session: ValidatedSession,
  tenant: string,
  permissions: string[],
): boolean {
  return hasAll(granted(session, 'permissions', tenant || undefined), permissions);
}

/**
 * Which of the given roles the session holds (project level, or inside `tenant`).
 *
 * @example
 * ```ts
 * getMatchedRoles(info, ['admin', 'editor', 'viewer']); // e.g. ['editor', 'viewer']
 * ```
 */
export function getMatchedRoles(session: ValidatedSession, roles: string[], tenant?: string): string[] {
  return matched(granted(session, 'roles', tenant), roles);
}

/**
 * Which of the given permissions the session holds (project level, or inside `tenant`).
 *
 * @example
 * ```ts
 * getMatchedPermissions(info, ['read', 'write'], 'acme'); // e.g. ['read']
 * ```
 */
export function getMatchedPermissions(
  session: ValidatedSession,
  permissions: string[],
  tenant?: string,
): string[] {
  return matched(granted(session, 'permissions', tenant), permissions);
}

/**
 * The ids of the tenants the user belongs to (the keys of the `tenants` claim).
 *
 * @example
 * ```ts
 * getTenants(info); // ['acme', 'globex']
 * ```
 */
export function getTenants(session: ValidatedSession): string[] {
  return Object.keys(tenantsOf(claimsOf(session)));
}

/**
 * True when `tenant` is a key of the `tenants` claim (how the Ruby and Node SDKs decide membership).
 *
 * @example
 * ```ts
 * if (!isUserInTenant(info, req.params.tenantId)) return res.status(403).end();
 * ```
 */
export function isUserInTenant(session: ValidatedSession, tenant: string): boolean {
  return Object.hasOwn(tenantsOf(claimsOf(session)), tenant);
}

/**
 * The tenant selected with `client.selectTenant` (the `dct` claim), if any.
 *
 * @example
 * ```ts
 * const tenant = getSelectedTenant(info) ?? 'no tenant selected';
 * ```
 */
export function getSelectedTenant(session: ValidatedSession): string | undefined {
  const dct = claimsOf(session).dct;
  return typeof dct === 'string' && dct ? dct : undefined;
}
