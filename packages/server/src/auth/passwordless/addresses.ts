import type { Channel } from '../../delivery/types.ts';
import { LatchkeyError } from '../../errors.ts';
import { isEmail } from '../../util.ts';

export const methods = ['email', 'sms', 'voice', 'whatsapp'] as const;
export type Method = (typeof methods)[number];

const E164 = /^\+[1-9]\d{6,14}$/;

export function parseMethod(value: string, allowed: readonly Method[] = methods): Method {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new LatchkeyError(
      'invalidArguments',
      `Unknown delivery method "${value}": use one of ${allowed.join(', ')}`,
    );
  }
  return value as Method;
}

export const channelOf = (method: Method): Channel => method;
export const addressKind = (method: Method): 'email' | 'phone' => (method === 'email' ? 'email' : 'phone');

/** Refuses an address the method cannot deliver to: an invalid email, or a phone number not in E.164 form. */
export function checkAddress(method: Method, address: string | undefined): string {
  if (!address) {
    throw new LatchkeyError(
      'missingArguments',
      method === 'email'
        ? 'No email address to send to: the user has none and the login id is not an email'
        : 'No phone number to send to',
    );
  }
  if (method === 'email' && !isEmail(address))
    throw new LatchkeyError('invalidArguments', `"${address}" is not a valid email address`);
  if (method !== 'email' && !E164.test(address)) {
    throw new LatchkeyError(
      'invalidArguments',
      `"${address}" is not an E.164 phone number such as +14155550100`,
    );
  }
  return address;
}

/** `d****@d****.com` and `+1******890`, the formats the SDK tests show. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  const dot = domain.lastIndexOf('.');
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${local.slice(0, 1)}****@${host.slice(0, 1)}****${tld}`;
}

export function maskPhone(phone: string): string {
  if (phone.length <= 5) return '*'.repeat(phone.length);
  return `${phone.slice(0, 2)}${'*'.repeat(phone.length - 5)}${phone.slice(-3)}`;
}

export const masked = (method: Method, address: string) =>
  method === 'email' ? { maskedEmail: maskEmail(address) } : { maskedPhone: maskPhone(address) };
