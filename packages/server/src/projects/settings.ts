import { z } from 'zod';

/** Per-project settings, stored as JSON; every field has a documented default. */
export const passwordPolicySchema = z.object({
  minLength: z.number().int().min(1).max(128).default(8),
  lowercase: z.boolean().default(true),
  uppercase: z.boolean().default(true),
  number: z.boolean().default(true),
  nonAlphanumeric: z.boolean().default(false),
  lock: z.boolean().default(true),
  lockAttempts: z.number().int().min(1).max(100).default(10),
  expiration: z.boolean().default(false),
  expirationWeeks: z.number().int().min(1).max(520).default(26),
});

export const signingAlgorithms = ['RS256', 'ES256', 'EdDSA'] as const;
export type SigningAlgorithm = (typeof signingAlgorithms)[number];

export const projectSettingsSchema = z.object({
  /** seconds */
  sessionTokenExpiration: z.number().int().min(60).max(86_400 * 30).default(600),
  /** seconds */
  refreshTokenExpiration: z.number().int().min(300).max(86_400 * 365).default(86_400 * 28),
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
