import { z } from 'zod';
import { LatchkeyError } from '../../errors.ts';
import type { RoutePlugin } from '../../http/app.ts';
import { parseInput } from '../../http/validate.ts';
import {
  type PasswordPolicy,
  type ProjectSettings,
  passwordPolicyChangeSchema,
  projectSettingsSchema,
  signingAlgorithms,
} from '../../projects/settings.ts';
import { passwordlessChangeSchema, rateLimitsChangeSchema } from './changes.ts';

/**
 * Descope's password-settings shape. The Go SDK spells it `nonAlphanumeric`, the Node SDK `nonAlphaNumeric`:
 * both are accepted and both are answered. `enabled` is accepted and always true here. Settings are per
 * project: a tenant-scoped write and password-reuse prevention are refused, not silently ignored.
 */
const passwordSettingsBody = passwordPolicyChangeSchema.extend({
  enabled: z.boolean().optional(),
  nonAlphaNumeric: z.boolean().optional(),
  reuse: z.boolean().optional(),
  reuseAmount: z.number().int().min(0).optional(),
  tenantId: z.string().optional(),
});

const wirePasswordSettings = (policy: PasswordPolicy) => ({
  enabled: true,
  ...policy,
  nonAlphaNumeric: policy.nonAlphanumeric,
  reuse: false,
  reuseAmount: 0,
});

/**
 * Latchkey's own project settings (session lifetimes, rotation, signing algorithm, rate limits, one-time codes
 * and links): not part of the Descope API. Nested sections are partial and merged into what is stored.
 */
const projectSettingsBody = z.object({
  sessionTokenExpiration: z
    .number()
    .int()
    .min(60)
    .max(86_400 * 30)
    .optional(),
  refreshTokenExpiration: z
    .number()
    .int()
    .min(300)
    .max(86_400 * 365)
    .optional(),
  stepupTokenExpiration: z
    .number()
    .int()
    .min(60)
    .max(86_400 * 30)
    .optional(),
  refreshTokenRotation: z.boolean().optional(),
  signingAlgorithm: z.enum(signingAlgorithms).optional(),
  rateLimits: rateLimitsChangeSchema.optional(),
  passwordless: passwordlessChangeSchema.optional(),
  auditRetentionDays: z.number().int().min(1).max(3650).optional(),
});

/** Merges a validated change into the stored settings; nested objects merge, arrays and values replace. */
function applyProjectChanges(
  current: ProjectSettings,
  changes: z.infer<typeof projectSettingsBody>,
  clearDefaultRedirectUrl: boolean,
): ProjectSettings {
  const { rateLimits, passwordless, ...top } = changes;
  const limits = { ...current.rateLimits };
  const { enabled, ...rules } = rateLimits ?? {};
  if (enabled !== undefined) limits.enabled = enabled;
  for (const [name, rule] of Object.entries(rules) as [keyof typeof rules, { max?: number }][]) {
    limits[name] = { ...limits[name], ...rule };
  }
  const codes = { ...current.passwordless, ...passwordless };
  if (clearDefaultRedirectUrl) delete codes.defaultRedirectUrl;
  return projectSettingsSchema.parse({ ...current, ...top, rateLimits: limits, passwordless: codes });
}

/** `parseInput` treats `null` and `""` as absent; here they mean "remove the default redirect URL". */
const clearsDefaultRedirectUrl = (body: unknown): boolean => {
  const passwordless = (body as { passwordless?: unknown } | null)?.passwordless;
  if (!passwordless || typeof passwordless !== 'object' || !('defaultRedirectUrl' in passwordless))
    return false;
  const value = (passwordless as { defaultRedirectUrl: unknown }).defaultRedirectUrl;
  return value === null || value === '';
};

export const settingsRoutes: RoutePlugin = (app, { projects, auth }) => {
  app.get('/v1/mgmt/password/settings', async (req) => {
    const project = await auth.management(req);
    return wirePasswordSettings(project.settings.password);
  });

  app.post('/v1/mgmt/password/settings', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(passwordSettingsBody, req.body);
    const {
      enabled: _enabled,
      nonAlphaNumeric,
      reuse,
      reuseAmount: _reuseAmount,
      tenantId,
      ...changes
    } = body;
    if (tenantId)
      throw new LatchkeyError(
        'invalidArguments',
        'Password settings are per project; per-tenant settings are not supported',
      );
    if (reuse) throw new LatchkeyError('invalidArguments', 'Password reuse prevention is not supported yet');
    // Answers carry both spellings, so a read-modify-write from either SDK sends both: the one that differs
    // from the stored value is the change.
    const stored = project.settings.password.nonAlphanumeric;
    const sent = [changes.nonAlphanumeric, nonAlphaNumeric].filter((v) => v !== undefined);
    if (sent.length > 0) changes.nonAlphanumeric = sent.some((v) => v !== stored) ? !stored : stored;
    const settings = projectSettingsSchema.parse({
      ...project.settings,
      password: { ...project.settings.password, ...changes },
    });
    await projects.updateSettings(project.id, settings);
    auth.invalidateProject(project.id);
    return {};
  });

  app.get('/v1/mgmt/project/settings', async (req) => {
    const project = await auth.management(req);
    // Password settings and message delivery have their own calls; delivery holds provider secrets that its
    // call answers masked, so they are never answered here.
    const { password: _password, delivery: _delivery, ...rest } = project.settings;
    return rest;
  });

  app.post('/v1/mgmt/project/settings', async (req) => {
    const project = await auth.management(req);
    const changes = parseInput(projectSettingsBody, req.body);
    const settings = applyProjectChanges(project.settings, changes, clearsDefaultRedirectUrl(req.body));
    await projects.updateSettings(project.id, settings);
    auth.invalidateProject(project.id);
    return {};
  });
};
