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

const limit = (max: number, windowSeconds: number) =>
  z
    .object({
      max: z.number().int().min(1).max(1_000_000),
      windowSeconds: z.number().int().min(1).max(86_400),
    })
    .default({ max, windowSeconds });

/** Requests allowed per window, counted per login id and per client address, for each group of auth calls. */
export const rateLimitsSchema = z.object({
  enabled: z.boolean().default(true),
  signInPerLoginId: limit(10, 60),
  signInPerIp: limit(100, 60),
  sendPerLoginId: limit(5, 60),
  sendPerIp: limit(50, 60),
  verifyPerLoginId: limit(10, 60),
  verifyPerIp: limit(100, 60),
});

/** One-time codes and links: lifetimes, code length, wrong guesses allowed before a code is burned. */
export const passwordlessSchema = z.object({
  otpExpirationSeconds: z.number().int().min(30).max(3600).default(300),
  otpLength: z.number().int().min(4).max(10).default(6),
  otpMaxAttempts: z.number().int().min(1).max(20).default(5),
  magicLinkExpirationSeconds: z.number().int().min(60).max(86_400).default(900),
  enchantedLinkExpirationSeconds: z.number().int().min(60).max(86_400).default(900),
  /** used when a request names no redirect URL */
  defaultRedirectUrl: z.string().url().optional(),
  /** origins (scheme://host[:port]) a redirect URL may point to; empty allows only the default's origin */
  allowedRedirectOrigins: z.array(z.string().url()).max(100).default([]),
  passwordResetMethod: z.enum(['magiclink', 'otp']).default('magiclink'),
});

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
  /** seconds: the session JWT of a step-up (`su: true`); see docs/tenant-settings.md */
  stepupTokenExpiration: z
    .number()
    .int()
    .min(60)
    .max(86_400 * 30)
    .default(300),
  refreshTokenRotation: z.boolean().default(false),
  signingAlgorithm: z.enum(signingAlgorithms).default('RS256'),
  password: passwordPolicySchema.default(passwordPolicySchema.parse({})),
  passwordless: passwordlessSchema.default(passwordlessSchema.parse({})),
  rateLimits: rateLimitsSchema.default(rateLimitsSchema.parse({})),
  /** message delivery (see delivery/): kept as JSON here, validated by the delivery module */
  delivery: z.record(z.string(), z.unknown()).default({}),
  /** days audit records are kept (searches reach back 30 days at most): see docs/audit.md */
  auditRetentionDays: z.number().int().min(1).max(3650).default(90),
});

export type RateLimits = z.infer<typeof rateLimitsSchema>;
export type PasswordlessSettings = z.infer<typeof passwordlessSchema>;

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
