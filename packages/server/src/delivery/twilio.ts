import { LatchkeyError } from '../errors.ts';
import { providerFetch, readErrorBody, scrub } from './provider-http.ts';
import type { TwilioSettings } from './settings.ts';
import type { Channel } from './types.ts';

const TWILIO_API = 'https://api.twilio.com';

const escapeXml = (v: string) =>
  v.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

const whatsapp = (address: string) => (address.startsWith('whatsapp:') ? address : `whatsapp:${address}`);

/** The Twilio REST call for a channel: SMS and WhatsApp are Messages, voice is a Call reading the text twice. */
export function twilioRequest(
  settings: TwilioSettings,
  channel: Exclude<Channel, 'email'>,
  to: string,
  body: string,
) {
  const base = `${(settings.baseUrl ?? TWILIO_API).replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}`;
  const form = new URLSearchParams();
  if (channel === 'voice') {
    const say = `<Say>${escapeXml(body)}</Say>`;
    form.set('To', to);
    form.set('From', settings.from);
    form.set('Twiml', `<Response>${say}<Pause length="1"/>${say}</Response>`);
    return { url: `${base}/Calls.json`, form };
  }
  form.set('To', channel === 'whatsapp' ? whatsapp(to) : to);
  form.set('From', channel === 'whatsapp' ? whatsapp(settings.whatsappFrom ?? settings.from) : settings.from);
  form.set('Body', body);
  return { url: `${base}/Messages.json`, form };
}

/** Sends through Twilio (or any API speaking its REST dialect) with basic auth accountSid:authToken. */
export async function sendTwilio(
  settings: TwilioSettings,
  channel: Exclude<Channel, 'email'>,
  to: string,
  body: string,
  timeoutMs?: number,
): Promise<void> {
  const { url, form } = twilioRequest(settings, channel, to, body);
  const credentials = Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64');
  const res = await providerFetch(
    'Twilio API',
    url,
    {
      method: 'POST',
      headers: {
        authorization: `Basic ${credentials}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'user-agent': 'Latchkey',
      },
      body: form.toString(),
    },
    timeoutMs,
  );
  const text = await readErrorBody(res);
  if (res.status >= 200 && res.status <= 299) return;
  let detail = '';
  try {
    const error = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (error.code !== undefined) detail += `, Twilio error ${String(error.code).slice(0, 16)}`;
    if (typeof error.message === 'string') detail += `: ${error.message.slice(0, 200)}`;
  } catch {}
  throw new LatchkeyError(
    'deliveryFailed',
    scrub(`Twilio refused the message (HTTP ${res.status}${detail})`, [settings.authToken, credentials]),
  );
}
