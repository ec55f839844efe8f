import { isIP } from 'node:net';
import { z } from 'zod';
import { LatchkeyError } from '../errors.ts';

/**
 * `project.settings.delivery`: which provider carries each channel, the dev outbox switch and the
 * project's templates. Secrets (SMTP password, Twilio token, webhook header values) are write-only:
 * reads show MASK, and a write that sends MASK back keeps the stored value.
 */
export const MASK = '********';

const noLineBreaks = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^\r\n\0]*$/, 'must not contain line breaks');

const hostname = z
  .string()
  .min(1)
  .max(253)
  .refine((h) => /^[A-Za-z0-9.-]+$/.test(h) || isIP(h) !== 0, 'must be a host name or an IP address');

/** `ada@example.com` or `Ada <ada@example.com>` */
const fromAddress = noLineBreaks(320).regex(
  /^(?:[^<>@]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/,
  'must be an address such as "Acme <no-reply@acme.test>"',
);

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048);

export const smtpSchema = z.strictObject({
  host: hostname,
  /** default: 465 with `secure`, else 587 */
  port: z.number().int().min(1).max(65_535).optional(),
  /** implicit TLS from the first byte (usually port 465) */
  secure: z.boolean().optional(),
  /** refuse to send unless the server upgrades with STARTTLS */
  requireTLS: z.boolean().optional(),
  user: noLineBreaks(320).optional(),
  password: z.string().max(1024).optional(),
  from: fromAddress,
  /** PEM certificate(s) to trust in addition to the system's (a private CA or a self-signed server) */
  ca: z.string().max(65_536).includes('-----BEGIN CERTIFICATE-----').optional(),
});

const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, 'must be an HTTP header name');

export const webhookSchema = z.strictObject({
  url: httpUrl,
  /** sent with every call, e.g. `{"Authorization": "Bearer …"}`; values are write-only */
  headers: z.record(headerName, noLineBreaks(4096)).optional(),
});

export const twilioSchema = z.strictObject({
  accountSid: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be letters, digits, "_" or "-"'),
  authToken: z.string().min(1).max(256),
  /** sender number (E.164) or alphanumeric sender id */
  from: noLineBreaks(64).min(1),
  /** WhatsApp sender, when it differs from `from` */
  whatsappFrom: noLineBreaks(64).min(1).optional(),
  /** a Twilio-compatible API; default https://api.twilio.com */
  baseUrl: httpUrl.optional(),
});

const templateKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a message kind or a template id (letters, digits, "_", "-")');

export const emailTemplateSchema = z.strictObject({
  subject: noLineBreaks(998).optional(),
  text: z.string().max(100_000).optional(),
  html: z.string().max(200_000).optional(),
});

export const templatesSchema = z.strictObject({
  /** keyed by message kind (otp, magiclink, enchantedlink, invite, reset) or by a template id */
  email: z.record(templateKey, emailTemplateSchema).optional(),
  text: z.record(templateKey, z.string().min(1).max(1600)).optional(),
});

export const deliverySettingsSchema = z
  .strictObject({
    email: z
      .strictObject({ provider: z.enum(['outbox', 'smtp']).default('outbox'), smtp: smtpSchema.optional() })
      .default({ provider: 'outbox' }),
    text: z
      .strictObject({
        provider: z.enum(['outbox', 'webhook', 'twilio']).default('outbox'),
        webhook: webhookSchema.optional(),
        twilio: twilioSchema.optional(),
      })
      .default({ provider: 'outbox' }),
    /** `enabled` unset: on in development mode, off in production */
    outbox: z.strictObject({ enabled: z.boolean().optional() }).default({}),
    templates: templatesSchema.default({}),
  })
  .superRefine((s, ctx) => {
    const need = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (s.email.provider === 'smtp' && !s.email.smtp)
      need(['email', 'smtp'], 'required when provider is smtp');
    if (s.text.provider === 'webhook' && !s.text.webhook)
      need(['text', 'webhook'], 'required when provider is webhook');
    if (s.text.provider === 'twilio' && !s.text.twilio)
      need(['text', 'twilio'], 'required when provider is twilio');
    const smtp = s.email.smtp;
    if (smtp?.password !== undefined && smtp.user === undefined)
      need(['email', 'smtp', 'user'], 'required when a password is set');
    if (smtp?.secure && smtp.requireTLS)
      need(['email', 'smtp', 'requireTLS'], 'STARTTLS does not apply with secure (implicit TLS): pick one');
  });

