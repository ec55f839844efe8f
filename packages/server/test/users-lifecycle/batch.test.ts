import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  disableRateLimits,
  fails,
  ok,
  PASSWORD,
  type SdkServer,
  startSdkServer,
  uid,
} from '../descope-sdk/support.ts';
import { call, mgmt, STORES } from '../support/server.ts';
import { awayFromStepEdge, codeFor } from '../totp/support.ts';

type User = { loginIds: string[]; userId: string; status: string; name: string; roleNames: string[] };
type Failed = { failure: string; user: { loginIds: string[] } };

/** Batch create (mixed good and bad users), patch batch and delete batch, over HTTP and through the Descope SDK. */
for (const store of STORES) {
  describe(`user batches (${store})`, () => {
    let t: SdkServer;
    const users = () => t.mgmt.management.user;
    before(async () => {
      t = await startSdkServer(store);
      await disableRateLimits(t.s);
      await ok(t.mgmt.management.role.create('batch-role'));
    });
    after(() => t.close());

    test('create/batch: good users are created, bad ones reported one by one, failedUsers always present', async () => {
      const taken = uid('taken-');
      await ok(users().create(taken));
      const [a, b, c] = [uid('a-'), uid('b-'), uid('c-')];
      const seed = 'JBSWY3DPEHPK3PXPJBSWY3DP';
      const res = await mgmt<{ createdUsers: User[]; failedUsers: Failed[]; additionalErrors: object }>(
        t.s,
        'POST',
        '/v1/mgmt/user/create/batch',
        {
          users: [
            { loginId: a, password: PASSWORD, status: 'enabled', roleNames: ['batch-role'] },
            { loginId: b, seed, status: 'disabled' },
            { loginId: c, email: 'not-an-email' },
            { loginId: taken },
            { loginId: uid('d-'), roleNames: ['no-such-role'] },
            { loginId: uid('e-'), password: 'short' },
            'not an object',
          ],
        },
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(
        res.body.createdUsers.map((u) => u.loginIds[0]),
        [a, b],
      );
      assert.equal(res.body.createdUsers[0]!.status, 'enabled');
      assert.deepEqual(res.body.createdUsers[0]!.roleNames, ['batch-role']);
      assert.equal(res.body.createdUsers[1]!.status, 'disabled');
      assert.equal(res.body.failedUsers.length, 5);
      assert.deepEqual(res.body.failedUsers[0]!.user.loginIds, [c]);
      assert.match(res.body.failedUsers[1]!.failure, /already in use/);
      assert.match(res.body.failedUsers[2]!.failure, /no-such-role/);
      assert.deepEqual(res.body.additionalErrors, {});
      assert.equal(
        (await mgmt(t.s, 'GET', `/v1/mgmt/user?loginId=${c}`)).status,
        404,
        'nothing stored for a failed user',
      );

      // the imported password and TOTP seed work
      assert.equal((await ok(t.auth.password.signIn(a, PASSWORD))).user?.loginIds?.[0], a);
      await ok(users().activate(b));
      await awayFromStepEdge();
      const code = codeFor(seed);
      const totp = await call(t.s, 'POST', '/v1/auth/totp/verify', {
        auth: t.s.project,
        body: { loginId: b, code },
      });
      assert.equal(totp.status, 200, JSON.stringify(totp.body));

      const empty = await ok(users().createBatch([{ loginIdOrUserId: uid('f-') }]));
      assert.deepEqual(empty.failedUsers, [], 'failedUsers is present and empty on success');
      assert.equal(empty.createdUsers[0]!.status, 'invited');
    });

    test('patch/batch changes only the given fields per user and reports unknown users', async () => {
      const [a, b] = [uid('pa-'), uid('pb-')];
      await ok(users().create(a, { displayName: 'A', givenName: 'Ann' }));
      await ok(users().create(b, { displayName: 'B' }));
      const missing = uid('missing-');
      const res = await ok(
        users().patchBatch([
          { loginIdOrUserId: a, displayName: 'A2' },
          { loginIdOrUserId: b, roles: ['batch-role'], status: 'disabled' },
          { loginIdOrUserId: missing, displayName: 'nobody' },
        ]),
      );
      assert.deepEqual(
        res.patchedUsers.map((u) => u.name),
        ['A2', 'B'],
      );
      assert.equal(res.failedUsers.length, 1);
      assert.deepEqual(res.failedUsers[0]!.user.loginIds, [missing]);
      const loadedA = await ok(users().load(a));
      assert.equal(loadedA.name, 'A2');
      assert.equal(loadedA.givenName, 'Ann', 'fields not sent are unchanged');
      const loadedB = await ok(users().load(b));
      assert.deepEqual(loadedB.roleNames, ['batch-role']);
      assert.equal(loadedB.status, 'disabled');

      const bad = await call(t.s, 'PATCH', '/v1/mgmt/user/patch/batch', {
        auth: t.s.management,
        body: { users: [] },
      });
      assert.equal(bad.status, 400);
      const raw = await call<{ patchedUsers: User[]; failedUsers: Failed[] }>(
        t.s,
        'PATCH',
        '/v1/mgmt/user/patch/batch',
        {
          auth: t.s.management,
          body: { users: [{ loginId: a, phone: 'not-a-phone' }] },
        },
      );
      assert.equal(raw.status, 200);
      assert.equal(raw.body.failedUsers.length, 1);
      assert.match(raw.body.failedUsers[0]!.failure, /phone/);
      assert.equal((await ok(users().load(a))).phone ?? '', '', 'nothing changed for the failed user');
    });

    test('delete/batch deletes the given users and ends their sessions; unknown ids are reported', async () => {
      const a = uid('da-');
      const b = uid('db-');
      const keep = uid('keep-');
      const ua = await ok(users().create(a));
      const ub = await ok(users().create(b));
      await ok(users().create(keep));
      await ok(users().setActivePassword(a, PASSWORD));
      const session = await ok(t.auth.password.signIn(a, PASSWORD));
      const res = await call<{ deletedUserIds: string[]; failedUserIds: string[] }>(
        t.s,
        'POST',
        '/v1/mgmt/user/delete/batch',
        { auth: t.s.management, body: { userIds: [ua.userId, ub.userId, 'Unope'] } },
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.deletedUserIds.sort(), [ua.userId, ub.userId].sort());
      assert.deepEqual(res.body.failedUserIds, ['Unope']);
      await fails(users().load(a), 404, 'E112102');
      await fails(users().load(b), 404, 'E112102');
      await ok(users().load(keep));
      await fails(t.auth.refresh(session.refreshJwt!), 401);

      const c = await ok(users().create(uid('dc-')));
      await ok(users().deleteBatch([c.userId]));
      await fails(users().loadByUserId(c.userId), 404, 'E112102');
      const bad = await mgmt(t.s, 'POST', '/v1/mgmt/user/delete/batch', { userIds: 'U1' });
      assert.equal(bad.status, 400);
    });
  });
}
