import type { Generated } from 'kysely';
import type { AuditEventsTable, AuditRefsTable } from '../audit/tables.ts';

/** Row types of every table. Times are epoch seconds; booleans are 0/1; `*_json` columns hold JSON text. */
export interface ProjectsTable {
  id: string;
  name: string;
  settings_json: string;
  created_time: number;
}

export interface ManagementKeysTable {
  id: string;
  project_id: string;
  name: string;
  key_hash: string;
  created_time: number;
}

export interface SigningKeysTable {
  kid: string;
  project_id: string;
  alg: string;
  private_jwk: string;
  public_jwk: string;
  created_time: number;
  /** when it stopped signing; null while active */
  retired_time: number | null;
  /** when it leaves the JWKS: every token it signed has expired */
  unpublish_time: number | null;
}

export interface TenantsTable {
  project_id: string;
  id: string;
  name: string;
  name_lower: string;
  self_provisioning_domains_json: string;
  custom_attributes_json: string;
  enforce_sso: number;
  enforce_sso_exclusions_json: string;
  disabled: number;
  parent: string;
  role_inheritance: string;
  created_time: number;
}

export interface UsersTable {
  project_id: string;
  id: string;
  name: string;
  given_name: string;
  middle_name: string;
  family_name: string;
  email: string;
  phone: string;
  verified_email: number;
  verified_phone: number;
  picture: string;
  status: string;
  test: number;
  custom_attributes_json: string;
  sso_app_ids_json: string;
  password_hash: string | null;
  /** active | temporary | expired */
  password_state: string;
  password_set_time: number | null;
  failed_attempts: number;
  created_time: number;
  modified_time: number;
  /** base32 TOTP seed, null when the user has no authenticator */
  totp_secret: string | null;
  /** the last 30-second step accepted, so a code is never accepted twice */
  totp_last_step: number | null;
}

export interface LoginIdsTable {
  project_id: string;
  login_id: string;
  user_id: string;
  position: number;
}

export interface UserTenantsTable {
  project_id: string;
  user_id: string;
  tenant_id: string;
  created_time: number;
}

export interface UserRolesTable {
  project_id: string;
  user_id: string;
  /** '' for project-level roles */
  tenant_id: string;
  role_name: string;
}

export interface RolesTable {
  project_id: string;
  /** '' for project-level roles */
  tenant_id: string;
  name: string;
  description: string;
  permission_names_json: string;
  is_default: number;
  is_private: number;
  created_time: number;
}

export interface PermissionsTable {
  project_id: string;
  name: string;
  description: string;
  created_time: number;
}

export interface RefreshTokensTable {
  project_id: string;
  jti: string;
  user_id: string;
  issued_time: number;
  expires_time: number;
  revoked_time: number | null;
  /** last refresh of the session (tenant inactivity timeout); null until the first one */
  last_active_time: number | null;
}

export interface LoginHistoryTable {
  id: Generated<number>;
  project_id: string;
  user_id: string;
  login_time: number;
  ip: string;
  city: string;
  country: string;
  selected_tenant: string;
  method: string;
}

export interface OneTimeSecretsTable {
  project_id: string;
  id: string;
  /** otp | magiclink | enchanted-link | enchanted-pending | embedded */
  kind: string;
  /** sha256 of the code or token: the secret itself is never stored */
  secret_hash: string;
  login_id: string;
  /** '' until the user exists (sign-up creates it at verification) */
  user_id: string;
  method: string;
  /** '' | verified (enchanted-link pending sessions) */
  state: string;
  /** enchanted links: the id of their pending session ('' otherwise) */
  group_id: string;
  payload_json: string;
  attempts: number;
  expires_time: number;
  consumed_time: number | null;
  created_time: number;
}

export interface OutboxMessagesTable {
  project_id: string;
  id: string;
  channel: string;
  kind: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  created_time: number;
}

