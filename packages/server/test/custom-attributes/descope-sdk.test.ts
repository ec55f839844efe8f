import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  claims,
  disableRateLimits,
  fails,
  ok,
  PASSWORD,
  type SdkServer,
  startSdkServer,
  uid,
} from '../descope-sdk/support.ts';
import { call, mgmt, STORES } from '../support/server.ts';

type Definition = {
  name: string;
  type: number;
  typeName: string;
  options: { value: string }[];
  includeInJwt: boolean;
};
type CustomAttribute = Parameters<
  SdkServer['mgmt']['management']['user']['createCustomAttributes']
>[0][number];

/** Typed custom attributes: definitions, validation on every write, typed search, and the JWT claim. */
for (const store of STORES) {
  describe(`typed custom attributes (${store})`, () => {
    let t: SdkServer;
    const users = () => t.mgmt.management.user;
    before(async () => {
      t = await startSdkServer(store);
      await disableRateLimits(t.s);
    });
    after(() => t.close());

    test('without definitions any key is accepted (backward compatible)', async () => {
      const u = await ok(users().create(uid('free-'), { customAttributes: { anything: 'goes', n: 1 } }));
      assert.deepEqual(u.customAttributes, { anything: 'goes', n: 1 });
    });

    test('user definitions through the Descope SDK: create, get, delete', async () => {
      const created = await ok(
        users().createCustomAttributes([
          { name: 'plan', type: 4, displayName: 'Plan', options: [{ value: 'free' }, { value: 'pro' }] },
          { name: 'seats', type: 2, displayName: 'Seats' },
          { name: 'beta', type: 3 },
          { name: 'since', type: 6 },
          { name: 'tags', type: 5, options: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] },
          { name: 'note', type: 1 },
          { name: 'temp', type: 1 },
          { name: 'tier', type: 'text', includeInJwt: true } as unknown as CustomAttribute,
        ]),
      );
      const all = created as unknown as Definition[];
      assert.equal(all.length, 8);
      assert.deepEqual(
        all.map((d) => [d.name, d.type, d.typeName]),
        [
          ['beta', 3, 'boolean'],
          ['note', 1, 'text'],
          ['plan', 4, 'singleSelect'],
          ['seats', 2, 'number'],
          ['since', 6, 'date'],
          ['tags', 5, 'multiSelect'],
          ['temp', 1, 'text'],
          ['tier', 1, 'text'],
        ],
      );
      const got = (await ok(users().getCustomAttributes())) as unknown as Definition[];
      assert.equal(got.find((d) => d.name === 'tier')?.includeInJwt, true);
      const left = (await ok(users().deleteCustomAttributes(['temp']))) as unknown as Definition[];
      assert.ok(!left.some((d) => d.name === 'temp'));
      await fails(users().deleteCustomAttributes(['never-defined']), 404, 'E118101');
      await fails(users().createCustomAttributes([{ name: 'x', type: 4 }]), 400);
      await fails(users().createCustomAttributes([{ name: 'x', type: 9 }]), 400);
    });

    test('every user write validates keys and types: 400 and nothing changed', async () => {
      const loginId = uid('typed-');
      const good = { plan: 'pro', seats: 5, beta: true, since: '2024-05-31', tags: ['a', 'c'], note: 'hi' };
      const user = await ok(users().create(loginId, { customAttributes: good }));
      assert.deepEqual(user.customAttributes, good);
      const bad: Record<string, unknown>[] = [
        { unknownKey: 'x' },
        { plan: 'gold' },
        { seats: 'five' },
        { beta: 'yes' },
        { since: '2024-13-01' },
        { tags: ['a', 'z'] },
        { note: 3 },
      ];
      for (const attrs of bad) {
        const label = JSON.stringify(attrs);
        await fails(users().create(uid('bad-'), { customAttributes: attrs as never }), 400, 'E118102');
        await fails(users().update(loginId, { customAttributes: attrs as never }), 400, 'E118102');
        await fails(users().patch(loginId, { customAttributes: attrs as never }), 400, 'E118102');
        const [key, value] = Object.entries(attrs)[0]!;
        await fails(users().updateCustomAttribute(loginId, key, value as never), 400, 'E118102');
        const batch = await ok(
          users().createBatch([{ loginIdOrUserId: uid('bb-'), customAttributes: attrs as never }]),
        );
        assert.equal(batch.failedUsers.length, 1, label);
        assert.match(batch.failedUsers[0]!.failure, /attribute|must/, label);
        const patched = await ok(
          users().patchBatch([{ loginIdOrUserId: loginId, customAttributes: attrs as never }]),
        );
        assert.equal(patched.failedUsers.length, 1, label);
      }
      assert.deepEqual((await ok(users().load(loginId))).customAttributes, good, 'nothing changed');
      const one = await ok(users().updateCustomAttribute(loginId, 'seats', 7));
      assert.equal(one.customAttributes?.seats, 7);
    });

    test('search with typed values: number equality, boolean, multiSelect contains', async () => {
      const mark = uid('m');
      const a = await ok(
        users().create(uid('sa-'), {
          customAttributes: { note: mark, seats: 10, beta: true, tags: ['a', 'b'] },
        }),
      );
      const b = await ok(
        users().create(uid('sb-'), {
          customAttributes: { note: mark, seats: 100, beta: false, tags: ['c'] },
        }),
      );
      const ids = async (attrs: Record<string, unknown>) =>
        (await ok(users().search({ customAttributes: { note: mark, ...attrs } as never }))).users
          .map((u) => u.userId)
          .sort();
      assert.deepEqual(await ids({ seats: 10 }), [a.userId]);
      assert.deepEqual(await ids({ seats: '100' }), [b.userId], 'a numeric string finds the number');
      assert.deepEqual(await ids({ seats: [10, 100] }), [a.userId, b.userId].sort());
      assert.deepEqual(await ids({ beta: true }), [a.userId]);
      assert.deepEqual(await ids({ beta: false }), [b.userId]);
      assert.deepEqual(await ids({ tags: 'b' }), [a.userId]);
      assert.deepEqual(await ids({ tags: ['c', 'b'] }), [a.userId, b.userId].sort());
      assert.deepEqual(await ids({ seats: 1 }), []);
    });

    test('attributes marked includeInJwt appear under the customAttributes claim, fresh on refresh', async () => {
      const loginId = uid('jwt-');
      await ok(users().create(loginId, { customAttributes: { tier: 'gold', note: 'not in jwt' } }));
      await ok(users().setActivePassword(loginId, PASSWORD));
      const session = await ok(t.auth.password.signIn(loginId, PASSWORD));
      assert.deepEqual(claims(session.sessionJwt).customAttributes, { tier: 'gold' });
      const validated = await t.auth.validateSession(session.sessionJwt);
      assert.deepEqual(validated.token.customAttributes, { tier: 'gold' });

      await ok(users().updateCustomAttribute(loginId, 'tier', 'platinum'));
      const refreshed = await ok(t.auth.refresh(session.refreshJwt!));
      assert.deepEqual(claims(refreshed.sessionJwt).customAttributes, { tier: 'platinum' });

      // a client cannot forge it through customClaims
      const forged = await call(t.s, 'POST', '/v1/auth/password/signin', {
        auth: t.s.management,
        body: {
          loginId,
          password: PASSWORD,
          loginOptions: { customClaims: { customAttributes: { tier: 'admin' } } },
        },
      });
      assert.equal(forged.status, 400, JSON.stringify(forged.body));
    });

    test('tenant definitions (Latchkey extension): validation on create/update, typed search', async () => {
      const defs = await mgmt<{ data: Definition[] }>(t.s, 'POST', '/v1/mgmt/tenant/customattribute/create', {
        attributes: [
          { name: 'region', type: 'singleSelect', options: [{ value: 'eu' }, { value: 'us' }] },
          { name: 'employees', type: 'number' },
          { name: 'sso', type: 'boolean' },
        ],
      });
      assert.equal(defs.status, 200, JSON.stringify(defs.body));
      assert.equal(defs.body.data.length, 3);
      const listed = await mgmt<{ data: Definition[] }>(t.s, 'GET', '/v1/mgmt/tenant/customattributes');
      assert.deepEqual(
        listed.body.data.map((d) => d.name),
        ['employees', 'region', 'sso'],
      );
      assert.equal(
        (await mgmt<{ data: Definition[] }>(t.s, 'GET', '/v1/mgmt/user/customattributes')).body.data.some(
          (d) => d.name === 'region',
        ),
        false,
        'user and tenant definitions are apart',
      );

      const tenants = t.mgmt.management.tenant;
      const name = uid('Acme ');
      await fails(tenants.create(name, [], { region: 'asia' }), 400, 'E118102');
      await fails(tenants.create(name, [], { unknown: 1 }), 400, 'E118102');
      assert.equal((await ok(tenants.searchAll(undefined, [name]))).length, 0, 'nothing created');
      const { id } = await ok(tenants.create(name, [], { region: 'eu', employees: 50, sso: true }));
      const other = await ok(tenants.create(uid('Other '), [], { region: 'us', employees: 500, sso: false }));
      await fails(tenants.update(id, name, [], { employees: '50' }), 400, 'E118102');
      assert.deepEqual((await ok(tenants.load(id))).customAttributes, {
        region: 'eu',
        employees: 50,
        sso: true,
      });

      const found = async (attrs: Record<string, unknown>) =>
        (await ok(tenants.searchAll(undefined, undefined, undefined, attrs as never)))
          .map((x) => x.id)
          .sort();
      assert.deepEqual(await found({ employees: 50 }), [id]);
      assert.deepEqual(await found({ employees: '500' }), [other.id]);
      assert.deepEqual(await found({ sso: true }), [id]);
      assert.deepEqual(await found({ region: ['eu', 'us'] }), [id, other.id].sort());

      const del = await mgmt(t.s, 'POST', '/v1/mgmt/tenant/customattribute/delete', { names: ['sso'] });
      assert.equal(del.status, 200);
      const badBody = await mgmt(t.s, 'POST', '/v1/mgmt/tenant/customattribute/create', {
        attributes: [{ name: '', type: 1 }],
      });
      assert.equal(badBody.status, 400);
      const noKey = await call(t.s, 'GET', '/v1/mgmt/tenant/customattributes', { auth: t.s.project });
      assert.equal(noKey.status, 401);
    });
  });
}
