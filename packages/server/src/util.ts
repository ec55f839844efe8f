import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Unbiased random base62 string (rejection sampling keeps every character equally likely). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHANUMERIC[byte % 62];
    }
  }
  return out;
}

/** Ids in the reference's formats: `P…` projects (28 chars, so SDKs derive no region), `U…` users, `T…` tenants, `K…` keys. */
export const newId = {
  project: () => `P${randomBase62(27)}`,
  user: () => `U${randomBase62(27)}`,
  tenant: () => `T${randomBase62(27)}`,
  managementKey: () => `K${randomBase62(27)}`,
  jti: () => randomBase62(24),
  kid: () => `K${randomBase62(27)}`,
};

/** A management-key secret: high-entropy, no ':' and no '.', so the Authorization parser never mistakes it. */
export const newSecretKey = (): string => `${randomBase62(28)}${randomBase62(28)}`;

export const sha256Hex = (value: string): string => createHash('sha256').update(value).digest('hex');

export function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  if (ab.length !== bb.length) return false;
  return timingSafeEqual(ab, bb);
}

export const parseJson = <T>(text: string | null | undefined, fallback: T): T => {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

export const unique = <T>(items: Iterable<T>): T[] => [...new Set(items)];

/** Login ids are case-insensitive (people type `Ada@Example.com` and `ada@example.com` alike): stored lower-case. */
export const normalizeLoginId = (loginId: string): string => loginId.trim().toLowerCase();

export const isEmail = (value: string): boolean => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);

export const emailDomain = (email: string): string => email.slice(email.lastIndexOf('@') + 1).toLowerCase();
