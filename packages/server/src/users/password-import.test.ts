import assert from 'node:assert/strict';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import bcrypt from 'bcryptjs';
import { verifyPassword } from '../auth/password/hashing.ts';
import { LatchkeyError } from '../errors.ts';
import { firebaseScrypt, importHashedPassword } from './password-import.ts';

// The known-answer vector of github.com/firebase/scrypt's README.
const FIREBASE = {
  hash: 'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==',
  salt: '42xEC+ixf3L2lw==',
  saltSeparator: 'Bw==',
  signerKey: 'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==',
  rounds: 8,
  memory: 14,
};

test('Firebase scrypt reproduces the firebase/scrypt README vector', async () => {
  const b = (s: string) => Buffer.from(s, 'base64');
  const out = await firebaseScrypt('user1password', {
    salt: b(FIREBASE.salt),
    saltSeparator: b(FIREBASE.saltSeparator),
    signerKey: b(FIREBASE.signerKey),
    memory: FIREBASE.memory,
    rounds: FIREBASE.rounds,
  });
  assert.equal(out.toString('base64'), FIREBASE.hash);
  const stored = importHashedPassword({ firebase: FIREBASE });
  assert.equal(await verifyPassword(stored, 'user1password'), true);
  assert.equal(await verifyPassword(stored, 'user2password'), false);
});

test('bcrypt and PBKDF2 (sha1, sha256, sha512) verify the right password only', async () => {
  const bc = importHashedPassword({ bcrypt: { hash: bcrypt.hashSync('s3cret', 4) } });
  assert.equal(await verifyPassword(bc, 's3cret'), true);
  assert.equal(await verifyPassword(bc, 's3creT'), false);
  for (const type of ['sha1', 'sha256', 'sha512'] as const) {
    const salt = randomBytes(16);
    const hash = pbkdf2Sync('s3cret', salt, 1000, 32, type);
    const stored = importHashedPassword({
      pbkdf2: { hash: hash.toString('base64'), salt: salt.toString('base64'), iterations: 1000, type },
    });
    assert.equal(await verifyPassword(stored, 's3cret'), true, type);
    assert.equal(await verifyPassword(stored, 'nope'), false, type);
  }
});

test('malformed shapes are refused with 400', () => {
  const bad: Record<string, unknown>[] = [
    {},
    { md5: { hash: 'abc' } },
    { bcrypt: { hash: 'not-a-bcrypt-hash' } },
    {
      bcrypt: { hash: bcrypt.hashSync('x', 4) },
      pbkdf2: { hash: 'aGk=', salt: 'aGk=', iterations: 1, type: 'sha1' },
    },
    { pbkdf2: { hash: 'aGk=', salt: 'aGk=', iterations: 0, type: 'sha1' } },
    { pbkdf2: { hash: 'aGk=', salt: 'aGk=', iterations: 10, type: 'md5' } },
    { argon2: { hash: 'aGk=', salt: 'aGk=', iterations: 2 } },
    { firebase: { ...FIREBASE, signerKey: 'not base64!' } },
    { firebase: { ...FIREBASE, memory: 20 } },
    { bcrypt: { hash: '$2b$31$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234' } },
    { argon2: { hash: '$argon2id$v=19$m=4194304,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2g' } },
    { argon2: { hash: '$argon2id$' } },
  ];
  for (const input of bad) {
    assert.throws(
      () => importHashedPassword(input),
      (err: unknown) => err instanceof LatchkeyError && err.status === 400,
      JSON.stringify(input),
    );
  }
});
