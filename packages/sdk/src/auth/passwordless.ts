import type { CallAuth } from '../http.ts';

/**
 * Where a one-time code goes (reference §1.12): `email`, or a phone by `sms`, `voice` or `whatsapp`.
 *
 * @example
 * ```ts
 * const method: DeliveryMethod = 'sms';
 * await client.otp.signIn(method, '+14155550100');
 * ```
 */
export type DeliveryMethod = 'email' | 'sms' | 'voice' | 'whatsapp';

/**
 * The delivery methods that reach a phone.
 *
 * @example
 * ```ts
 * const method: PhoneMethod = 'whatsapp';
 * await client.otp.updatePhone(method, 'ada@example.com', '+14155550100', refreshJwt);
 * ```
 */
export type PhoneMethod = Exclude<DeliveryMethod, 'email'>;

/**
 * The delivery methods of magic links: links are not read out by voice.
 *
 * @example
 * ```ts
 * const method: LinkMethod = 'email';
 * await client.magicLink.signIn(method, 'ada@example.com', 'https://app.example.com/verify');
 * ```
 */
export type LinkMethod = Exclude<DeliveryMethod, 'voice'>;

/**
 * The answer of a call that sent a message to an email address, masked (`a****@e****.com`).
 *
 * @example
 * ```ts
 * const { maskedEmail }: MaskedEmail = await client.otp.signIn('email', 'ada@example.com');
 * ```
 */
export type MaskedEmail = { maskedEmail: string };

/**
 * The answer of a call that sent a message to a phone, masked (`+1*******100`).
 *
 * @example
 * ```ts
 * const { maskedPhone }: MaskedPhone = await client.otp.signIn('sms', '+14155550100');
 * ```
 */
export type MaskedPhone = { maskedPhone: string };

/**
 * The masked address for a delivery method: {@link MaskedEmail} for `email`, {@link MaskedPhone} otherwise.
 *
 * @example
 * ```ts
 * const sent: MaskedAddress<'sms'> = await client.otp.signUpOrIn('sms', '+14155550100');
 * console.log(sent.maskedPhone);
 * ```
 */
export type MaskedAddress<M extends DeliveryMethod> = M extends 'email' ? MaskedEmail : MaskedPhone;

/**
 * Options of a sign-up (the Node SDK's `SignUpOptions`): custom claims for the first session and the
 * message template. `customClaims` need a client configured with `authManagementKey` (a backend): without
 * one the server refuses the call with 401 `E011103`.
 *
 * @example
 * ```ts
 * const options: SignUpOptions = { customClaims: { plan: 'trial' }, templateOptions: { product: 'Acme' } };
 * ```
 */
export type SignUpOptions = {
  customClaims?: Record<string, unknown>;
  templateId?: string;
  templateOptions?: Record<string, string>;
  tenantId?: string;
  [option: string]: unknown;
};

/**
 * Options of an email or phone change (reference §2.1): with `addToLoginIDs` the new address also becomes
 * a login id; `onMergeUseExisting` then signs in the user who already owns that address instead of failing.
 *
 * @example
 * ```ts
 * const options: UpdateOptions = { addToLoginIDs: true };
 * await client.otp.updateEmail('ada@example.com', 'ada@new.example', refreshJwt, options);
 * ```
 */
export type UpdateOptions = {
  addToLoginIDs?: boolean;
  onMergeUseExisting?: boolean;
  templateId?: string;
  templateOptions?: Record<string, string>;
  providerId?: string;
  [option: string]: unknown;
};

const DELIVERY_METHODS: readonly DeliveryMethod[] = ['email', 'sms', 'voice', 'whatsapp'];

/** Refuses a method that is not one of `allowed` before it becomes a path segment. */
export function checkedMethod<M extends string>(method: M, allowed: readonly string[] = DELIVERY_METHODS): M {
  if (!allowed.includes(method)) {
    throw new TypeError(
      `Unknown delivery method ${JSON.stringify(method)}: use one of ${allowed.join(', ')}`,
    );
  }
  return method;
}

/** `P:R?` calls: the refresh JWT when one is given (step-up, MFA), else the project alone. */
export const callerAuth = (refreshJwt: string | undefined): CallAuth =>
  refreshJwt ? { refreshJwt } : 'project';
