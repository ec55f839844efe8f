/**
 * @latchkey/sdk: a TypeScript client for Latchkey and the Descope wire protocol.
 *
 * @example
 * ```ts
 * import { createLatchkeyClient, readSessionCookies, validateRoles } from '@latchkey/sdk';
 *
 * const client = createLatchkeyClient({ projectId: process.env.LATCHKEY_PROJECT_ID!, baseUrl: 'http://localhost:4000' });
 * const { sessionJwt, refreshJwt } = readSessionCookies(req.headers.cookie);
 * const info = await client.validateAndRefreshSession(sessionJwt, refreshJwt);
 * if (!validateRoles(info, ['admin'])) throw new Error('forbidden');
 * ```
 * @packageDocumentation
 */
export type {
  AccessKeyExchangeApi,
  AccessKeyExchangeResponse,
  AccessKeyLoginOptions,
} from './auth/access-key.ts';
export type {
  EnchantedLinkApi,
  EnchantedLinkResponse,
  WaitForSessionOptions,
} from './auth/enchanted-link.ts';
export type { MagicLinkApi } from './auth/magic-link.ts';
export type { OtpApi } from './auth/otp.ts';
export type { LoginOptions, PasswordApi, PasswordResetResponse, SignUpUser } from './auth/password.ts';
export type {
  DeliveryMethod,
  LinkMethod,
  MaskedAddress,
  MaskedEmail,
  MaskedPhone,
  PhoneMethod,
  SignUpOptions,
  UpdateOptions,
} from './auth/passwordless.ts';
export type { SessionApi } from './auth/session.ts';
export type { TotpApi, TotpResponse } from './auth/totp.ts';
export {
  getMatchedPermissions,
  getMatchedRoles,
  getSelectedTenant,
  getTenants,
  isUserInTenant,
  type ValidatedSession,
  validatePermissions,
  validateRoles,
  validateTenantPermissions,
  validateTenantRoles,
} from './authorization.ts';
export { createLatchkeyClient, type LatchkeyClient, type LatchkeyClientOptions } from './client.ts';
export {
  buildLogoutCookies,
  buildSessionCookies,
  parseCookies,
  REFRESH_COOKIE_NAME,
  readSessionCookies,
  SESSION_COOKIE_NAME,
  type SessionCookieOptions,
} from './cookies.ts';
export {
  ERROR_CODES,
  type ErrorCode,
  isLatchkeyApiError,
  LatchkeyApiError,
  LatchkeySessionError,
  type SessionErrorReason,
} from './errors.ts';
export type {
  AccessKey,
  AccessKeyApi,
  AccessKeyOptions,
  AccessKeySearch,
  AccessKeyTenant,
  AccessKeyUpdate,
  CreatedAccessKey,
} from './management/access-keys.ts';
export type {
  AuditApi,
  AuditDevice,
  AuditEventOptions,
  AuditRecord,
  AuditSearchOptions,
} from './management/audit.ts';
export type {
  AuthzApi,
  AuthzModified,
  AuthzNamespace,
  AuthzNode,
  AuthzNodeExpression,
  AuthzRelation,
  AuthzRelationDefinition,
  AuthzRelationQuery,
  AuthzSchema,
} from './management/authz.ts';
export type {
  CustomAttributeApi,
  CustomAttributeDefinition,
  CustomAttributeType,
  StoredCustomAttribute,
} from './management/custom-attributes.ts';
export type {
  Flow,
  FlowApi,
  FlowScreen,
  FlowSummary,
  FlowWithScreens,
  Theme,
  ThemeApi,
} from './management/flows.ts';
export type { ManagementApi } from './management/index.ts';
export type { ImpersonateOptions, JwtApi } from './management/jwt.ts';
export type { PermissionApi } from './management/permissions.ts';
export type {
  ClonedProject,
  ProjectAdminApi,
  SnapshotFiles,
  SnapshotImportOptions,
  SnapshotValidation,
} from './management/project.ts';
export type { RoleApi, RoleOptions, RoleSearch } from './management/roles.ts';
export type {
  PasswordlessSettings,
  PasswordSettings,
  PasswordSettingsApi,
  ProjectSettings,
  ProjectSettingsApi,
  ProjectSettingsChange,
  RateLimitRule,
  RateLimitSettings,
} from './management/settings.ts';
export type {
  ExpirationUnit,
  TenantApi,
  TenantOptions,
  TenantSearch,
  TenantSettings,
} from './management/tenants.ts';
export type {
  TestDeliveryMethod,
  TestEnchantedLink,
  TestMagicLink,
  TestOtp,
  TestUserApi,
} from './management/test-users.ts';
export type {
  AssociatedTenant,
  BatchCreateResponse,
  BatchDeleteResponse,
  BatchPatchResponse,
  BatchUser,
  ContactUpdateOptions,
  EmbeddedSignUpOptions,
  HashedPassword,
  InviteOptions,
  UserNames,
  UserOptions,
  UserSearch,
  UserSearchResult,
} from './management/user-types.ts';
export type { UserApi } from './management/users.ts';
export type {
  AuthenticationInfo,
  JwtResponse,
  LoginHistoryRecord,
  PasswordPolicy,
  Permission,
  Role,
  SessionClaims,
  Tenant,
  User,
  UserTenant,
} from './types.ts';
export type { ValidationOptions } from './validation/session.ts';
