import { HOTP, Secret, TOTP } from 'otpauth';

/** RFC 6238 as every authenticator app implements it (and the Ruby SDK's integration test assumes). */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
const ALGORITHM = 'SHA1';
/** a code from the step before or after the current one is still accepted (clock drift, slow typing) */
export const TOTP_WINDOW = 1;
/** 160 bits, the HMAC-SHA1 block recommendation of RFC 4226 §4 */
const SECRET_BYTES = 20;

export const CODE_PATTERN = /^\d{6}$/;

/** What sign-up and update answer: the three ways to put the seed into an authenticator app. */
export type TotpEnrollment = { provisioningURL: string; image: string; key: string };

/** A fresh random seed, base32 without padding (the `key` of the wire contract). */
export function newTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

/** The 30-second step a moment falls in (RFC 6238's T). */
export function stepAt(nowMs: number): number {
  return TOTP.counter({ period: TOTP_PERIOD_SECONDS, timestamp: nowMs });
}

/** `otpauth://totp/<issuer>:<label>?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30` */
export function provisioningUri(issuer: string, label: string, secret: string): string {
  return new TOTP({
    issuer,
    label,
    secret: Secret.fromBase32(secret),
    algorithm: ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  }).toString();
}

export async function enrollment(issuer: string, label: string, secret: string): Promise<TotpEnrollment> {
  const provisioningURL = provisioningUri(issuer, label, secret);
  // Bare base64 (no `data:` prefix): the SDKs hand the string to apps that decode or embed it themselves.
  // Loaded on first use: most servers never enrol an authenticator.
  const { default: QRCode } = await import('qrcode');
  const png = await QRCode.toBuffer(provisioningURL, { type: 'png', errorCorrectionLevel: 'M', margin: 2 });
  return { provisioningURL, image: png.toString('base64'), key: secret };
}

/**
 * The step whose code `code` is, among the current step ± the window, skipping every step at or before
 * `lastStep` (a code is good once: replaying it, or an older one, finds nothing). Newest steps are tried
 * first so that, in the unlikely case two steps share a code, the later one is claimed.
 */
export function matchStep(
  secret: string,
  code: string,
  nowMs: number,
  lastStep: number | null,
): number | null {
  if (!CODE_PATTERN.test(code)) return null;
  const key = Secret.fromBase32(secret);
  const current = stepAt(nowMs);
  for (let step = current + TOTP_WINDOW; step >= Math.max(0, current - TOTP_WINDOW); step--) {
    if (lastStep !== null && step <= lastStep) break;
    const delta = HOTP.validate({
      token: code,
      secret: key,
      algorithm: ALGORITHM,
      digits: TOTP_DIGITS,
      counter: step,
      window: 0,
    });
    if (delta === 0) return step;
  }
  return null;
}
