import { z } from 'zod';
import { passwordlessSchema, rateLimitsSchema } from '../../projects/settings.ts';

/**
 * Change schemas for the nested project-settings sections. They reuse the field rules of
 * `projects/settings.ts` with the defaults unwrapped (zod's `.partial()` would still fill defaults in, and a
 * change must only touch what it names), and they are strict: a misspelt limit is refused, not ignored.
 */
const rule = (name: Exclude<keyof typeof rateLimitsSchema.shape, 'enabled'>) =>
  rateLimitsSchema.shape[name].unwrap().partial().strict();

export const rateLimitsChangeSchema = z
  .object({
    enabled: rateLimitsSchema.shape.enabled.unwrap(),
    signInPerLoginId: rule('signInPerLoginId'),
    signInPerIp: rule('signInPerIp'),
    sendPerLoginId: rule('sendPerLoginId'),
    sendPerIp: rule('sendPerIp'),
    verifyPerLoginId: rule('verifyPerLoginId'),
    verifyPerIp: rule('verifyPerIp'),
  })
  .partial()
  .strict();

const UNSAFE_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'blob:']);

/** A bare web origin (`https://app.example.com[:port]`); a trailing `/` is accepted and dropped. */
const origin = z
  .string()
  .url()
  .transform((value, ctx) => {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    const bare =
      url &&
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      !url.username &&
      !url.password &&
      url.pathname === '/' &&
      !url.search &&
      !url.hash &&
      !value.includes('?') &&
      !value.includes('#');
    if (!url || !bare) {
      ctx.addIssue({
        code: 'custom',
        message: `must be an origin like https://app.example.com, not ${value}`,
      });
      return z.NEVER;
    }
    return url.origin;
  });

const p = passwordlessSchema.shape;
export const passwordlessChangeSchema = z
  .object({
    otpExpirationSeconds: p.otpExpirationSeconds.unwrap(),
    otpLength: p.otpLength.unwrap(),
    otpMaxAttempts: p.otpMaxAttempts.unwrap(),
    magicLinkExpirationSeconds: p.magicLinkExpirationSeconds.unwrap(),
    enchantedLinkExpirationSeconds: p.enchantedLinkExpirationSeconds.unwrap(),
    defaultRedirectUrl: p.defaultRedirectUrl
      .unwrap()
      .refine(
        (v) => !URL.canParse(v) || !UNSAFE_SCHEMES.has(new URL(v).protocol),
        'must not be a script, data or file URL',
      ),
    allowedRedirectOrigins: z.array(origin).max(100),
    passwordResetMethod: p.passwordResetMethod.unwrap(),
  })
  .partial()
  .strict();
