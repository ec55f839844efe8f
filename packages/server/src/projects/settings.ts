import { z } from 'zod';

const passwordPolicyFields = {
  minLength: z.number().int().min(1).max(128),
  lowercase: z.boolean(),
  uppercase: z.boolean(),
  number: z.boolean(),
  nonAlphanumeric: z.boolean(),
  lock: z.boolean(),
  lockAttempts: z.number().int().min(1).max(100),
  expiration: z.boolean(),
  expirationWeeks: z.number().int().min(1).max(520),
};

/** Per-project settings, stored as JSON; every field has a documented default. */
export const passwordPolicySchema = z.object({
  minLength: passwordPolicyFields.minLength.default(8),
  lowercase: passwordPolicyFields.lowercase.default(true),
  uppercase: passwordPolicyFields.uppercase.default(true),
  number: passwordPolicyFields.number.default(true),
  nonAlphanumeric: passwordPolicyFields.nonAlphanumeric.default(false),
  lock: passwordPolicyFields.lock.default(true),
  lockAttempts: passwordPolicyFields.lockAttempts.default(10),
  expiration: passwordPolicyFields.expiration.default(false),
  expirationWeeks: passwordPolicyFields.expirationWeeks.default(26),
});

/** A change to the policy: only the fields given are set (zod's `.partial()` would fill in the defaults). */
export const passwordPolicyChangeSchema = z.object(passwordPolicyFields).partial();

export const signingAlgorithms = ['RS256', 'ES256', 'EdDSA'] as const;
export type SigningAlgorithm = (typeof signingAlgorithms)[number];

export const projectSettingsSchema = z.object({
  /** seconds */
  sessionTokenExpiration: z
    .number()
    .int()
    .min(60)
    .max(86_400 * 30)
    .default(600),
  /** seconds */
  refreshTokenExpiration: z
    .number()
    .int()
    .min(300)
    .max(86_400 * 365)
    .default(86_400 * 28),
  refreshTokenRotation: z.boolean().default(false),
  signingAlgorithm: z.enum(signingAlgorithms).default('RS256'),
  password: passwordPolicySchema.default(passwordPolicySchema.parse({})),
});

export type ProjectSettings = z.infer<typeof projectSettingsSchema>;
export type PasswordPolicy = z.infer<typeof passwordPolicySchema>;

export const defaultProjectSettings = (): ProjectSettings => projectSettingsSchema.parse({});

export function readSettings(json: string): ProjectSettings {
  try {
    return projectSettingsSchema.parse(JSON.parse(json));
  } catch {
    return defaultProjectSettings();
  }
}
