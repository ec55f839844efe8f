import { Secret, TOTP } from 'otpauth';

/**
 * What an authenticator app shows for `key`, `steps` 30-second steps from now: an independent RFC 6238
 * generator (the `otpauth` package), fed only the key the server returned.
 */
export const codeFor = (key: string, steps = 0): string =>
  TOTP.generate({ secret: Secret.fromBase32(key), timestamp: Date.now() + steps * 30_000 });

/**
 * Waits out the last seconds of a 30-second step, so that a test computing a code "one step ago" cannot see
 * the server's clock move on to the next step before the code arrives (which would make it two steps old).
 */
export async function awayFromStepEdge(marginMs = 4_000): Promise<void> {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < marginMs) await new Promise((r) => setTimeout(r, left + 250));
}

export const claims = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());

export type Enrollment = { provisioningURL: string; image: string; key: string };