export type DeliverySettings = z.infer<typeof deliverySettingsSchema>;
export type SmtpSettings = z.infer<typeof smtpSchema>;
export type WebhookSettings = z.infer<typeof webhookSchema>;
export type TwilioSettings = z.infer<typeof twilioSchema>;
export type TemplateOverrides = z.infer<typeof templatesSchema>;

export type Mode = 'development' | 'production';

const parsed = new WeakMap<object, DeliverySettings>();

/**
 * Reads the stored JSON. Writes are validated, so a failure here means the store was edited by hand:
 * sending is refused rather than guessed at.
 */
export function readDeliverySettings(raw: Record<string, unknown> | undefined): DeliverySettings {
  const source = raw ?? {};
  const cached = parsed.get(source);
  if (cached) return cached;
  const result = deliverySettingsSchema.safeParse(source);
  if (!result.success)
    throw new LatchkeyError(
      'deliveryNotConfigured',
      'The stored delivery settings are invalid: fix them with POST /v1/mgmt/delivery/settings',
    );
  parsed.set(source, result.data);
  return result.data;
}

export const isOutboxEnabled = (settings: DeliverySettings, mode: Mode): boolean =>
  settings.outbox.enabled ?? mode === 'development';

/** The answer of GET /v1/mgmt/delivery/settings: secrets masked. */
export function maskDeliverySettings(settings: DeliverySettings): DeliverySettings {
  const copy = structuredClone(settings);
  if (copy.email.smtp?.password !== undefined) copy.email.smtp.password = MASK;
  if (copy.text.twilio) copy.text.twilio.authToken = MASK;
  const headers = copy.text.webhook?.headers;
  if (headers) for (const name of Object.keys(headers)) headers[name] = MASK;
  return copy;
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge for a partial update: objects merge, anything else replaces, `null` removes the key. */
function deepMerge(base: unknown, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = isPlainObject(base) ? { ...base } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (UNSAFE_KEYS.has(key)) continue;
    if (value === null) delete out[key];
    else if (isPlainObject(value)) out[key] = deepMerge(out[key], value);
    else out[key] = value;
  }
  return out;
}

/** Where a MASK sent back stands for "keep the stored secret". */
function restoreMaskedSecrets(merged: Record<string, unknown>, stored: DeliverySettings): void {
  const at = (root: unknown, ...path: string[]): Record<string, unknown> | undefined => {
    let node = root;
    for (const key of path) node = isPlainObject(node) ? node[key] : undefined;
    return isPlainObject(node) ? node : undefined;
  };
  const keep = (
    target: Record<string, unknown> | undefined,
    key: string,
    storedValue: string | undefined,
  ) => {
    if (target?.[key] !== MASK) return;
    if (storedValue === undefined) delete target[key];
    else target[key] = storedValue;
  };
  keep(at(merged, 'email', 'smtp'), 'password', stored.email.smtp?.password);
  keep(at(merged, 'text', 'twilio'), 'authToken', stored.text.twilio?.authToken);
  const headers = at(merged, 'text', 'webhook', 'headers');
  if (headers)
    for (const name of Object.keys(headers)) keep(headers, name, stored.text.webhook?.headers?.[name]);
}

/** Fields the GET answer adds that a read-modify-write may send back: ignored. */
const READ_ONLY = ['mode', 'outboxActive'];

/**
 * Applies a partial update to the stored settings. Returns the merged, not yet validated, document:
 * the caller validates it whole (so a bad change is refused and nothing is saved).
 */
export function applyDeliveryChange(stored: DeliverySettings, change: unknown): Record<string, unknown> {
  if (!isPlainObject(change))
    throw new LatchkeyError('invalidRequest', 'Invalid request: body must be an object');
  const patch = { ...change };
  for (const key of READ_ONLY) delete patch[key];
  const merged = deepMerge(structuredClone(stored), patch);
  restoreMaskedSecrets(merged, stored);
  return merged;
}
