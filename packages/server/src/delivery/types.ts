/** What the rest of the server asks delivery for: a message of a kind, to an address, over a channel. */
export type Channel = 'email' | 'sms' | 'voice' | 'whatsapp';
export type MessageKind = 'otp' | 'magiclink' | 'enchantedlink' | 'invite' | 'reset';

export type MessageVars = {
  /** one-time code (OTP) */
  code?: string;
  /** sign-in / reset / invite link */
  link?: string;
  /** enchanted link: the number the user must pick */
  linkId?: string;
  /** enchanted link: the three links, only one of them signs in */
  links?: string[];
  /** the user's display name or login id */
  name?: string;
  loginId?: string;
  /** minutes until the code or link expires */
  expiresInMinutes?: number;
  /** templateOptions from the request: extra variables */
  [key: string]: unknown;
};

export type OutgoingMessage = {
  channel: Channel;
  to: string;
  kind: MessageKind;
  vars: MessageVars;
  templateId?: string;
};

export type Delivery = {
  /** Renders and sends (or stores in the dev outbox). Throws a LatchkeyError when it cannot. */
  send(projectId: string, deliverySettings: Record<string, unknown>, message: OutgoingMessage): Promise<void>;
};
