import type { Logger } from 'pino';
import { LatchkeyError } from '../errors.ts';
import type { Db } from '../store/db.ts';
import { isEmail } from '../util.ts';
import { createOutbox } from './outbox.ts';
import { PROVIDER_TIMEOUT_MS } from './provider-http.ts';
import { type DeliverySettings, isOutboxEnabled, type Mode, readDeliverySettings } from './settings.ts';
import { createSmtpSender } from './smtp.ts';
import { render } from './templates.ts';
import { sendTwilio } from './twilio.ts';
import type { Channel, Delivery, DeliveryResult, OutgoingMessage, Provider } from './types.ts';
import { sendWebhook } from './webhook.ts';

export const providerFor = (settings: DeliverySettings, channel: Channel): Provider =>
  channel === 'email' ? settings.email.provider : settings.text.provider;

const PHONE = /^\+?[0-9][0-9 ().-]{4,24}$/;

function checkRecipient(message: OutgoingMessage): void {
  const to = message.to.startsWith('whatsapp:') ? message.to.slice('whatsapp:'.length) : message.to;
  // One plain address only: no display name, no list (nodemailer would read `a@x.test, b@y.test` as two).
  const ok =
    message.channel === 'email' ? isEmail(to) && to.length <= 320 && !/[<>,;"()\\]/.test(to) : PHONE.test(to);
  if (!ok)
    throw new LatchkeyError(
      'invalidArguments',
      message.channel === 'email' ? 'Invalid email address' : 'Invalid phone number',
    );
}

/**
 * Renders with the project's templates and routes each message to the provider configured for its channel.
 * With no provider (the default), messages go to the dev outbox when it is enabled: by default in
 * development mode only; in production that is refused with `deliveryNotConfigured`.
 */
export function createDelivery(deps: { db: Db; mode: Mode; logger?: Logger; timeoutMs?: number }) {
  const timeoutMs = deps.timeoutMs ?? PROVIDER_TIMEOUT_MS;
  const outbox = createOutbox(deps.db);
  const smtp = createSmtpSender({ timeoutMs });

  const delivery = {
    outbox,
    mode: deps.mode,

    async send(projectId, raw, message): Promise<DeliveryResult> {
      const settings = readDeliverySettings(raw);
      checkRecipient(message);
      const rendered = render(
        message.channel,
        message.kind,
        message.vars,
        settings.templates,
        message.templateId,
      );
      const provider = providerFor(settings, message.channel);
      switch (provider) {
        case 'outbox':
          if (!isOutboxEnabled(settings, deps.mode))
            throw new LatchkeyError(
              'deliveryNotConfigured',
              `No ${message.channel === 'email' ? 'email' : 'text-message'} provider is configured for this project`,
            );
          await outbox.store(projectId, message, rendered);
          break;
        case 'smtp':
          await smtp.send(settings.email.smtp!, { to: message.to, ...rendered });
          break;
        case 'webhook':
          await sendWebhook(
            settings.text.webhook!,
            { channel: message.channel, to: message.to, body: rendered.text, kind: message.kind },
            timeoutMs,
          );
          break;
        case 'twilio':
          await sendTwilio(
            settings.text.twilio!,
            message.channel as Exclude<Channel, 'email'>,
            message.to,
            rendered.text,
            timeoutMs,
          );
          break;
      }
      // Never the recipient's message: it carries the code or link.
      deps.logger?.debug(
        { projectId, channel: message.channel, kind: message.kind, provider },
        'message sent',
      );
      return { provider };
    },

    /** Closes pooled SMTP connections (at shutdown). */
    close(): void {
      smtp.close();
    },
  } satisfies Delivery & Record<string, unknown>;
  return delivery;
}

export type DeliveryService = ReturnType<typeof createDelivery>;
