/** What the rest of the server asks delivery for: a message of a kind, to an address, over a channel. */
export type Channel = 'email' | 'sms' | 'voice' | 'whatsapp';
export const CHANNELS = ['email', 'sms', 'voice', 'whatsapp'] as const satisfies readonly Channel[];
export type MessageKind = 'otp' | 'magiclink' | 'enchantedlink' | 'invite' | 'reset';
export const MESSAGE_KINDS = [
  'otp',
  'magiclink',
  'enchantedlink',
  'invite',
  'reset',
] as const satisfies readonly MessageKind[];

export type MessageVars = {
  /** one-time code (OTP) */
  code?: string;
  /** sign-in / reset / invite link */
  link?: string;
  /** enchanted link: the number the user must pick */
  linkId?: string;
  /** enchanted link: the three links, only one of them signs in */
  links?: string[];
  /** the user's display name (falls back to loginId) */
  name?: string;
  loginId?: string;
  /** minutes until the code or link expires */
  expiresInMinutes?: number;
  /**
   * The request's `templateOptions`, as sent by the caller: usable as `{{key}}` in templates, but never
   * able to replace a variable the server sets (code, link, name …).
   */
  templateOptions?: Record<string, unknown>;
  /** other variables the server itself sets (trusted, unlike templateOptions) */
  [key: string]: unknown;
};

export type OutgoingMessage = {
  channel: Channel;
  to: string;
  kind: MessageKind;
  vars: MessageVars;
  /** a template the project defined under this id, used in place of the kind's template */
  templateId?: string;
};

export type Provider = 'outbox' | 'smtp' | 'webhook' | 'twilio';

export type DeliveryResult = { provider: Provider };

export type Delivery = {
  /** Renders and sends (or stores in the dev outbox). Throws a LatchkeyError when it cannot. */
  send(
    projectId: string,
    deliverySettings: Record<string, unknown>,
    message: OutgoingMessage,
  ): Promise<DeliveryResult>;
};
