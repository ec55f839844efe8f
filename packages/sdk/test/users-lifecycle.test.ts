import assert from 'node:assert/strict';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ERROR_CODES, LatchkeyApiError } from '../src/index.ts';
import { type Harness, rejection, STORES, startHarness } from './support/sdk.ts';

const claimsOf = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());

for (const store of STORES) {
  describe(`user lifecycle and custom attributes through the SDK (${store})`, () => {
    let h: Harness;
    const users = () => h.client.management.user;
    const attributes = () => h.client.management.customAttribute;
    before(async () => {
      h = await startHarness(store);
    });
    after(() => h.close());

    test('createBatch imports a PBKDF2 hash; the user signs in with the old password', async () => {
      const salt = randomBytes(16);
      const hash = pbkdf2Sync('Old-pbkdf2-pass1', salt, 2000, 64, 'sha512').toString('base64');
      const res = await users().createBatch([
        {
          loginId: 'imported@example.com',
          hashedPassword: {
            pbkdf2: { hash, salt: salt.toString('base64'), iterations: 2000, type: 'sha512' },
          },
        },
        { loginId: 'broken@example.com', hashedPassword: { bcrypt: { hash: 'nope' } } },
      ]);
      assert.deepEqual(
        res.createdUsers.map((u) => u.loginIds[0]),
        ['imported@example.com'],
      );
      assert.equal(res.failedUsers.length, 1);
      const session = await h.client.password.signIn('imported@example.com', 'Old-pbkdf2-pass1');
      assert.equal(session.user?.loginIds[0], 'imported@example.com');
    });

    test('invite, inviteBatch, patchBatch and deleteBatch', async () => {
      const invited = await users().invite(
        'grace@example.com',
        { email: 'grace@example.com' },
        { inviteUrl: 'https://app.example.com/welcome' },
      );
      assert.equal(invited.status, 'invited');
      const batch = await users().inviteBatch([{ loginId: 'b1@example.com', email: 'b1@example.com' }], {
        inviteUrl: 'https://app.example.com/welcome',
      });
      assert.equal(batch.createdUsers.length, 1);
      assert.deepEqual(batch.failedUsers, []);
      const noUrl = await rejection(
        users().invite('x@example.com', { email: 'x@example.com' }),
        LatchkeyApiError,
      );
      assert.equal(noUrl.status, 400);

      const patched = await users().patchBatch([
        { loginId: 'grace@example.com', displayName: 'Grace' },
        { loginId: 'nobody@example.com', displayName: 'Nobody' },
      ]);
      assert.deepEqual(
        patched.patchedUsers.map((u) => u.name),
        ['Grace'],
      );
      assert.equal(patched.failedUsers.length, 1);

      const deleted = await users().deleteBatch([invited.userId, 'Unone']);
      assert.deepEqual(deleted.deletedUserIds, [invited.userId]);
      assert.deepEqual(deleted.failedUserIds, ['Unone']);
      const gone = await rejection(users().loadByUserId(invited.userId), LatchkeyApiError);
      assert.equal(gone.errorCode, ERROR_CODES.managementUserNotFound);
    });

    test('custom attribute definitions: typed validation, search and the JWT claim', async () => {
      const defs = await attributes().create('user', [
        { name: 'seats', type: 'number' },
        {
          name: 'tier',
          type: 'singleSelect',
          options: [{ value: 'gold' }, { value: 'silver' }],
          includeInJwt: true,
        },
      ]);
      assert.deepEqual(
        defs.map((d) => [d.name, d.typeName, d.type]),
        [
          ['seats', 'number', 2],
          ['tier', 'singleSelect', 4],
        ],
      );
      const bad = await rejection(
        users().create('typed@example.com', { customAttributes: { seats: 'many' } }),
        LatchkeyApiError,
      );
      assert.equal(bad.errorCode, ERROR_CODES.invalidCustomAttribute);
      await users().create('typed@example.com', { customAttributes: { seats: 3, tier: 'gold' } });
      const found = await users().search({ customAttributes: { seats: '3' } });
      assert.deepEqual(
        found.users.map((u) => u.loginIds[0]),
        ['typed@example.com'],
      );
      await users().setActivePassword('typed@example.com', 'Typed-pass-1234');
      const session = await h.client.password.signIn('typed@example.com', 'Typed-pass-1234');
      assert.deepEqual(claimsOf(session.sessionJwt).customAttributes, { tier: 'gold' });

      const tenantDefs = await attributes().create('tenant', [{ name: 'region', type: 'text' }]);
      assert.equal(tenantDefs.length, 1);
      const left = await attributes().delete('user', ['seats']);
      assert.deepEqual(
        left.map((d) => d.name),
        ['tier'],
      );
      const missing = await rejection(attributes().delete('user', ['seats']), LatchkeyApiError);
      assert.equal(missing.errorCode, ERROR_CODES.customAttributeNotFound);
      assert.deepEqual(
        (await attributes().list('tenant')).map((d) => d.name),
        ['region'],
      );
    });
  });
}
