import { z } from 'zod';
import type { Project } from '../../projects/repo.ts';
import type { Db } from '../../store/db.ts';
import { nowSeconds, parseJson } from '../../util.ts';

const expirationUnits = ['minutes', 'hours', 'days', 'weeks'] as const;
export type ExpirationUnit = (typeof expirationUnits)[number];
const UNIT_SECONDS: Record<ExpirationUnit, number> = {
  minutes: 60,
  hours: 3_600,
  days: 86_400,
  weeks: 604_800,
};
const DAY = 86_400;

/** Largest accepted value of each duration, in seconds: anything above is a typo, not a policy. */
const SETTING_LIMITS = {
  sessionToken: 30 * DAY,
  refreshToken: 365 * DAY,
  stepupToken: 30 * DAY,
  inactivity: 365 * DAY,
} as const;

// Go sends 0 for every unset number: 0 means "not set" (the project's value applies), negatives are refused.
const amount = z.number().int().min(0).max(1_000_000);
const unit = z.enum(expirationUnits);
const domainList = z
  .array(z.string().regex(/^[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$/, 'must be a domain name'))
  .max(100);

/** The request body of `POST /v1/mgmt/tenant/settings` (reference §4.4); Node spells the inactivity keys `InactivityTime*`. */
export const configureSettingsBody = z.object({
  tenantId: z.string().min(1),
  selfProvisioningDomains: domainList.optional(),
  domains: domainList.optional(),
  authType: z.enum(['none', 'saml', 'oidc']).optional(),
  enabled: z.boolean().optional(),
  sessionTokenExpiration: amount.optional(),
  sessionTokenExpirationUnit: unit.optional(),
  refreshTokenExpiration: amount.optional(),
  refreshTokenExpirationUnit: unit.optional(),
  stepupTokenExpiration: amount.optional(),
  stepupTokenExpirationUnit: unit.optional(),
  enableInactivity: z.boolean().optional(),
  inactivityTime: amount.optional(),
  inactivityTimeUnit: unit.optional(),
  InactivityTime: amount.optional(),
  InactivityTimeUnit: unit.optional(),
  JITDisabled: z.boolean().optional(),
  ssoSetupSuiteSettings: z
    .object({
      enabled: z.boolean().optional(),
      styleId: z.string().max(256).optional(),
      disabledFeatures: z
        .object({
          saml: z.boolean().optional(),
          oidc: z.boolean().optional(),
          scim: z.boolean().optional(),
          ssoDomains: z.boolean().optional(),
          groupMapping: z.boolean().optional(),
        })
        .optional(),
    })
    .optional(),
});
export type ConfigureSettingsInput = z.infer<typeof configureSettingsBody>;

type Duration = { value: number; unit: ExpirationUnit };

/** What is stored per tenant (`tenant_settings.settings_json`); an absent duration means "the project's". */
export type StoredTenantSettings = {
  domains: string[];
  sessionToken?: Duration;
  refreshToken?: Duration;
  stepupToken?: Duration;
  enableInactivity: boolean;
  inactivity?: Duration;
  JITDisabled: boolean;
  ssoSetupSuiteSettings?: ConfigureSettingsInput['ssoSetupSuiteSettings'];
};

export type TenantSettingsRecord = { enabled: boolean; settings: StoredTenantSettings };

const seconds = (d: Duration | undefined): number | undefined =>
  d ? d.value * UNIT_SECONDS[d.unit] : undefined;

/**
 * Turns a request into stored settings, or names what is wrong. A value without its unit is in minutes
 * (Descope's console default for session lifetimes, and the smallest unit).
 */
export function toStoredSettings(input: ConfigureSettingsInput): StoredTenantSettings | { error: string } {
  const duration = (
    name: string,
    value: number | undefined,
    u: ExpirationUnit | undefined,
    maxSeconds: number,
  ): Duration | string | undefined => {
    if (!value) return undefined;
    const d: Duration = { value, unit: u ?? 'minutes' };
    const s = seconds(d)!;
    if (s > maxSeconds) return `${name} is longer than ${maxSeconds / DAY} days`;
    return d;
  };
  const fields = {
    sessionToken: duration(
      'sessionTokenExpiration',
      input.sessionTokenExpiration,
      input.sessionTokenExpirationUnit,
      SETTING_LIMITS.sessionToken,
    ),
    refreshToken: duration(
      'refreshTokenExpiration',
      input.refreshTokenExpiration,
      input.refreshTokenExpirationUnit,
      SETTING_LIMITS.refreshToken,
    ),
    stepupToken: duration(
      'stepupTokenExpiration',
      input.stepupTokenExpiration,
      input.stepupTokenExpirationUnit,
      SETTING_LIMITS.stepupToken,
    ),
    inactivity: duration(
      'inactivityTime',
      input.inactivityTime ?? input.InactivityTime,
      input.inactivityTimeUnit ?? input.InactivityTimeUnit,
      SETTING_LIMITS.inactivity,
    ),
  };
  const errors = Object.values(fields).filter((f): f is string => typeof f === 'string');
  if (errors.length > 0) return { error: errors.join('; ') };
  const enableInactivity = input.enableInactivity ?? false;
  if (enableInactivity && !fields.inactivity) {
    return { error: 'enableInactivity needs a positive inactivityTime' };
  }
  return {
    domains: (input.domains ?? []).map((d) => d.toLowerCase()),
    sessionToken: fields.sessionToken as Duration | undefined,
    refreshToken: fields.refreshToken as Duration | undefined,
    stepupToken: fields.stepupToken as Duration | undefined,
    enableInactivity,
    inactivity: fields.inactivity as Duration | undefined,
    JITDisabled: input.JITDisabled ?? false,
    ...(input.ssoSetupSuiteSettings ? { ssoSetupSuiteSettings: input.ssoSetupSuiteSettings } : {}),
  };
}

const EMPTY: TenantSettingsRecord = {
  enabled: false,
  settings: { domains: [], enableInactivity: false, JITDisabled: false },
};

/** The TenantSettings wire object (reference §4.4); unset durations are left out. */
export function toWireSettings(record: TenantSettingsRecord | undefined, selfProvisioningDomains: string[]) {
  const { enabled, settings: s } = record ?? EMPTY;
  const pair = (name: string, d: Duration | undefined) =>
    d ? { [name]: d.value, [`${name}Unit`]: d.unit } : {};
  return {
    selfProvisioningDomains,
    domains: s.domains,
    // SSO is configured elsewhere; a tenant without SSO configuration authenticates with "none".
    authType: 'none',
    enabled,
    ...pair('sessionTokenExpiration', s.sessionToken),
    ...pair('refreshTokenExpiration', s.refreshToken),
    ...pair('stepupTokenExpiration', s.stepupToken),
    enableInactivity: s.enableInactivity,
    // Go reads `inactivityTime`, Node's type says `InactivityTime`: send both.
    ...pair('inactivityTime', s.inactivity),
    ...pair('InactivityTime', s.inactivity),
    JITDisabled: s.JITDisabled,
    ...(s.ssoSetupSuiteSettings ? { ssoSetupSuiteSettings: s.ssoSetupSuiteSettings } : {}),
  };
}

export function createTenantSettingsRepo() {
  return {
    async get(db: Db, projectId: string, tenantId: string): Promise<TenantSettingsRecord | undefined> {
      const row = await db
        .selectFrom('tenant_settings')
        .select(['enabled', 'settings_json'])
        .where('project_id', '=', projectId)
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      return row && { enabled: row.enabled === 1, settings: parseJson(row.settings_json, EMPTY.settings) };
    },
    async put(db: Db, projectId: string, tenantId: string, record: TenantSettingsRecord): Promise<void> {
      const values = {
        enabled: record.enabled ? 1 : 0,
        settings_json: JSON.stringify(record.settings),
        modified_time: nowSeconds(),
      };
      await db
        .insertInto('tenant_settings')
        .values({ project_id: projectId, tenant_id: tenantId, ...values })
        .onConflict((oc) => oc.columns(['project_id', 'tenant_id']).doUpdateSet(values))
        .execute();
    },
  };
}

/** Lifetimes in seconds that apply to one user's sessions. */
export type SessionPolicy = {
  sessionSeconds: number;
  refreshSeconds: number;
  /** the session JWT of a step-up (`su: true`) */
  stepupSeconds: number;
  inactivitySeconds?: number;
};

/**
 * The session policy for a member of `tenantIds`: the project's, tightened by every tenant (of all the
 * user's tenants, whichever is selected) whose override is enabled. The stricter value wins field by field
 * (tenant-management guide: "a merged policy favoring stricter security"). A tenant value longer than the
 * project's is capped at the project's: the project lifetimes bound how long a retired signing key stays
 * published (tokenLifetimeBound), so no token may outlive them.
 */
export async function sessionPolicyFor(
  db: Db,
  project: Project,
  tenantIds: readonly string[],
): Promise<SessionPolicy> {
  const policy: SessionPolicy = {
    sessionSeconds: project.settings.sessionTokenExpiration,
    refreshSeconds: project.settings.refreshTokenExpiration,
    stepupSeconds: project.settings.stepupTokenExpiration,
  };
  if (tenantIds.length === 0) return policy;
  const rows = await db
    .selectFrom('tenant_settings')
    .select('settings_json')
    .where('project_id', '=', project.id)
    .where('tenant_id', 'in', [...tenantIds])
    .where('enabled', '=', 1)
    .execute();
  for (const row of rows) {
    const s = parseJson<StoredTenantSettings>(row.settings_json, EMPTY.settings);
    policy.sessionSeconds = Math.min(policy.sessionSeconds, seconds(s.sessionToken) ?? Infinity);
    policy.refreshSeconds = Math.min(policy.refreshSeconds, seconds(s.refreshToken) ?? Infinity);
    policy.stepupSeconds = Math.min(policy.stepupSeconds, seconds(s.stepupToken) ?? Infinity);
    const inactivity = s.enableInactivity ? seconds(s.inactivity) : undefined;
    if (inactivity) policy.inactivitySeconds = Math.min(policy.inactivitySeconds ?? Infinity, inactivity);
  }
  return policy;
}
