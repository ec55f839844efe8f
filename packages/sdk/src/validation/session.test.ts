import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { LatchkeySessionError, type SessionErrorReason } from '../errors.ts';
import { createSessionValidator } from './session.ts';

// The validation pipeline with real keys and signatures; the server-side half is in test/jwks.test.ts.
const PROJECT = 'P2unit';
const { privateKey, publicKey } = await generateKeyPair('ES256');
const jwks = createLocalJWKSet({
  keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }],
});
const now = Math.floor(Date.now() / 1000);

const sign = (claims: JWTPayload, header: Record<string, unknown> = {}) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1', ...header }).sign(privateKey);
const session = (extra: JWTPayload = {}, header: Record<string, unknown> = {}) =>
  sign({ sub: 'U1', iss: `https://auth.example.com/${PROJECT}`, exp: now + 60, drn: 'DS', ...extra }, header);

const validator = (audience?: string) =>
  createSessionValidator({
    projectId: PROJECT,
    keys: jwks,
    clockToleranceSeconds: 5,
    audience,
    refresh: () => assert.fail('no refresh expected'),
  });

async function reason(promise: Promise<unknown>): Promise<SessionErrorReason> {
  const err = await promise.then(
    () => assert.fail('validation should fail'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof LatchkeySessionError, String(err));
  return err.reason;
}

describe('session validation pipeline', () => {
  test('a well-formed session token validates and exposes its claims', async () => {
    const jwt = await session({ roles: ['admin'] });
    const info = await validator().validateSession(jwt);
    assert.equal(info.jwt, jwt);
    assert.equal(info.token.sub, 'U1');
    assert.deepEqual(info.token.roles, ['admin']);
  });

  test('issuer must name the project', async () => {
    assert.equal(
      await reason(validator().validateSession(await session({ iss: 'https://auth.example.com/P2other' }))),
      'wrong-issuer',
    );
    assert.equal(
      await reason(validator().validateSession(await session({ iss: `https://${PROJECT}/x` }))),
      'wrong-issuer',
    );
    assert.ok(await validator().validateSession(await session({ iss: PROJECT })));
  });

  test('audience: required when configured, per-call override wins', async () => {
    const withAud = await session({ aud: ['my-api', 'other'] });
    assert.ok(await validator('my-api').validateSession(withAud));
    assert.equal(await reason(validator('billing').validateSession(withAud)), 'wrong-audience');
    assert.equal(await reason(validator('my-api').validateSession(await session())), 'wrong-audience');
    assert.ok(await validator('billing').validateSession(withAud, { audience: 'other' }));
    assert.ok(await validator().validateSession(withAud), 'no audience configured: aud is not checked');
  });

  test('token type, required claims and malformed input', async () => {
    assert.equal(
      await reason(validator().validateSession(await session({ drn: 'DSR' }))),
      'wrong-token-type',
    );
    assert.equal(
      await reason(validator().validateSession(await session({ drn: undefined }))),
      'wrong-token-type',
    );
    assert.equal(
      await reason(validator().validateSession(await session({ exp: undefined }))),
      'invalid-claims',
    );
    assert.equal(
      await reason(validator().validateSession(await session({ sub: undefined }))),
      'invalid-claims',
    );
    assert.equal(
      await reason(validator().validateSession(await session({ nbf: now + 60 }))),
      'invalid-claims',
    );
    assert.equal(await reason(validator().validateSession('not-a-jwt')), 'malformed');
    assert.equal(await reason(validator().validateSession('')), 'missing-token');
    assert.equal(await reason(validator().validateSession(await session({}, { kid: 'k2' }))), 'unknown-key');
  });

  test('expiry with 5 s leeway', async () => {
    assert.ok(await validator().validateSession(await session({ exp: now - 2 })));
    assert.equal(await reason(validator().validateSession(await session({ exp: now - 10 }))), 'expired');
  });

  test('unsigned and symmetric tokens are refused', async () => {
    const [h, p] = (await session()).split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: 'k1' })).toString('base64url')}.${p}.`;
    assert.equal(await reason(validator().validateSession(none)), 'invalid-signature');
    const hs = await new SignJWT({ sub: 'U1', iss: PROJECT, exp: now + 60, drn: 'DS' })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .sign(new TextEncoder().encode('x'.repeat(32)));
    assert.equal(await reason(validator().validateSession(hs)), 'invalid-signature');
    assert.ok(h);
  });
});
