import type { Transporter } from 'nodemailer';
import { LatchkeyError } from '../errors.ts';
import { sha256Hex } from '../util.ts';
import { scrub } from './provider-http.ts';
import type { SmtpSettings } from './settings.ts';

export type Email = { to: string; subject: string; text: string; html: string };

const IDLE_TRANSPORT_MS = 10 * 60_000;
const MAX_TRANSPORTS = 100;
/** Errors about the connection itself: Node's own messages (no credentials), worth showing an operator. */
const CONNECTION_ERRORS = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS', 'ETLS', 'EPROTOCOL']);

type Entry = { transport: Transporter; lastUsed: number };

/**
 * One pooled nodemailer transport per distinct SMTP configuration, shared by every project using it and
 * closed after ten idle minutes or at shutdown. A changed configuration is a different key, so the old
 * transport simply ages out.
 */
export function createSmtpSender(options: { timeoutMs: number }) {
  const transports = new Map<string, Entry>();

  function sweep(now: number) {
    for (const [key, entry] of transports)
      if (now - entry.lastUsed > IDLE_TRANSPORT_MS || transports.size > MAX_TRANSPORTS) {
        entry.transport.close();
        transports.delete(key);
      }
  }

  async function transportFor(settings: SmtpSettings): Promise<Transporter> {
    const now = Date.now();
    sweep(now);
    const key = sha256Hex(JSON.stringify(settings));
    const existing = transports.get(key);
    if (existing) {
      existing.lastUsed = now;
      return existing.transport;
    }
    const secure = settings.secure ?? false;
    // Loaded on first use: servers that send no email never load nodemailer.
    const { default: nodemailer } = await import('nodemailer');
    const raced = transports.get(key);
    if (raced) return raced.transport;
    const transport = nodemailer.createTransport({
      pool: true,
      maxConnections: 2,
      host: settings.host,
      port: settings.port ?? (secure ? 465 : 587),
      secure,
      requireTLS: settings.requireTLS ?? false,
      auth: settings.user !== undefined ? { user: settings.user, pass: settings.password ?? '' } : undefined,
      tls: settings.ca ? { ca: settings.ca } : undefined,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs * 3,
      // nodemailer's own logging would print the SMTP dialogue (AUTH included): never on.
      logger: false,
      debug: false,
    });
    transports.set(key, { transport, lastUsed: now });
    return transport;
  }

  return {
    async send(settings: SmtpSettings, email: Email): Promise<void> {
      try {
        await (await transportFor(settings)).sendMail({
          from: settings.from,
          to: email.to,
          subject: email.subject,
          text: email.text || undefined,
          html: email.html || undefined,
          signal: AbortSignal.timeout(options.timeoutMs * 3),
        });
      } catch (err) {
        throw new LatchkeyError('deliveryFailed', describe(err, settings));
      }
    },
    close(): void {
      for (const entry of transports.values()) entry.transport.close();
      transports.clear();
    },
  };
}

/** An operator-facing reason that never carries the password or the server's reply to AUTH. */
function describe(err: unknown, settings: SmtpSettings): string {
  const e = err as { code?: string; responseCode?: number; message?: string; name?: string };
  const where = `${settings.host}:${settings.port ?? (settings.secure ? 465 : 587)}`;
  const status = e.responseCode ? ` ${e.responseCode}` : '';
  if (e.code === 'EAUTH') return `The SMTP server at ${where} refused the credentials (EAUTH${status})`;
  if (e.code === 'EABORT' || e.name === 'AbortError')
    return `The SMTP server at ${where} did not answer in time`;
  if (e.code && CONNECTION_ERRORS.has(e.code))
    return scrub(`Could not talk to the SMTP server at ${where} (${e.code}): ${e.message ?? ''}`, [
      settings.password,
    ]);
  return `The SMTP server at ${where} refused the message (${e.code ?? 'error'}${status})`;
}