export interface AuthzSchemasTable {
  project_id: string;
  /** the AuthzSchema wire object */
  schema_json: string;
  modified_time: number;
}

/** Per-project counter of ReBAC writes (schema or relations): a cache built at another version is stale. */
export interface AuthzVersionsTable {
  project_id: string;
  version: number;
}

/** One entry of the ReBAC change log: `kind` relation (resource, target) or schema (both ''); `changed_at` in epoch ms. */
export interface AuthzChangesTable {
  project_id: string;
  changed_at: number;
  kind: string;
  resource: string;
  target: string;
}

/** One stored ReBAC relation; of `target` and the `target_set_*` columns, the unused side holds ''. */
export interface AuthzRelationsTable {
  project_id: string;
  namespace: string;
  resource: string;
  relation_definition: string;
  target: string;
  target_set_resource: string;
  target_set_relation_definition: string;
  target_set_namespace: string;
  created_time: number;
}

/**
 * One access key. The cleartext is never stored: `key_hash` is its SHA-256 (the cleartext is 56 random
 * base62 characters, so a fast hash is enough). Times are epoch seconds; `expire_time` 0 = never.
 */
export interface AccessKeysTable {
  project_id: string;
  id: string;
  name: string;
  description: string;
  key_hash: string;
  /** active | inactive */
  status: string;
  expire_time: number;
  created_time: number;
  created_by: string;
  role_names_json: string;
  /** `[{tenantId, roleNames}]` */
  key_tenants_json: string;
  custom_claims_json: string;
  custom_attributes_json: string;
  permitted_ips_json: string;
  /** '' when the key is not bound to a user */
  bound_user_id: string;
}

/** A tenant's session policy and settings (docs/tenant-settings.md); `settings_json` is the stored TenantSettings. */
export interface TenantSettingsTable {
  project_id: string;
  tenant_id: string;
  /** 1 when the session policy overrides the project's */
  enabled: number;
  settings_json: string;
  modified_time: number;
}

/** A flow document (reference §3.9); `flow_json` is the whole Flow object, name and state copied out for listing. */
export interface FlowsTable {
  project_id: string;
  id: string;
  name: string;
  description: string;
  disabled: number;
  flow_json: string;
  etag: string;
  modified_time: number;
}

/** One screen of a flow, in `position` order; `screen_json` is the whole Screen object. */
export interface FlowScreensTable {
  project_id: string;
  flow_id: string;
  id: string;
  position: number;
  screen_json: string;
}

/** The project theme (one per project); `version` grows by one on every import. */
export interface ThemesTable {
  project_id: string;
  theme_json: string;
  version: number;
  modified_time: number;
}

/** A typed custom attribute definition; `definition_json` holds type, options, display name, includeInJwt. */
export interface CustomAttributesTable {
  project_id: string;
  /** user | tenant */
  scope: string;
  name: string;
  definition_json: string;
  created_time: number;
}

export interface Database {
  custom_attributes: CustomAttributesTable;
  flows: FlowsTable;
  flow_screens: FlowScreensTable;
  themes: ThemesTable;
  audit_events: AuditEventsTable;
  audit_refs: AuditRefsTable;
  access_keys: AccessKeysTable;
  authz_schemas: AuthzSchemasTable;
  authz_relations: AuthzRelationsTable;
  authz_versions: AuthzVersionsTable;
  authz_changes: AuthzChangesTable;
  one_time_secrets: OneTimeSecretsTable;
  outbox_messages: OutboxMessagesTable;
  projects: ProjectsTable;
  management_keys: ManagementKeysTable;
  signing_keys: SigningKeysTable;
  tenants: TenantsTable;
  users: UsersTable;
  login_ids: LoginIdsTable;
  user_tenants: UserTenantsTable;
  user_roles: UserRolesTable;
  roles: RolesTable;
  permissions: PermissionsTable;
  refresh_tokens: RefreshTokensTable;
  tenant_settings: TenantSettingsTable;
  login_history: LoginHistoryTable;
}
