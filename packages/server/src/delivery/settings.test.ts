import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyDeliveryChange,
  deliverySettingsSchema,
  isOutboxEnabled,
  MASK,
  maskDeliverySettings,
} from './settings.ts';

const stored = deliverySettingsSchema.parse({
  email: {
    provider: 'smtp',
    smtp: { host: 'smtp.example.test', port: 587, user: 'mailer', password: 'smtp-secret', from: 'a@x.test' },
  },
  text: {
    provider: 'twilio',
    twilio: { accountSid: 'AC1', authToken: 'twilio-secret', from: '+15550001' },
    webhook: { url: 'https://hooks.example.test/sms', headers: { Authorization: 'Bearer hook-secret' } },
  },
});

test('reads mask every secret and leave the rest', () => {
  const masked = maskDeliverySettings(stored);
  assert.equal(masked.email.smtp?.password, MASK);
  assert.equal(masked.text.twilio?.authToken, MASK);
  assert.deepEqual(masked.text.webhook?.headers, { Authorization: MASK });
  assert.equal(masked.email.smtp?.host, 'smtp.example.test');
  assert.equal(stored.email.smtp?.password, 'smtp-secret', 'the stored settings are not touched');
});

test('a masked read sent back keeps every stored secret', () => {
  const merged = deliverySettingsSchema.parse(applyDeliveryChange(stored, maskDeliverySettings(stored)));
  assert.deepEqual(merged, stored);
});

test('a partial change merges deeply; null removes; read-only fields are ignored', () => {
  const merged = deliverySettingsSchema.parse(
    applyDeliveryChange(stored, {
      email: { smtp: { port: 2525 } },
      text: { webhook: null },
      mode: 'production',
      outboxActive: true,
    }),
  );
  assert.equal(merged.email.smtp?.port, 2525);
  assert.equal(merged.email.smtp?.password, 'smtp-secret');
  assert.equal(merged.text.webhook, undefined);
  assert.equal(merged.text.twilio?.authToken, 'twilio-secret');
});

test('a prototype key in a change is ignored', () => {
  const merged = applyDeliveryChange(stored, JSON.parse('{"__proto__": {"polluted": true}}'));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(merged), Object.prototype);
});

test('the outbox is on by default in development only', () => {
  const defaults = deliverySettingsSchema.parse({});
  assert.equal(isOutboxEnabled(defaults, 'development'), true);
  assert.equal(isOutboxEnabled(defaults, 'production'), false);
  const on = deliverySettingsSchema.parse({ outbox: { enabled: true } });
  assert.equal(isOutboxEnabled(on, 'production'), true);
});

test('a provider needs its configuration; bad values are refused', () => {
  const bad = [
    { email: { provider: 'smtp' } },
    { email: { provider: 'sendgrid' } },
    { email: { provider: 'smtp', smtp: { host: 'h', port: 70_000, from: 'a@x.test' } } },
    { email: { provider: 'smtp', smtp: { host: 'bad host', from: 'a@x.test' } } },
    { email: { provider: 'smtp', smtp: { host: 'h', from: 'a@x.test', password: 'p' } } },
    { email: { provider: 'smtp', smtp: { host: 'h', from: 'a@x.test', secure: true, requireTLS: true } } },
    { email: { provider: 'smtp', smtp: { host: 'h', from: 'nobody' } } },
    { text: { provider: 'webhook', webhook: { url: 'ftp://x.test' } } },
    { text: { provider: 'webhook', webhook: { url: 'https://x.test', headers: { 'X-A': 'a\r\nX-B: b' } } } },
    { text: { provider: 'twilio', twilio: { accountSid: '../x', authToken: 't', from: '+1' } } },
    { templates: { email: { otp: { subject: 'a\nBcc: x@y.test' } } } },
    { unknown: true },
  ];
  for (const input of bad)
    assert.equal(deliverySettingsSchema.safeParse(input).success, false, JSON.stringify(input));
});
