import { createCipheriv, pbkdf2, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import bcrypt from 'bcryptjs';
import { z } from 'zod';
import { LatchkeyError } from '../errors.ts';

/**
 * Password hashes imported from another system (reference §3.2.1 `hashedPassword`). They are stored in a
 * self-describing string next to Latchkey's own Argon2id hashes, verified on sign-in, and replaced by an
 * Argon2id hash on the first successful sign-in (see `needsRehash`).
 *
 * Stored forms: bcrypt and Argon2 keep their standard modular-crypt / PHC strings; the others use
 * `$lk-pbkdf2$<digest>$<iterations>$<salt b64>$<hash b64>` and
 * `$lk-firebase$<memory>$<rounds>$<salt b64>$<separator b64>$<signer key b64>$<hash b64>`.
 */

const pbkdf2Async = promisify(pbkdf2);
const scryptAsync = promisify(scrypt) as (
  password: Buffer,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

const base64 = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^[A-Za-z0-9+/_-]+={0,2}$/, 'must be base64');
const positive = (max: number) => z.number().int().min(1).max(max);

// Work factors are capped: every sign-in of an imported user pays them until the rehash (a cost-31 bcrypt
// or a 4 GiB Argon2 would let one import stall the server).
const bcryptShape = z.object({
  hash: z
    .string()
    .regex(/^\$2[abxy]?\$(0[4-9]|1[0-4])\$[./A-Za-z0-9]{53}$/, 'must be a bcrypt hash with cost 04–14'),
});
const PHC = /^\$argon2(id|i|d)\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,3})\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;
const argon2Shape = z.union([
  z.object({
    hash: z
      .string()
      .regex(PHC, 'must be a PHC $argon2id$v=19$m=…,t=…,p=…$salt$hash string')
      .refine((h) => {
        const [, , m, t, p] = PHC.exec(h) ?? [];
        return Number(m) <= 262_144 && Number(t) <= 20 && Number(p) <= 16;
      }, 'Argon2 parameters above m=262144, t=20, p=16 are refused'),
  }),
  z.object({
    hash: base64,
    salt: base64,
    iterations: positive(20),
    memory: positive(262_144),
    threads: positive(16),
    variant: z.enum(['argon2id', 'argon2i', 'argon2d']).optional(),
  }),
]);
const pbkdf2Shape = z.object({
  hash: base64,
  salt: base64,
  iterations: positive(2_000_000),
  type: z.enum(['sha1', 'sha256', 'sha512']),
});
const firebaseShape = z.object({
  hash: base64,
  salt: base64,
  saltSeparator: z.union([base64, z.literal('')]),
  signerKey: base64,
  memory: z.number().int().min(1).max(15),
  rounds: positive(16),
});

const ALGORITHMS = {
  bcrypt: bcryptShape,
  argon2: argon2Shape,
  pbkdf2: pbkdf2Shape,
  firebase: firebaseShape,
} as const;

const b64 = (s: string) => Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
const phcB64 = (s: string) => b64(s).toString('base64').replace(/=+$/, '');

/**
 * Validates a `hashedPassword` object and answers the string to store. Throws 400 on any other shape:
 * exactly one supported algorithm, every field present and well-formed.
 */
export function importHashedPassword(input: Record<string, unknown>): string {
  const given = Object.entries(input).filter(([, v]) => v !== undefined && v !== null);
  if (given.length !== 1) {
    throw new LatchkeyError(
      'invalidArguments',
      'hashedPassword must hold exactly one of bcrypt, argon2, pbkdf2, firebase',
    );
  }
  const [algorithm, value] = given[0]!;
  const shape = ALGORITHMS[algorithm as keyof typeof ALGORITHMS];
  if (!shape) {
    throw new LatchkeyError(
      'invalidArguments',
      `Unsupported hashedPassword algorithm "${algorithm}": use bcrypt, argon2, pbkdf2 or firebase`,
    );
  }
  const parsed = shape.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LatchkeyError(
      'invalidArguments',
      `hashedPassword.${algorithm}${issue?.path.length ? `.${issue.path.join('.')}` : ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const v = parsed.data as Record<string, string | number>;
  switch (algorithm) {
    case 'bcrypt':
      return String(v.hash);
    case 'argon2':
      if (String(v.hash).startsWith('$argon2')) return String(v.hash);
      return `$${v.variant ?? 'argon2id'}$v=19$m=${v.memory},t=${v.iterations},p=${v.threads}$${phcB64(String(v.salt))}$${phcB64(String(v.hash))}`;
    case 'pbkdf2':
      return `$lk-pbkdf2$${v.type}$${v.iterations}$${v.salt}$${v.hash}`;
    default:
      return `$lk-firebase$${v.memory}$${v.rounds}$${v.salt}$${v.saltSeparator}$${v.signerKey}$${v.hash}`;
  }
}

const equal = (a: Buffer, b: Buffer) => a.length === b.length && a.length > 0 && timingSafeEqual(a, b);

/**
 * Firebase's modified scrypt (github.com/firebase/scrypt): scrypt(password, salt ‖ saltSeparator,
 * N = 2^memory, r = rounds, p = 1, 32 bytes) is the AES-256-CTR key (zero IV) that encrypts the
 * project's signer key; the result is the stored hash.
 */
export async function firebaseScrypt(
  password: string,
  p: { salt: Buffer; saltSeparator: Buffer; signerKey: Buffer; memory: number; rounds: number },
): Promise<Buffer> {
  const N = 2 ** p.memory;
  const key = await scryptAsync(Buffer.from(password, 'utf8'), Buffer.concat([p.salt, p.saltSeparator]), 32, {
    N,
    r: p.rounds,
    p: 1,
    maxmem: 128 * N * p.rounds * 2 + 1024 * 1024,
  });
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16, 0));
  return Buffer.concat([cipher.update(p.signerKey), cipher.final()]);
}

/** True when `stored` is an imported hash this module verifies (not Latchkey's own Argon2). */
export const isImportedHash = (stored: string): boolean =>
  /^\$2[abxy]?\$/.test(stored) || stored.startsWith('$lk-pbkdf2$') || stored.startsWith('$lk-firebase$');

/** Verifies a password against an imported bcrypt, PBKDF2 or Firebase-scrypt hash. */
export async function verifyImported(stored: string, password: string): Promise<boolean> {
  try {
    if (/^\$2[abxy]?\$/.test(stored)) return await bcrypt.compare(password, stored);
    const parts = stored.split('$');
    if (parts[1] === 'lk-pbkdf2') {
      const [, , digest, iterations, salt, hash] = parts;
      const expected = b64(hash!);
      const got = await pbkdf2Async(password, b64(salt!), Number(iterations), expected.length, digest!);
      return equal(got, expected);
    }
    if (parts[1] === 'lk-firebase') {
      const [, , memory, rounds, salt, separator, signerKey, hash] = parts;
      const got = await firebaseScrypt(password, {
        salt: b64(salt!),
        saltSeparator: b64(separator ?? ''),
        signerKey: b64(signerKey!),
        memory: Number(memory),
        rounds: Number(rounds),
      });
      return equal(got, b64(hash!));
    }
  } catch {
    return false;
  }
  return false;
}
