/**
 * Objects of the Descope wire contract as Latchkey returns them (reference §4). Fields a server may
 * add later are allowed by the index-free shapes staying structural: extra keys pass through untouched.
 */

/**
 * A user's membership of a tenant, with the roles held there.
 *
 * @example
 * ```ts
 * const membership: UserTenant = { tenantId: 'acme', tenantName: 'Acme', roleNames: ['admin'] };
 * ```
 */
export type UserTenant = {
  tenantId: string;
  tenantName?: string;
  roleNames: string[];
  permissions?: string[];
};

/**
 * A user (reference §4.1), as returned by management calls, `me` and inside JWT responses.
 *
 * @example
 * ```ts
 * const user: User = await client.management.user.load('ada@example.com');
 * console.log(user.userId, user.loginIds[0], user.status);
 * ```
 */
export type User = {
  userId: string;
  loginIds: string[];
  name: string;
  givenName?: string;
  middleName?: string;
  familyName?: string;
  email: string;
  phone: string;
  verifiedEmail: boolean;
  verifiedPhone: boolean;
  roleNames: string[];
  userTenants: UserTenant[];
  status: 'enabled' | 'disabled' | 'invited' | 'expired';
  customAttributes: Record<string, unknown>;
  picture: string;
  test: boolean;
  createdTime: number;
  modifiedTime?: number;
  totp?: boolean;
  webauthn?: boolean;
  password?: boolean;
  saml?: boolean;
  scim?: boolean;
  oauth?: Record<string, boolean>;
  ssoAppIds?: string[];
};

/**
 * The answer of every sign-in style call (password sign-up/in/replace, refresh, tenant select).
 * `refreshJwt` is absent on a refresh when the server does not rotate refresh tokens.
 *
 * @example
 * ```ts
 * const res: JwtResponse = await client.password.signIn('ada@example.com', 'S3cure-password');
 * res.sessionJwt; // short-lived, send with every request
 * res.refreshJwt; // long-lived, keep in an HttpOnly cookie
 * ```
 */
export type JwtResponse = {
  sessionJwt: string;
  refreshJwt?: string;
  cookieDomain?: string;
  cookiePath?: string;
  /** seconds */
  cookieMaxAge?: number;
  /** epoch seconds */
  cookieExpiration?: number;
  /** epoch seconds */
  sessionExpiration?: number;
  user?: User;
  firstSeen?: boolean;
};

/**
 * The claims of a validated session (or refresh) JWT (reference §1.10).
 *
 * @example
 * ```ts
 * const { token }: { token: SessionClaims } = await client.validateSession(sessionJwt);
 * console.log(token.sub, token.roles, token.tenants, token.dct);
 * ```
 */
export type SessionClaims = {
  sub: string;
  iss: string;
  exp: number;
  iat?: number;
  aud?: string | string[];
  drn?: string;
  amr?: string[];
  roles?: string[];
  permissions?: string[];
  /** per tenant: roles, permissions and the tenant's attributes defined with `includeInJwt` */
  tenants?: Record<
    string,
    {
      roles?: string[];
      permissions?: string[];
      customAttributes?: Record<string, unknown>;
      [claim: string]: unknown;
    }
  >;
  /** the selected tenant (after tenant selection) */
  dct?: string;
  /** the user's attributes defined with `includeInJwt` */
  customAttributes?: Record<string, unknown>;
  /** `true` on the session JWT of a step-up (`loginOptions.stepup`), for the step-up lifetime */
  su?: boolean;
  [claim: string]: unknown;
};

/**
 * A validated session: the JWT, its verified claims and, after a refresh, the refresh JWT to keep and
 * the server's full response (for {@link buildSessionCookies}).
 *
 * @example
 * ```ts
 * const info: AuthenticationInfo = await client.validateAndRefreshSession(sessionJwt, refreshJwt);
 * if (info.response) res.setHeader('Set-Cookie', buildSessionCookies(info.response));
 * ```
 */
export type AuthenticationInfo = {
  /** the session JWT that was validated */
  jwt: string;
  /** its verified claims */
  token: SessionClaims;
  /** after a refresh: the refresh JWT to keep (the new one when the server rotates) */
  refreshJwt?: string;
  /** after a refresh: the server's JWT response */
  response?: JwtResponse;
};

/**
 * One sign-in record (reference §2.12). `loginTime` is in epoch seconds.
 *
 * @example
 * ```ts
 * const [last]: LoginHistoryRecord[] = await client.history(refreshJwt);
 * console.log(new Date(last.loginTime * 1000), last.ip);
 * ```
 */
export type LoginHistoryRecord = {
  userId: string;
  loginTime: number;
  city: string;
  country: string;
  ip: string;
  selectedTenant?: string;
};

/**
 * A tenant (reference §4.3).
 *
 * @example
 * ```ts
 * const tenant: Tenant = await client.management.tenant.load('acme');
 * ```
 */
export type Tenant = {
  id: string;
  name: string;
  selfProvisioningDomains: string[];
  customAttributes: Record<string, unknown>;
  authType?: string;
  domains?: string[];
  createdTime?: number;
  enforceSSO?: boolean;
  enforceSSOExclusions?: string[];
  disabled?: boolean;
  parent?: string;
  roleInheritance?: '' | 'none' | 'userOnly';
};

/**
 * A role (reference §4.7). A project role has `tenantId` `''`.
 *
 * @example
 * ```ts
 * const roles: Role[] = await client.management.role.loadAll();
 * ```
 */
export type Role = {
  name: string;
  description: string;
  permissionNames: string[];
  tenantId?: string;
  createdTime?: number;
  default?: boolean;
  private?: boolean;
};

/**
 * A permission (reference §4.6).
 *
 * @example
 * ```ts
 * const permissions: Permission[] = await client.management.permission.loadAll();
 * ```
 */
export type Permission = { name: string; description: string; systemDefault?: boolean };

/**
 * The password rules users must meet (`GET /v1/auth/password/policy`).
 *
 * @example
 * ```ts
 * const policy: PasswordPolicy = await client.password.policy();
 * if (candidate.length < policy.minLength) showError();
 * ```
 */
export type PasswordPolicy = {
  minLength: number;
  lowercase: boolean;
  uppercase: boolean;
  number: boolean;
  nonAlphanumeric: boolean;
};
