import { LatchkeyError } from '../errors.ts';
import { providerFetch, readErrorBody } from './provider-http.ts';
import type { WebhookSettings } from './settings.ts';
import type { Channel, MessageKind } from './types.ts';

export type WebhookMessage = { channel: Channel; to: string; body: string; kind: MessageKind };

/**
 * A generic text-message provider: POSTs `{channel, to, body, kind}` as JSON to the project's URL with its
 * headers (typically an Authorization header the receiver checks). Any 2xx is accepted.
 */
export async function sendWebhook(settings: WebhookSettings, message: WebhookMessage, timeoutMs?: number) {
  const res = await providerFetch(
    'text-message webhook',
    settings.url,
    {
      method: 'POST',
      headers: { ...settings.headers, 'content-type': 'application/json', 'user-agent': 'Latchkey' },
      body: JSON.stringify({
        channel: message.channel,
        to: message.to,
        body: message.body,
        kind: message.kind,
      }),
    },
    timeoutMs,
  );
  // The answer is not echoed: a receiver may reflect the request (and its Authorization header) back.
  await readErrorBody(res);
  if (res.status < 200 || res.status > 299)
    throw new LatchkeyError(
      'deliveryFailed',
      `The text-message webhook at ${new URL(settings.url).host} answered HTTP ${res.status}`,
    );
}
